"""Rule filters (OpusFilter / bicleaner-hardrules style): each has a name, a threshold and a reason.

Deciding is separate from scoring: :func:`apply_filters` reads ``Pair.score`` / ``Pair.quality`` as
they are (filling a missing quality from the packaged model needs no encoder when the similarity is
known), so saved scores can be re-thresholded cheaply. Every rejected pair keeps all its reasons.
Duplicates are checked last, among pairs that passed every other filter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from duiqi.embed.base import Encoder
from duiqi.errors import ConfigError
from duiqi.lang import DEFAULT_PAIR
from duiqi.records import Pair, Reject
from duiqi.score.boilerplate import pair_boilerplate
from duiqi.score.dedup import Deduplicator, DedupOn
from duiqi.score.features import PairFeatures, expected_log_ratio, is_noise_flag, measure
from duiqi.score.model import QualityModel, default_model
from duiqi.score.scoring import score_pairs

#: Filter names, in the order they are checked (and shown in reports).
FILTER_NAMES: tuple[str, ...] = (
    "too-short",
    "too-long",
    "ratio",
    "numbers",
    "same-text",
    "wrong-language",
    "boilerplate",
    "urls",
    "noise",
    "noise-flags",
    "min-similarity",
    "min-quality",
    "duplicate",
)


#: Default ``min_quality`` of the filter. Not the calibration midpoint (0.5 = as likely a translation
#: as not) but a product choice for precision (clean training data matters more than a few lost
#: pairs), made on the fitting data only: ``benchmarks/fit_quality.py`` prints F0.5 by threshold over
#: grouped cross-validation (whole sources/documents left out in turn, classes balanced); it is flat
#: between 0.65 and 0.75 (best 0.65 for model 2). Held-out figures at 0.5 and at this threshold are
#: printed by ``benchmarks/bench_quality.py``.
DEFAULT_MIN_QUALITY = 0.7


@dataclass(frozen=True)
class FilterConfig:
    """Thresholds of the rule filters; ``None`` (or ``False``) switches a filter off."""

    min_units: int | None = 1
    """too-short: fewer length units (CJK characters / words) than this on either side."""
    max_units: int | None = 500
    """too-long: more units than this on either side."""
    max_ratio: float | None = 3.0
    """ratio: length ratio off its usual value (``zh-en`` fitted) by more than this factor."""
    max_number_missing: float | None = 0.5
    """numbers: share of numbers (either side) not found on the other side above this."""
    max_overlap: float | None = 0.8
    """same-text: token overlap of the two sides above this (untranslated copy)."""
    min_lang_share: float | None = 0.5
    """wrong-language: share of a side written in its language's script below this."""
    boilerplate: bool = True
    """boilerplate: a side is a subscription prompt, copyright notice, share button, menu or other
    navigation line (:func:`duiqi.score.boilerplate.boilerplate_kind`), translated or not."""
    urls: bool = True
    """urls: URLs / e-mail addresses differ between the sides."""
    max_noise: float | None = 0.05
    """noise: share of characters that look like crawl damage above this."""
    noise_flags: bool = True
    """noise-flags: the pair carries a residual-noise flag (see ``features.NOISE_FLAGS``; not
    ``lossy-latin`` alone, see ``features.MINOR_FLAGS``)."""
    min_similarity: float | None = None
    """min-similarity: alignment similarity (``Pair.score``, the aligner's own) below this."""
    min_quality: float | None = DEFAULT_MIN_QUALITY
    """min-quality: calibrated quality below this (0.5 = as likely a translation as not; the
    default 0.7 is chosen for precision, see :data:`DEFAULT_MIN_QUALITY`)."""
    dedup: bool = True
    """duplicate: the same pair (normalised) was already kept in this run."""
    dedup_on: DedupOn = "pair"

    def __post_init__(self) -> None:
        problems = []
        for name in ("min_quality", "max_number_missing", "max_overlap", "min_lang_share", "max_noise"):
            v = getattr(self, name)
            if v is not None and not 0.0 <= v <= 1.0:
                problems.append(f"{name} must be between 0 and 1, not {v}")
        if self.max_ratio is not None and self.max_ratio < 1.0:
            problems.append(f"max_ratio must be at least 1, not {self.max_ratio}")
        for name in ("min_units", "max_units"):
            v = getattr(self, name)
            if v is not None and v < 0:
                problems.append(f"{name} must not be negative, not {v}")
        if self.dedup_on not in ("pair", "src", "tgt"):
            problems.append(f"dedup_on must be pair, src or tgt, not {self.dedup_on!r}")
        if problems:
            raise ConfigError("bad filter settings: " + "; ".join(problems))

    @classmethod
    def thresholds(cls, *, min_similarity: float | None = None, min_quality: float | None = None) -> FilterConfig:
        """The two thresholds alone: every rule filter and de-duplication off."""
        return cls(min_units=None, max_units=None, max_ratio=None, max_number_missing=None, max_overlap=None,
                   min_lang_share=None, boilerplate=False, urls=False, max_noise=None, noise_flags=False,
                   min_similarity=min_similarity, min_quality=min_quality, dedup=False)

    def to_settings(self) -> dict[str, Any]:
        """The thresholds as a flat dict (for output signatures and reports)."""
        return {f"filter.{k}": v for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class Rejected:
    """A pair that failed one or more filters, with one reason per failed filter."""

    pair: Pair
    reasons: tuple[str, ...]

    @property
    def filters(self) -> tuple[str, ...]:
        return tuple(r.split(":", 1)[0] for r in self.reasons)

    def to_reject(self, source: str = "") -> Reject:
        """This pair's record in a rejects file (:class:`duiqi.records.Reject`, one shape everywhere)."""
        return Reject("pair", self.pair.doc, self.reasons, source, self.pair)

    def to_dict(self) -> dict[str, Any]:
        return self.to_reject().to_dict()


@dataclass(frozen=True)
class FilterOutcome:
    kept: list[Pair]
    rejected: list[Rejected]
    counts: dict[str, int] = field(default_factory=dict)
    """Pairs failing each filter (a pair can fail several)."""
    first: dict[str, int] = field(default_factory=dict)
    """Pairs whose first failed filter is this one (sums to the number rejected)."""


def check(pair: Pair, f: PairFeatures, config: FilterConfig, mu: float) -> list[str]:
    """Reasons ``pair`` fails the (non-duplicate) filters of ``config``; empty when it passes."""
    reasons: list[str] = []
    c = config
    if c.min_units is not None and f.min_units < c.min_units:
        reasons.append(f"too-short: {f.min_units} units < {c.min_units}")
    if c.max_units is not None and max(f.src_units, f.tgt_units) > c.max_units:
        reasons.append(f"too-long: {max(f.src_units, f.tgt_units)} units > {c.max_units}")
    if c.max_ratio is not None and f.min_units > 0:
        off = math.exp(abs(f.log_ratio - mu))
        if off > c.max_ratio:
            reasons.append(f"ratio: length ratio {off:.2f}x off usual > {c.max_ratio:g}")
    if c.max_number_missing is not None and f.num_missing:
        share = f.num_missing / max(1, f.num_total)
        if share > c.max_number_missing:
            reasons.append(f"numbers: {f.num_missing}/{f.num_total} numbers unmatched > {c.max_number_missing:g}")
    if c.max_overlap is not None and (f.same_text or f.copy > c.max_overlap):
        reasons.append(f"same-text: overlap {f.copy:.2f} > {c.max_overlap:g}")
    if c.min_lang_share is not None:
        share = min(f.src_share, f.tgt_share)
        if share < c.min_lang_share:
            side = pair.src_lang if f.src_share <= f.tgt_share else pair.tgt_lang
            reasons.append(f"wrong-language: {share:.2f} of the {side} side in its script < {c.min_lang_share:g}")
    if c.boilerplate and f.boilerplate:
        reasons.append(f"boilerplate: {pair_boilerplate(pair.src, pair.tgt)}")
    if c.urls and f.url_mismatch:
        reasons.append(f"urls: {f.url_mismatch} URL/e-mail(s) on one side only")
    if c.max_noise is not None and f.noise_frac > c.max_noise:
        reasons.append(f"noise: {f.noise_frac:.2f} damaged characters > {c.max_noise:g}")
    if c.noise_flags and f.noise_flags:
        reasons.append(f"noise-flags: {','.join(x for x in pair.flags if is_noise_flag(x))}")
    if c.min_similarity is not None and pair.score < c.min_similarity:
        reasons.append(f"min-similarity: {pair.score:.3f} < {c.min_similarity:g}")
    if c.min_quality is not None and (pair.quality is None or pair.quality < c.min_quality):
        q = "none" if pair.quality is None else f"{pair.quality:.3f}"
        reasons.append(f"min-quality: {q} < {c.min_quality:g}")
    return reasons


def apply_filters(
    pairs: Iterable[Pair],
    config: FilterConfig | None = None,
    *,
    dedup: Deduplicator | None = None,
    model: QualityModel | None = None,
    features: Sequence[PairFeatures] | None = None,
) -> FilterOutcome:
    """Split ``pairs`` into kept and rejected (with reasons).

    A pair without ``quality`` gets it from ``model`` (packaged by default) when ``min_quality`` is
    set; that uses the pair's ``score`` as the similarity and never an encoder. Give ``dedup`` to
    share seen pairs across calls (a whole run); otherwise a fresh one is used per call.
    """
    config = config or FilterConfig()
    plist = list(pairs)
    feats = list(features) if features is not None else [measure(p) for p in plist]
    model = model or default_model()
    if config.min_quality is not None and any(p.quality is None for p in plist):
        plist = score_pairs(plist, None, model=model, recompute="never", keep_quality=True)
    if config.dedup and dedup is None:
        dedup = Deduplicator(on=config.dedup_on)
    kept: list[Pair] = []
    rejected: list[Rejected] = []
    counts = dict.fromkeys(FILTER_NAMES, 0)
    first = dict.fromkeys(FILTER_NAMES, 0)
    mu_cache: dict[tuple[str, str], float] = {}
    for p, f in zip(plist, feats, strict=True):
        key = (p.src_lang, p.tgt_lang)
        mu = mu_cache.get(key)
        if mu is None:
            mu = mu_cache[key] = expected_log_ratio(p.src_lang or DEFAULT_PAIR.src, p.tgt_lang or DEFAULT_PAIR.tgt, model.log_ratio)
        reasons = check(p, f, config, mu)
        if not reasons and config.dedup and dedup is not None and dedup.seen(p):
            reasons = ["duplicate: same normalised pair already kept"]
        if reasons:
            names = [r.split(":", 1)[0] for r in reasons]
            for n in names:
                counts[n] = counts.get(n, 0) + 1
            first[names[0]] = first.get(names[0], 0) + 1
            rejected.append(Rejected(p, tuple(reasons)))
        else:
            kept.append(p)
    return FilterOutcome(kept, rejected, counts, first)


def filter_pairs(
    pairs: Iterable[Pair],
    config: FilterConfig | None = None,
    *,
    encoder: Encoder | None = None,
    dedup: Deduplicator | None = None,
    model: QualityModel | None = None,
    rescore: bool = False,
) -> FilterOutcome:
    """Score (only what is missing, or everything with ``rescore``) then :func:`apply_filters`.

    The encoder is used only for pairs without a similarity (or for all with ``rescore``).
    """
    plist = list(pairs)
    feats = [measure(p) for p in plist]
    scored = score_pairs(plist, encoder, model=model, recompute="always" if rescore else "auto",
                         keep_quality=not rescore, features=feats)
    return apply_filters(scored, config, dedup=dedup, model=model, features=feats)
