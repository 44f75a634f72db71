"""Per-pair measurements (:class:`PairFeatures`) and the model's feature vector built from them.

Measurements are what the rule filters threshold (length ratio, number agreement, copy, language,
noise); :func:`feature_vector` turns them plus the alignment similarity into the numbers the logistic
model weighs. Everything here is cheap: no encoder, no model.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import regex

from duiqi.lang import DEFAULT_PAIR
from duiqi.records import Pair
from duiqi.score import text as T
from duiqi.score.boilerplate import boilerplate_kind
from duiqi.text.langid import side_share
from duiqi.text.numbers import number_mismatch, numbers
from duiqi.text.scripts import side_stats
from duiqi.text.urls import urls

#: Flags (set by repair/segment/align on a pair) that mean residual noise. Any flag starting with
#: ``noise`` counts too.
NOISE_FLAGS: frozenset[str] = frozenset(
    {"gbk-slip", "lost-bytes", "mojibake-lost", "pinyin-spam",  # set by duiqi.repair
     "mojibake", "replacement-char", "garbled", "question-marks", "control-chars"}
)
#: Flags that are reported but are not residual noise on their own: ``lossy-latin`` marks a Latin
#: letter the GBK source could not hold, left as ``?`` (``Du?an`` for Dušan) -- one character of a
#: name, the pair is still a translation. It stays on the pair (users can drop such pairs), its
#: ``?`` still counts in the ``noise`` share, but it neither lowers the quality by itself nor
#: triggers the ``noise-flags`` filter.
MINOR_FLAGS: frozenset[str] = frozenset({"lossy-latin"})

#: Names of the model features, in the order of :func:`feature_vector`.
FEATURE_NAMES: tuple[str, ...] = (
    "sim",
    "sim_lo",
    "len_dev",
    "len_dev_sq",
    "short",
    "num_missing_frac",
    "num_any_missing",
    "latin_missing_frac",
    "url_mismatch",
    "noise_frac",
    "copy",
    "wrong_lang",
    "noise_flags",
    "len_dev_x_sqrtn",
    "sim_mid",
    "punct_dev",
    "end_mismatch",
    "lower_start",
    "sent_dev",
    "margin",
    "margin_neg",
    "no_margin",
    "boilerplate",
    "disorder",
    "sim_alone",
)


def is_noise_flag(flag: str) -> bool:
    return flag not in MINOR_FLAGS and (flag in NOISE_FLAGS or flag.startswith("noise"))


class PairFeatures(NamedTuple):
    """Cheap measurements of one pair (no similarity). Immutable; a named tuple because millions are
    made per run and a tuple is several times cheaper to build than a frozen dataclass."""

    src_units: int
    tgt_units: int
    log_ratio: float
    """log(src_units / tgt_units) (each at least 1)."""
    num_missing: int
    num_total: int
    latin_missing: int
    latin_total: int
    url_mismatch: int
    noise_chars: int
    chars: int
    copy: float
    """Token overlap of the two sides (1.0 = same text)."""
    same_text: bool
    src_share: float
    """Share of the source side written in its language's script."""
    tgt_share: float
    noise_flags: int
    punct_ratio: float
    """log((1 + punctuation marks of src) / (1 + those of tgt))."""
    end_mismatch: bool
    """Exactly one side ends with sentence-final punctuation (a cut-off side)."""
    lower_start: bool
    """A side starts with a lower-case letter (cut at its start)."""
    sent_ratio: float
    """log((1 + sentence marks of src) / (1 + those of tgt))."""
    boilerplate: bool = False
    """A side is boilerplate or navigation (:func:`duiqi.score.boilerplate.boilerplate_kind`)."""
    disorder: int = 0
    """Word-order slips of the English side(s) (:func:`duiqi.score.text.disorder`; word salad)."""

    @property
    def min_units(self) -> int:
        return min(self.src_units, self.tgt_units)

    @property
    def noise_frac(self) -> float:
        return self.noise_chars / max(1, self.chars)

    @property
    def wrong_lang(self) -> float:
        return 1.0 - min(self.src_share, self.tgt_share)


_NOT_ALNUM = regex.compile(r"[\W_]+")


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", T.nfkc_lower(text))


def measure(pair: Pair) -> PairFeatures:
    """All cheap measurements of ``pair``."""
    src, tgt = pair.src, pair.tgt
    src_lang = pair.src_lang or DEFAULT_PAIR.src
    tgt_lang = pair.tgt_lang or DEFAULT_PAIR.tgt
    su, s_scripts, s_toks = side_stats(src)
    tu, t_scripts, t_toks = side_stats(tgt)
    nm, nt = number_mismatch(numbers(src, s_toks), numbers(tgt, t_toks))
    lm, lt = T.missing_latin(src, src_lang, tgt, tgt_lang)
    url_mismatch = (len(urls(src) ^ urls(tgt)) if ("@" in src or "@" in tgt or "ww" in src or "ww" in tgt
                                                      or "http" in src or "http" in tgt) else 0)
    copy = T.jaccard(s_toks, t_toks)
    same = copy > 0.5 and _squash(src) == _squash(tgt) and bool(src.strip())
    # positional fields, in PairFeatures order (a named tuple builds faster from positions)
    return PairFeatures(
        su,
        tu,
        math.log(max(1, su) / max(1, tu)),
        nm,
        nt,
        lm,
        lt,
        url_mismatch,
        T.noise_chars(src) + T.noise_chars(tgt),
        len(src) + len(tgt),
        1.0 if same else copy,
        same,
        side_share(s_scripts, s_toks, src_lang),
        side_share(t_scripts, t_toks, tgt_lang),
        sum(1 for f in pair.flags if is_noise_flag(f)) if pair.flags else 0,
        math.log((1 + T.punct_count(src)) / (1 + T.punct_count(tgt))),
        T.ends_terminal(src) != T.ends_terminal(tgt),
        T.starts_lower(src) or T.starts_lower(tgt),
        math.log((1 + T.sentence_marks(src)) / (1 + T.sentence_marks(tgt))),
        boilerplate_kind(src) is not None or boilerplate_kind(tgt) is not None,
        (T.disorder(src) if src_lang == "en" else 0)  # an English-only measure
        + (T.disorder(tgt) if tgt_lang == "en" else 0),
    )


def expected_log_ratio(src_lang: str, tgt_lang: str, table: Mapping[str, float]) -> float:
    """Typical log length ratio for a language pair (fitted table; 0.0 when the pair is unknown)."""
    key = f"{src_lang}-{tgt_lang}"
    if key in table:
        return table[key]
    rev = f"{tgt_lang}-{src_lang}"
    if rev in table:
        return -table[rev]
    return 0.0


def feature_vector(
    sim: float,
    f: PairFeatures,
    mu: float,
    mu_punct: float = 0.0,
    margin: float | None = None,
) -> list[float]:
    """The model's inputs, in :data:`FEATURE_NAMES` order.

    ``mu`` is the expected log length ratio of the language pair, ``mu_punct`` the expected log ratio
    of punctuation counts, ``margin`` the document-context margin (``None`` when unknown;
    :mod:`duiqi.score.context`).
    """
    has_margin = margin is not None and math.isfinite(margin)
    m = max(-0.6, min(0.6, margin)) if has_margin and margin is not None else 0.0
    sim = max(-1.0, min(1.0, sim)) if math.isfinite(sim) else 0.0
    dev = abs(f.log_ratio - mu)
    short = 1.0 / (1.0 + f.min_units)
    return [
        sim,
        max(0.0, 0.3 - sim),
        dev,
        dev * dev,
        short,
        f.num_missing / max(1, f.num_total),
        1.0 if f.num_missing else 0.0,
        f.latin_missing / max(1, f.latin_total),
        1.0 if f.url_mismatch else 0.0,
        min(1.0, f.noise_frac * 10.0),
        max(0.0, f.copy - 0.4),  # shared names, numbers, URLs are normal; copies are near 1
        max(0.0, f.wrong_lang - 0.4),  # some Latin (acronyms, names) in Chinese is normal
        float(min(3, f.noise_flags)),
        dev * math.sqrt(f.src_units + f.tgt_units),
        max(0.0, sim - 0.3),
        abs(f.punct_ratio - mu_punct),
        1.0 if f.end_mismatch else 0.0,
        1.0 if f.lower_start else 0.0,
        abs(f.sent_ratio),
        m,
        max(0.0, -m),
        0.0 if has_margin else 1.0,
        1.0 if f.boilerplate else 0.0,
        float(min(3, f.disorder)),
        0.0 if has_margin else sim,  # the similarity's own slope when there is no context
    ]


def feature_matrix(
    sims: Sequence[float],
    feats: Sequence[PairFeatures],
    mus: Sequence[float],
    mus_punct: Sequence[float] | None = None,
    margins: Sequence[float | None] | None = None,
) -> np.ndarray:
    """:func:`feature_vector` rows as a float64 matrix (n, len(FEATURE_NAMES)), computed column-wise.

    Every column is the same IEEE arithmetic as :func:`feature_vector` (elementwise +, -, *, /, abs,
    min/max, sqrt), so the rows are bit-for-bit those of :func:`feature_vector`; numpy only spares the
    per-pair Python work.
    """
    n = len(feats)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float64)
    if not (len(sims) == len(mus) == n) or (mus_punct is not None and len(mus_punct) != n) or (
            margins is not None and len(margins) != n):
        raise ValueError("feature_matrix: sims, feats, mus, mus_punct and margins must have the same length")
    k = len(PairFeatures._fields)  # PairFeatures fields in order (bools as 0/1); fromiter over the flat
    # fields is the same float64 conversion as np.array(feats), several times faster
    a = np.fromiter(itertools.chain.from_iterable(feats), dtype=np.float64, count=n * k).reshape(n, k)
    (src_units, tgt_units, log_ratio, num_missing, num_total, latin_missing, latin_total, url_mismatch,
     noise_chars, chars, copy, _same, src_share, tgt_share, noise_flags, punct_ratio, end_mismatch,
     lower_start, sent_ratio, boilerplate, disorder) = a.T
    sim = np.array(sims, dtype=np.float64)
    sim = np.where(np.isfinite(sim), np.clip(sim, -1.0, 1.0), 0.0)
    mu = np.array(mus, dtype=np.float64)
    mp = np.array(mus_punct, dtype=np.float64) if mus_punct is not None else np.zeros(n)
    mg = np.array([np.nan if g is None else g for g in margins], dtype=np.float64) if margins is not None \
        else np.full(n, np.nan)
    has_margin = np.isfinite(mg)
    m = np.where(has_margin, np.clip(np.where(has_margin, mg, 0.0), -0.6, 0.6), 0.0)
    dev = np.abs(log_ratio - mu)
    x = np.empty((n, len(FEATURE_NAMES)), dtype=np.float64)
    x[:, 0] = sim
    x[:, 1] = np.maximum(0.0, 0.3 - sim)
    x[:, 2] = dev
    x[:, 3] = dev * dev
    x[:, 4] = 1.0 / (1.0 + np.minimum(src_units, tgt_units))
    x[:, 5] = num_missing / np.maximum(1.0, num_total)
    x[:, 6] = num_missing != 0
    x[:, 7] = latin_missing / np.maximum(1.0, latin_total)
    x[:, 8] = url_mismatch != 0
    x[:, 9] = np.minimum(1.0, (noise_chars / np.maximum(1.0, chars)) * 10.0)
    x[:, 10] = np.maximum(0.0, copy - 0.4)
    x[:, 11] = np.maximum(0.0, (1.0 - np.minimum(src_share, tgt_share)) - 0.4)
    x[:, 12] = np.minimum(3.0, noise_flags)
    x[:, 13] = dev * np.sqrt(src_units + tgt_units)
    x[:, 14] = np.maximum(0.0, sim - 0.3)
    x[:, 15] = np.abs(punct_ratio - mp)
    x[:, 16] = end_mismatch
    x[:, 17] = lower_start
    x[:, 18] = np.abs(sent_ratio)
    x[:, 19] = m
    x[:, 20] = np.maximum(0.0, -m)
    x[:, 21] = ~has_margin
    x[:, 22] = boilerplate
    x[:, 23] = np.minimum(3.0, disorder)
    x[:, 24] = np.where(has_margin, 0.0, sim)
    return x


def feature_matrix_rows(
    sims: Sequence[float],
    feats: Sequence[PairFeatures],
    mus: Sequence[float],
    mus_punct: Sequence[float] | None = None,
    margins: Sequence[float | None] | None = None,
) -> np.ndarray:
    """:func:`feature_vector` row by row (the reference :func:`feature_matrix` is tested against)."""
    mp = mus_punct if mus_punct is not None else [0.0] * len(feats)
    mg: Sequence[float | None] = margins if margins is not None else [None] * len(feats)
    rows = [feature_vector(s, f, m, q, g) for s, f, m, q, g in zip(sims, feats, mus, mp, mg, strict=True)]
    if not rows:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float64)
    return np.asarray(rows, dtype=np.float64)
