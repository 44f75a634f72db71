"""One mixed bilingual document in, sentence pairs out.

Chinese and English blocks of one document (paragraph by paragraph, in sections, in two halves, English
first, only partly translated) are matched block to block (:mod:`duiqi.align.blockmatch`: coverage
scores, margins, kind priors, two-sided coverage for captions, local order), matched blocks that follow
each other directly on both sides are joined (paragraph cuts may differ between the languages), then
the sentences of each group are aligned with :func:`duiqi.align.align_sentences`; untranslated blocks,
1-0/0-1 beads, weak beads and letterless pairs (emoji, numbers) are left out. Sentences of one block are
never paired with a block that was not matched, so a caption cannot take a paragraph's translation.

:func:`match_sides` (sentences of each side with their blocks in, a :class:`BlockAlignment` out) and
:func:`align_groups` (the groups' sentences aligned, pairs out) are the pipeline's *match blocks* and
*align* steps (:mod:`duiqi.steps`); :func:`align_sentence_sides` runs both. They serve both the
one-document mode and two monolingual documents whose sections are in different orders.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import regex

from duiqi.align.blockmatch import (
    WEAK_KINDS,
    BlockMatch,
    BlockMatchConfig,
    LazySims,
    SideBlocks,
    Sims,
    match_blocks,
)
from duiqi.align.config import AlignConfig
from duiqi.align.core import align_sentences, joiner
from duiqi.embed.base import Encoder
from duiqi.errors import ConfigError, DuiqiError
from duiqi.io.markdown import clean_markdown
from duiqi.lang import DEFAULT_PAIR, profile
from duiqi.records import Block, Pair, Sentence


@dataclass(frozen=True, slots=True)
class MixedConfig:
    """Settings of the one-document aligner beyond the sentence aligner's (go into the signature)."""

    blocks: BlockMatchConfig = field(default_factory=BlockMatchConfig)
    min_bead_score: float = 0.1
    """Beads whose cosine is below this are dropped (not translations of each other). 0.2 lost recall on
    literary text (MAC-Dev as mixed documents: strict F1 0.869 at 0.2, 0.874 at 0.1, 0.873 at 0)."""
    join_runs: bool = True
    """Align runs of directly consecutive matched blocks together (see :func:`join_runs`)."""
    fill_gaps: bool = True
    """Blocks left unmatched between two matches that are in order, on both sides, are aligned together
    (see :func:`fill_gaps`): a paragraph pair the block matcher was unsure of, between two it was sure of."""
    gap_min_bead_score: float = 0.2
    """Beads made only of gap blocks (no block match vouches for them) need at least this cosine (0.2: one
    wrong pair fewer on bench_mixed, MAC-Dev as mixed documents F1 0.874 -> 0.873; 0.3: 0.869)."""
    gap_max_ratio: float = 2.5
    """A gap is filled only when its two sides' lengths are within this factor of the document's ratio."""
    max_cells: int = 16_000_000
    """Above this many sentence pairs (src x tgt) the block matcher reads the similarity matrix in chunks
    (bounded memory) instead of holding it whole."""

    def settings(self) -> dict[str, Any]:
        out = {f"mixed.{k}": v for k, v in asdict(self).items() if k != "blocks"}
        out.update({f"mixed.{k}": v for k, v in self.blocks.settings().items()})
        return out


class MarkupFreeEncoder:
    """An encoder that sees texts without inline Markdown markup (``**``, backticks, ``<u>``, links) and with
    HTML entities (``&nbsp;``, ``&amp;``) decoded:
    the sentences of a Markdown document keep their text as written, the aligner compares clean text."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import html

        return self.inner.encode([" ".join(html.unescape(clean_markdown(t).text).split()) or t for t in texts])


@dataclass(frozen=True, slots=True)
class SideFlag:
    """A flag (kind) at ``[start, end)`` of the text the side's sentences point into."""

    kind: str
    start: int
    end: int


def _side(sents: Sequence[Sentence], blocks_by_id: dict[int, Block], factor: float) -> SideBlocks:
    block_of = tuple(s.block_index for s in sents)
    lengths = tuple(max(1.0, len("".join(s.text.split())) * factor) for s in sents)
    kinds = {b: blocks_by_id[b].kind for b in block_of if b in blocks_by_id}
    texts = {b: blocks_by_id[b].text for b in block_of if b in blocks_by_id}
    return SideBlocks(block_of, lengths, kinds, texts)


def _positions(side: SideBlocks) -> tuple[list[int], dict[int, int]]:
    ids = side.block_ids()
    return ids, {b: k for k, b in enumerate(ids)}


def _adjacent(ids: list[int], neighbours: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Positions (in ``ids``) of blocks that are neighbours in the document (see :func:`_neighbours`)."""
    pos = {b: k for k, b in enumerate(ids)}
    return sorted((pos[a], pos[b]) for a, b in neighbours if a in pos and b in pos)


def _neighbours(blocks: Sequence[Block]) -> set[tuple[int, int]]:
    """Block ids that follow each other in the document, also across captions, dates, headings, short lines
    and annotations (a paragraph split in two around a photo credit or a share line is still one)."""
    out = {(a.index, b.index) for a, b in itertools.pairwise(blocks)}
    body = [b for b in blocks if b.kind not in _GAP_SKIP]
    out.update((a.index, b.index) for a, b in itertools.pairwise(body))
    return out


def _flags_for(spans: Sequence[tuple[int, int]], flags: Sequence[SideFlag]) -> list[str]:
    out: list[str] = []
    for f in flags:
        if any(f.start < e and s < f.end for s, e in spans) and f.kind not in out:
            out.append(f.kind)
    return out


def _group_sentences(sents: Sequence[Sentence], blocks: Sequence[int]) -> list[int]:
    wanted = set(blocks)
    return [k for k, s in enumerate(sents) if s.block_index in wanted]


@dataclass(frozen=True)
class BlockAlignment:
    """What the block matcher made of two language sides: the groups of blocks to align sentence by
    sentence (positions into :attr:`src_ids`/:attr:`tgt_ids`, the sides' block ids in document order) and
    the blocks that are in a group only because they lie in a gap between matches (document block ids)."""

    groups: tuple[BlockMatch, ...]
    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    gap_src: frozenset[int] = frozenset()
    gap_tgt: frozenset[int] = frozenset()


def align_sentence_sides(
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    src_blocks: Sequence[Block],
    tgt_blocks: Sequence[Block],
    *,
    encoder: Encoder,
    config: AlignConfig = AlignConfig(),  # noqa: B008 - frozen
    mixed: MixedConfig = MixedConfig(),
    doc: str = "",
    src_flags: Sequence[SideFlag] = (),
    tgt_flags: Sequence[SideFlag] = (),
    sections: bool = False,
    length_factors: tuple[float, float] | None = None,
) -> list[Pair]:
    """Pairs between the sentences of two language sides, through block matching: :func:`match_sides`
    then :func:`align_groups` (the pipeline runs them as two steps, :mod:`duiqi.steps`).

    ``src`` and ``tgt`` are each side's sentences in document order (``Sentence.block_index`` refers
    to ``src_blocks`` / ``tgt_blocks``; blocks that are neighbours in their list may be merged into one
    group). Flags whose spans overlap a pair's sentences are copied onto the pair.
    """
    if not src or not tgt:
        return []
    found = match_sides(src, tgt, src_blocks, tgt_blocks, encoder=encoder, mixed=mixed,
                        sections=sections, length_factors=length_factors)
    return align_groups(found, src, tgt, encoder=encoder, config=config, mixed=mixed, doc=doc,
                        src_flags=src_flags, tgt_flags=tgt_flags)


def match_sides(
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    src_blocks: Sequence[Block],
    tgt_blocks: Sequence[Block],
    *,
    encoder: Encoder,
    mixed: MixedConfig = MixedConfig(),
    sections: bool = False,
    length_factors: tuple[float, float] | None = None,
) -> BlockAlignment:
    """The source side's blocks matched to the target side's (in any order), each side's sentences
    encoded once (both sides non-empty).

    ``sections=True`` (two documents, each in one language): the whole documents are aligned in one go,
    but for runs of blocks moved elsewhere (:func:`monotone_sections`), each aligned on its own.
    ``length_factors``: weight of one character of each side when lengths are
    compared; ``None``: the profiles' :attr:`~duiqi.lang.LanguageProfile.length_factor` of the two sides'
    languages (``Sentence.lang``).
    """
    es = np.asarray(encoder.encode([s.text for s in src]), dtype=np.float32)
    et = np.asarray(encoder.encode([s.text for s in tgt]), dtype=np.float32)
    if es.shape[0] != len(src) or et.shape[0] != len(tgt):
        raise DuiqiError(f"encoder {encoder.name} returned the wrong number of embeddings")
    # long documents: the similarity matrix is read in chunks, never held whole (no windows: a
    # translation may be anywhere in the document)
    sims: Sims = es @ et.T if len(src) * len(tgt) <= mixed.max_cells else LazySims(es, et)
    s_factor, t_factor = length_factors or (profile(src[0].lang).length_factor, profile(tgt[0].lang).length_factor)
    s_side = _side(src, {b.index: b for b in src_blocks}, s_factor)
    t_side = _side(tgt, {b.index: b for b in tgt_blocks}, t_factor)
    s_ids, _ = _positions(s_side)
    t_ids, _ = _positions(t_side)
    s_nbrs = _neighbours(src_blocks)
    t_nbrs = _neighbours(tgt_blocks)
    groups = groups_before = match_blocks(
        sims, s_side, t_side, mixed.blocks,
        adjacent_src=_adjacent(s_ids, s_nbrs), adjacent_tgt=_adjacent(t_ids, t_nbrs),
    )
    gap_src: set[int] = set()  # blocks aligned only because they lie in a gap (document block indices)
    gap_tgt: set[int] = set()
    if mixed.fill_gaps and not sections:
        before = {(g.src_blocks, g.tgt_blocks) for g in groups}
        groups = fill_gaps(groups, s_side, t_side, s_ids, t_ids, mixed.gap_max_ratio)
        for g in groups:
            if (g.src_blocks, g.tgt_blocks) not in before:
                gap_src.update(s_ids[k] for k in g.src_blocks)
                gap_tgt.update(t_ids[k] for k in g.tgt_blocks)
    if mixed.join_runs:
        groups = join_runs(groups)
    if sections:
        s_count, t_count = Counter(s_side.block_of), Counter(t_side.block_of)
        counts = [(sum(s_count[s_ids[b]] for b in g.src_blocks), sum(t_count[t_ids[b]] for b in g.tgt_blocks))
                  for g in groups]
        s_words = Counter(s.block_index for s in src if _LETTER.search(s.text))
        t_words = Counter(t.block_index for t in tgt if _LETTER.search(t.text))
        groups = monotone_sections(groups, len(s_ids), len(t_ids), counts,
                                   ([s_words[b] for b in s_ids], [t_words[b] for b in t_ids]))
        groups = [_without_unmatched_weak(g, groups_before, s_side, t_side, s_ids, t_ids) for g in groups]
    return BlockAlignment(tuple(groups), tuple(s_ids), tuple(t_ids), frozenset(gap_src), frozenset(gap_tgt))


def align_groups(
    found: BlockAlignment,
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    *,
    encoder: Encoder,
    config: AlignConfig = AlignConfig(),  # noqa: B008 - frozen
    mixed: MixedConfig = MixedConfig(),
    doc: str = "",
    src_flags: Sequence[SideFlag] = (),
    tgt_flags: Sequence[SideFlag] = (),
) -> list[Pair]:
    """The sentences of each group of ``found`` aligned with :func:`duiqi.align.align_sentences`; the
    pairs in document order (untranslated sentences, weak and letterless beads left out)."""
    s_ids, t_ids = list(found.src_ids), list(found.tgt_ids)
    gaps = (set(found.gap_src), set(found.gap_tgt))
    pairs: list[tuple[int, Pair]] = []
    for g in found.groups:
        pairs.extend(_align_group(g, src, tgt, s_ids, t_ids, encoder, config, mixed, doc, src_flags, tgt_flags,
                                  gaps))
    pairs.sort(key=lambda t: t[0])
    return [p for _, p in pairs]


def fill_gaps(
    groups: Sequence[BlockMatch],
    s_side: SideBlocks,
    t_side: SideBlocks,
    s_ids: list[int],
    t_ids: list[int],
    max_ratio: float = 2.5,
) -> list[BlockMatch]:
    """``groups`` plus one group per gap: the blocks (``_GAP_SKIP`` kinds aside) that lie
    between two consecutive matches, or before the first or after the last, on both sides, when the
    matches around the gap are in order on both sides and the gap's two sides have comparable lengths
    (within ``max_ratio`` of the document's matched ratio). The sentence aligner decides inside the gap;
    a gap on one side only (untranslated paragraphs) stays out."""
    if not groups:
        return list(groups)
    ordered = sorted(groups, key=lambda g: g.src_blocks[0])
    s_len = _block_len(s_side, s_ids)
    t_len = _block_len(t_side, t_ids)
    matched_s = sum(s_len[b] for g in ordered for b in g.src_blocks)
    matched_t = sum(t_len[b] for g in ordered for b in g.tgt_blocks)
    ratio = matched_t / max(1e-9, matched_s)
    out = list(ordered)
    bounds = [(-1, -1), *((g.src_blocks[-1], g.tgt_blocks[-1]) for g in ordered)]
    starts = [*((g.src_blocks[0], g.tgt_blocks[0]) for g in ordered), (len(s_ids), len(t_ids))]
    used_s = {b for g in ordered for b in g.src_blocks}
    used_t = {b for g in ordered for b in g.tgt_blocks}
    for (s_end, t_end), (s_next, t_next) in zip(bounds, starts, strict=True):
        if s_next <= s_end + 1 or t_next <= t_end + 1:
            continue  # nothing between on one side, or the matches are out of order
        gs = tuple(b for b in range(s_end + 1, s_next)
                   if b not in used_s and s_side.kinds.get(s_ids[b], "text") not in _GAP_SKIP)
        gt = tuple(b for b in range(t_end + 1, t_next)
                   if b not in used_t and t_side.kinds.get(t_ids[b], "text") not in _GAP_SKIP)
        if not gs or not gt:
            continue
        ls, lt = sum(s_len[b] for b in gs), sum(t_len[b] for b in gt)
        r = lt / max(1e-9, ls * ratio)
        if 1.0 / max_ratio <= r <= max_ratio:
            out.append(BlockMatch(gs, gt, 0.0, 0.0))
    return sorted(out, key=lambda g: g.src_blocks[0])


#: Blocks never pulled into a gap: captions, dates, numbers, headings, very short lines (slogans,
#: labels) and annotations translate no paragraph.
_GAP_SKIP = frozenset({*WEAK_KINDS, "gloss"})


def _block_len(side: SideBlocks, ids: list[int]) -> list[float]:
    pos = {b: k for k, b in enumerate(ids)}
    out = [0.0] * len(ids)
    for b, n in zip(side.block_of, side.lengths, strict=True):
        out[pos[b]] += n
    return out


def join_runs(groups: Sequence[BlockMatch]) -> list[BlockMatch]:
    """Groups that follow each other directly on both sides (no block of either side left out between
    them) become one group, so the sentence aligner can cross paragraph boundaries that differ
    between the two languages."""
    out: list[BlockMatch] = []
    for g in sorted(groups, key=lambda g: g.src_blocks[0]):
        if out and g.src_blocks[0] == out[-1].src_blocks[-1] + 1 and g.tgt_blocks[0] == out[-1].tgt_blocks[-1] + 1:
            prev = out[-1]
            out[-1] = BlockMatch(prev.src_blocks + g.src_blocks, prev.tgt_blocks + g.tgt_blocks,
                                 min(prev.score, g.score), min(prev.coverage, g.coverage))
        else:
            out.append(g)
    return out


def monotone_sections(
    groups: Sequence[BlockMatch],
    n_src: int,
    n_tgt: int,
    sentences: Sequence[tuple[int, int]] | None = None,
    block_sentences: tuple[Sequence[int], Sequence[int]] | None = None,
    max_moved: float = 0.1,
    max_off_order: float = 0.35,
) -> list[BlockMatch]:
    """The sections of two documents to align.

    The backbone is the heaviest chain of matches in order on both sides (:func:`_chain`, weighed by
    sentences; ``sentences`` gives each group's count on each side, ``None`` one a side). Documents
    whose matches off the chain hold at least ``max_moved`` of the matched sentences in groups of two
    sentences or more a side, or ``max_off_order`` in all, were reordered: they are aligned group by
    group (the matched groups themselves). Otherwise the documents are in order and aligned whole (the
    sentence aligner sees everything, unmatched blocks included), but for runs of matches off the chain
    that were moved, each a section of its own: a run of two sentences or more a side, a one-sentence
    paragraph moved from one end of the document to the other (the last on one side, the first on the
    other), or one moved to an end of one side from the middle of the other with nothing opposite it at
    either place (:func:`_moved_to_an_end`). A lighter match off the chain is noise (a short line matched
    to a look-alike far away, two neighbouring lines matched crosswise: 19-23 % of the matched sentences
    in two MAC-Dev chapters, which are in order) that the sentence aligner decides inside the backbone. ``block_sentences`` (each
    block's sentences with letters, on each side): untranslated paragraphs with nothing opposite them are
    left out of the backbone (:func:`_unopposed`)."""
    if not groups:
        return []
    order = sorted(range(len(groups)), key=lambda k: groups[k].src_blocks[0])
    ordered = [groups[k] for k in order]
    sizes = [sentences[k] for k in order] if sentences is not None else [(1, 1)] * len(ordered)
    chain = _chain(ordered, [a + b for a, b in sizes])
    off = [k for k in range(len(ordered)) if k not in chain]
    total = sum(a + b for a, b in sizes)
    heavy = [k for k in off if min(sizes[k]) >= 2]
    if (sum(sum(sizes[k]) for k in heavy) >= max_moved * total
            or sum(sum(sizes[k]) for k in off) >= max_off_order * total):
        return ordered
    first = min(chain, key=lambda k: ordered[k].src_blocks[0])
    last = max(chain, key=lambda k: ordered[k].src_blocks[-1])
    s_first, s_last = ordered[first].src_blocks[0], ordered[last].src_blocks[-1]
    t_first = min(ordered[k].tgt_blocks[0] for k in chain)
    t_last = max(ordered[k].tgt_blocks[-1] for k in chain)

    def wrapped(g: BlockMatch) -> bool:  # from one end of the document to the other, beyond the chain
        return ((g.src_blocks[0] > s_last and g.tgt_blocks[-1] < t_first)
                or (g.src_blocks[-1] < s_first and g.tgt_blocks[0] > t_last))

    moved = [ordered[k] for k in off if k in heavy or wrapped(ordered[k])]
    used_s = {b for g in moved for b in g.src_blocks}
    used_t = {b for g in moved for b in g.tgt_blocks}
    gaps = _gaps([ordered[k] for k in sorted(chain)], n_src, n_tgt)
    if block_sentences is not None:
        alone_s, alone_t = _unopposed(gaps, ordered, used_s, used_t, block_sentences)
        used_s |= alone_s
        used_t |= alone_t
    for k in off:
        g = ordered[k]
        if k not in heavy and not wrapped(g) and _moved_to_an_end(g, gaps, used_s, used_t):
            moved.append(g)
            used_s.update(g.src_blocks)
            used_t.update(g.tgt_blocks)
    score = min(g.score for g in ordered)
    cover = min(g.coverage for g in ordered)
    backbone = BlockMatch(tuple(b for b in range(n_src) if b not in used_s),
                          tuple(b for b in range(n_tgt) if b not in used_t), score, cover)
    out = [*moved, backbone] if backbone.src_blocks and backbone.tgt_blocks else moved
    return sorted(out, key=lambda g: g.src_blocks[0])


def _gaps(chain: Sequence[BlockMatch], n_src: int, n_tgt: int) -> list[tuple[range, range]]:
    """The block positions of each side between consecutive matches of ``chain`` (in order on both
    sides), before the first and after the last: ``len(chain) + 1`` gaps."""
    ends = [(-1, -1), *((g.src_blocks[-1], max(g.tgt_blocks)) for g in chain)]
    starts = [*((g.src_blocks[0], min(g.tgt_blocks)) for g in chain), (n_src, n_tgt)]
    return [(range(s_end + 1, s_next), range(t_end + 1, t_next))
            for (s_end, t_end), (s_next, t_next) in zip(ends, starts, strict=True)]


def _unopposed(
    gaps: Sequence[tuple[range, range]],
    groups: Sequence[BlockMatch],
    left_s: set[int],
    left_t: set[int],
    block_sentences: tuple[Sequence[int], Sequence[int]],
    min_sentences: int = 2,
) -> tuple[set[int], set[int]]:
    """Untranslated paragraphs with nothing opposite them (block positions of each side): blocks no match
    took, of ``min_sentences`` sentences with letters or more (``block_sentences``: each block's count on
    each side), in a gap of the chain (:func:`_gaps`) where the other side has no block left to align
    (``left_*``: blocks already out of the backbone). Aligning the whole documents would only glue their
    sentences onto the neighbours' beads. A one-sentence line stays (a heading, a byline, a line cut
    differently on the other side: the sentence aligner decides)."""
    matched_s = {b for g in groups for b in g.src_blocks}
    matched_t = {b for g in groups for b in g.tgt_blocks}
    out_s: set[int] = set()
    out_t: set[int] = set()
    for s_gap, t_gap in gaps:
        gap_s = [b for b in s_gap if b not in left_s]
        gap_t = [b for b in t_gap if b not in left_t]
        if gap_s and gap_t:
            continue
        out_s.update(b for b in gap_s if b not in matched_s and block_sentences[0][b] >= min_sentences)
        out_t.update(b for b in gap_t if b not in matched_t and block_sentences[1][b] >= min_sentences)
    return out_s, out_t


def _moved_to_an_end(g: BlockMatch, gaps: Sequence[tuple[range, range]], left_s: set[int], left_t: set[int]) -> bool:
    """A match off the chain that lies before the chain's first match or after its last on one side (one
    document opens or closes with it) and elsewhere on the other, with no block left to align opposite it
    at either place (``left_*``: blocks already out of the backbone): a paragraph moved to the start or the
    end. (The look-alike matches off the chain on Text+Berg and MAC-Dev lie inside both documents.)"""
    i = bisect.bisect_right([s_gap.stop for s_gap, _ in gaps], g.src_blocks[0])
    j = bisect.bisect_right([t_gap.stop for _, t_gap in gaps], min(g.tgt_blocks))
    if (i >= len(gaps) or j >= len(gaps) or i == j or not {i, j} & {0, len(gaps) - 1}
            or not all(b in gaps[i][0] for b in g.src_blocks) or not all(b in gaps[j][1] for b in g.tgt_blocks)):
        return False
    own_s, own_t = set(g.src_blocks), set(g.tgt_blocks)
    return (not any(b not in left_t and b not in own_t for b in gaps[i][1])
            and not any(b not in left_s and b not in own_s for b in gaps[j][0]))


def _chain(ordered: Sequence[BlockMatch], weights: Sequence[float]) -> set[int]:
    """Indices (into ``ordered``, sorted by first source block) of the heaviest chain of matches that
    follow each other on both sides: a weighted longest increasing subsequence, O(n log n) (a match
    becomes a possible predecessor once the scan has passed its last source block)."""
    n_t = 1 + max(b for g in ordered for b in g.tgt_blocks)
    tree = [(0.0, -1)] * (n_t + 1)  # Fenwick tree of (best chain weight, its last match) by last target block

    def update(pos: int, value: tuple[float, int]) -> None:
        pos += 1
        while pos <= n_t:
            if value[0] > tree[pos][0]:
                tree[pos] = value
            pos += pos & -pos

    def query(pos: int) -> tuple[float, int]:  # best over last target block < pos
        best = (0.0, -1)
        while pos > 0:
            if tree[pos][0] > best[0]:
                best = tree[pos]
            pos -= pos & -pos
        return best

    best = [0.0] * len(ordered)
    back = [-1] * len(ordered)
    pending: list[tuple[int, int]] = []  # (last source block, match) not yet usable as a predecessor
    for j, g in enumerate(ordered):
        while pending and pending[0][0] < g.src_blocks[0]:
            _, i = heapq.heappop(pending)
            update(ordered[i].tgt_blocks[-1], (best[i], i))
        prev_w, prev = query(g.tgt_blocks[0])
        best[j], back[j] = prev_w + weights[j], prev
        heapq.heappush(pending, (g.src_blocks[-1], j))
    k = max(range(len(ordered)), key=lambda i: best[i])
    out: set[int] = set()
    while k >= 0:
        out.add(k)
        k = back[k]
    return out


def _without_unmatched_weak(
    section: BlockMatch,
    matched: Sequence[BlockMatch],
    s_side: SideBlocks,
    t_side: SideBlocks,
    s_ids: list[int],
    t_ids: list[int],
) -> BlockMatch:
    """A section without the captions, dates and numbers no block match took (they translate nothing).
    Short lines and headings stay: in two documents they are translated as often as not (Text+Berg:
    bylines, titles, ``Basta .``), and the sentence aligner leaves an untranslated one out itself."""
    used_s = {b for g in matched for b in g.src_blocks}
    used_t = {b for g in matched for b in g.tgt_blocks}
    src = tuple(b for b in section.src_blocks if b in used_s or s_side.kinds.get(s_ids[b], "text") not in _SECTION_SKIP)
    tgt = tuple(b for b in section.tgt_blocks if b in used_t or t_side.kinds.get(t_ids[b], "text") not in _SECTION_SKIP)
    return BlockMatch(src, tgt, section.score, section.coverage)


#: Blocks a two-document section leaves out unless a block match took them (see :func:`_without_unmatched_weak`).
_SECTION_SKIP = frozenset({"caption", "date", "number"})

_LETTER = regex.compile(r"\p{L}")


def _align_group(
    group: BlockMatch,
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    s_ids: list[int],
    t_ids: list[int],
    encoder: Encoder,
    config: AlignConfig,
    mixed: MixedConfig,
    doc: str,
    src_flags: Sequence[SideFlag],
    tgt_flags: Sequence[SideFlag],
    gaps: tuple[set[int], set[int]] = (set(), set()),
) -> list[tuple[int, Pair]]:
    rows = _group_sentences(src, [s_ids[k] for k in group.src_blocks])
    cols = _group_sentences(tgt, [t_ids[k] for k in group.tgt_blocks])
    s_texts = [src[k].text for k in rows]
    t_texts = [tgt[k].text for k in cols]
    beads = align_sentences(s_texts, t_texts, encoder=encoder, config=config)
    glue_s, glue_t = _joiner(src, s_texts), _joiner(tgt, t_texts)
    out: list[tuple[int, Pair]] = []
    for bead in beads:
        if not bead.is_link or bead.score < mixed.min_bead_score:
            continue
        ss = [src[rows[k]] for k in bead.src_ids]
        ts = [tgt[cols[k]] for k in bead.tgt_ids]
        if (bead.score < mixed.gap_min_bead_score and all(s.block_index in gaps[0] for s in ss)
                and all(t.block_index in gaps[1] for t in ts)):
            continue  # no block match vouches for these sentences: a clearer bead is needed
        if not any(_LETTER.search(s.text) for s in ss) or not any(_LETTER.search(t.text) for t in ts):
            continue  # emoji, numbers or punctuation only: nothing to translate
        flags = _flags_for([(s.start, s.end) for s in ss], src_flags)
        flags += [f for f in _flags_for([(t.start, t.end) for t in ts], tgt_flags) if f not in flags]
        pair = Pair(
            src=glue_s.join(s.text for s in ss),
            tgt=glue_t.join(t.text for t in ts),
            src_lang=ss[0].lang,
            tgt_lang=ts[0].lang,
            score=bead.score,
            src_ids=tuple(s.index for s in ss),
            tgt_ids=tuple(t.index for t in ts),
            doc=doc,
            flags=tuple(flags),
        )
        out.append((ss[0].start, pair))
    return out


def _joiner(sents: Sequence[Sentence], texts: Sequence[str]) -> str:
    """Glue between sentences of one side: its language profile's joiner (by the script of the text for a
    language without a profile)."""
    try:
        return profile(sents[0].lang).joiner if sents else joiner(texts)
    except ConfigError:
        return joiner(texts)


def gloss_pairs(
    text: str,
    blocks: Sequence[Block],
    sentences: Sequence[Sentence],
    *,
    encoder: Encoder,
    src_lang: str = DEFAULT_PAIR.src,
    tgt_lang: str | None = None,
    doc: str = "",
) -> list[Pair]:
    """One pair per line (of ``text``, the text the blocks point into) of ``gloss`` blocks (glossary lines,
    bilingual headings, ``>`` glosses, subtitle-style lines) made of one part in each language of the
    pair (``tgt_lang`` default: the other language of the default pair): the two parts, flagged
    ``inline``; the score is their cosine. Lines that interleave more parts (grammar analyses) give no
    pair. Each part's sentences are glued with its language profile's joiner."""
    if tgt_lang is None:
        tgt_lang = DEFAULT_PAIR.tgt if src_lang == DEFAULT_PAIR.src else DEFAULT_PAIR.src
    lines: list[list[Block]] = []
    for b in blocks:
        if b.kind != "gloss" or b.lang not in (src_lang, tgt_lang):
            continue
        if lines and lines[-1][-1].index == b.index - 1 and "\n" not in text[lines[-1][-1].end:b.start]:
            lines[-1].append(b)
        else:
            lines.append([b])
    by_block: dict[int, list[Sentence]] = {}
    for sent in sentences:
        by_block.setdefault(sent.block_index, []).append(sent)
    halves: list[tuple[list[Block], list[Block]]] = []
    for line in lines:
        src = [b for b in line if b.lang == src_lang and _LETTER.search(b.text)]
        tgt = [b for b in line if b.lang == tgt_lang and _LETTER.search(b.text)]
        if len(src) == 1 and len(tgt) == 1:  # a clean two-part line (not an analysis interleaving both)
            halves.append((src, tgt))
    if not halves:
        return []
    s_prof, t_prof = profile(src_lang), profile(tgt_lang)
    s_texts = [_first_sense(s_prof.joiner.join(b.text for b in s), s_prof.script) for s, _ in halves]
    t_texts = [_first_sense(t_prof.joiner.join(b.text for b in t), t_prof.script) for _, t in halves]
    es = np.asarray(encoder.encode(s_texts), dtype=np.float32)
    et = np.asarray(encoder.encode(t_texts), dtype=np.float32)
    out: list[Pair] = []
    for k, (s_blocks, t_blocks) in enumerate(halves):
        out.append(Pair(
            src=s_texts[k], tgt=t_texts[k], src_lang=src_lang, tgt_lang=tgt_lang,
            score=float(np.dot(es[k], et[k])),
            src_ids=tuple(x.index for b in s_blocks for x in by_block.get(b.index, [])),
            tgt_ids=tuple(x.index for b in t_blocks for x in by_block.get(b.index, [])),
            doc=doc, flags=("inline",),
        ))
    return out


_NEXT_SENSE = regex.compile(r"\s*\b(?:n|v|vt|vi|adj|adv|prep|conj|pron|num|int|abbr|aux|art)\.\s*(?=\S)")


def _first_sense(text: str, script: str) -> str:
    """The Han-script half of a dictionary line up to its next part of speech: ``跨栏；障碍 v.跳越`` ->
    ``跨栏；障碍`` (``script``: the half's language profile's script)."""
    if script != "han":
        return text
    m = _NEXT_SENSE.search(text, 1)
    return text[:m.start()] if m and regex.search(r"\p{Han}", text[:m.start()]) else text
