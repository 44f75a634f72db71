"""Synthetic negatives made from true pairs, to fit and evaluate the quality model.

A positive is a bead: the source sentences and the target sentences that translate each other, in
document order (so neighbours are known). Kinds of negatives, each a plausible way an aligner or a
crawl goes wrong:

- ``shuffled``   a source with the target of a random far-away bead;
- ``neighbour``  a source with the target of the previous/next bead (near miss);
- ``partial``    one side cut: a strict subset of its sentences, or its first/last 35–65 %;
- ``numbers``    one side's numbers changed (``2022`` → ``2023``, ``十二`` → ``十三``);
- ``copy``       the same text on both sides (untranslated copy);
- ``wrong-lang`` a side replaced by a sentence in the other language;
- ``garbled``    one side damaged (``?`` replacements, mojibake).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import regex

KINDS: tuple[str, ...] = ("shuffled", "neighbour", "partial", "numbers", "copy", "wrong-lang", "garbled")

#: Share of each kind in a generated negative set (renormalised over kinds that can be made).
DEFAULT_MIX: dict[str, float] = {
    "shuffled": 0.22,
    "neighbour": 0.22,
    "partial": 0.26,
    "numbers": 0.10,
    "copy": 0.06,
    "wrong-lang": 0.06,
    "garbled": 0.08,
}


@dataclass(frozen=True, slots=True)
class Bead2:
    """A positive: sentences on each side, the document it is from, its position there."""

    src: tuple[str, ...]
    tgt: tuple[str, ...]
    doc: str
    pos: int
    src_sep: str = ""
    tgt_sep: str = " "

    @property
    def src_text(self) -> str:
        return self.src_sep.join(self.src)

    @property
    def tgt_text(self) -> str:
        return self.tgt_sep.join(self.tgt)


@dataclass(frozen=True, slots=True)
class Example:
    src: str
    tgt: str
    label: int
    kind: str
    doc: str
    src_rest: str = ""
    """For a ``partial`` negative: the part cut off the source (still somewhere in the document)."""
    tgt_rest: str = ""
    """For a ``partial`` negative: the part cut off the target."""


_DIGIT_RE = regex.compile(r"\d+")
_ZH_NUM_RE = regex.compile(r"[一二三四五六七八九十百千万亿两〇]+")
_ZH_NEXT = str.maketrans("一二三四五六七八九两", "二三四五六七八九一三")


def _cut(text: str, keep: float, head: bool, sep: str) -> str:
    if sep:
        words = text.split(sep)
        k = max(1, round(len(words) * keep))
        if k >= len(words):
            k = len(words) - 1
        return sep.join(words[:k] if head else words[-k:])
    k = max(1, min(len(text) - 1, round(len(text) * keep)))
    return text[:k] if head else text[-k:]


def partial(b: Bead2, rng: random.Random) -> tuple[str, str] | None:
    """Cut one side of ``b`` (sentences if it has several, else 35–65 % of it)."""
    side = rng.choice(("src", "tgt"))
    sents = b.src if side == "src" else b.tgt
    sep = b.src_sep if side == "src" else b.tgt_sep
    text = sep.join(sents)
    if len(sents) >= 2:
        k = rng.randint(1, len(sents) - 1)
        cut = sep.join(sents[:k] if rng.random() < 0.5 else sents[-k:])
    else:
        unit_sep = sep if sep else ""
        if (unit_sep and len(text.split(unit_sep)) < 4) or (not unit_sep and len(text) < 6):
            return None
        cut = _cut(text, rng.uniform(0.35, 0.65), rng.random() < 0.6, unit_sep)
    if not cut.strip() or cut == text:
        return None
    return (cut, b.tgt_text) if side == "src" else (b.src_text, cut)


def change_numbers(text: str, rng: random.Random) -> str | None:
    """``text`` with one number changed, or ``None`` when it has none."""
    digits = list(_DIGIT_RE.finditer(text))
    if digits:
        m = rng.choice(digits)
        old = m.group()
        new = str(int(old) + rng.choice((1, 2, 3, 7, 10, -1)) if int(old) > 1 else int(old) + rng.randint(2, 9))
        if new == old or new.startswith("-"):
            new = old + "0"
        return text[: m.start()] + new + text[m.end() :]
    zh = [m for m in _ZH_NUM_RE.finditer(text) if len(m.group()) >= 2]
    if zh:
        m = rng.choice(zh)
        new = m.group().translate(_ZH_NEXT)
        if new != m.group():
            return text[: m.start()] + new + text[m.end() :]
    return None


def garble(text: str, rng: random.Random) -> str:
    """Damage ``text``: a run of ``?`` replacements, or a mojibake stretch."""
    if len(text) < 4:
        return "?" * len(text)
    a = rng.randint(0, len(text) // 3)
    b = min(len(text), a + max(2, int(len(text) * rng.uniform(0.3, 0.7))))
    if rng.random() < 0.5 or text[a:b].isascii():
        mid = "".join("?" if not c.isspace() else c for c in text[a:b])
    else:
        mid = text[a:b].encode("utf-8").decode("latin-1")
    return text[:a] + mid + text[b:]


def make_negatives(
    beads: Sequence[Bead2],
    n: int,
    *,
    seed: int = 0,
    mix: dict[str, float] | None = None,
) -> list[Example]:
    """``n`` negatives from ``beads`` (deterministic for a seed), mixed as ``mix`` says."""
    rng = random.Random(seed)
    mix = dict(DEFAULT_MIX if mix is None else mix)
    by_doc: dict[str, list[Bead2]] = {}
    for b in beads:
        by_doc.setdefault(b.doc, []).append(b)
    for docs in by_doc.values():
        docs.sort(key=lambda b: b.pos)
    with_numbers = [b for b in beads if change_numbers(b.src_text, rng) and change_numbers(b.tgt_text, rng)]
    kinds = [k for k in KINDS if mix.get(k, 0) > 0 and (k != "numbers" or with_numbers)]
    weights = [mix[k] for k in kinds]
    out: list[Example] = []
    tries = 0
    while len(out) < n and tries < n * 20:
        tries += 1
        kind = rng.choices(kinds, weights)[0]
        b = rng.choice(beads)
        pair: tuple[str, str] | None = None
        if kind == "shuffled":
            o = rng.choice(beads)
            if o.doc != b.doc or abs(o.pos - b.pos) > 3:
                pair = (b.src_text, o.tgt_text)
        elif kind == "neighbour":
            sib = by_doc[b.doc]
            i = sib.index(b)
            j = i + rng.choice((-1, 1))
            if 0 <= j < len(sib):
                pair = (b.src_text, sib[j].tgt_text)
        elif kind == "partial":
            pair = partial(b, rng)
        elif kind == "numbers":
            b = rng.choice(with_numbers)
            if rng.random() < 0.5:
                new = change_numbers(b.src_text, rng)
                pair = (new, b.tgt_text) if new else None
            else:
                new = change_numbers(b.tgt_text, rng)
                pair = (b.src_text, new) if new else None
        elif kind == "copy":
            pair = (b.src_text, b.src_text) if rng.random() < 0.5 else (b.tgt_text, b.tgt_text)
        elif kind == "wrong-lang":
            o = rng.choice(beads)
            pair = (b.src_text, o.src_text) if rng.random() < 0.5 else (o.tgt_text, b.tgt_text)
        elif kind == "garbled":
            if rng.random() < 0.5:
                pair = (garble(b.src_text, rng), b.tgt_text)
            else:
                pair = (b.src_text, garble(b.tgt_text, rng))
        if pair is None or not pair[0].strip() or not pair[1].strip():
            continue
        if kind == "partial":
            out.append(Example(pair[0], pair[1], 0, kind, b.doc, _rest(b.src_text, pair[0]), _rest(b.tgt_text, pair[1])))
        else:
            out.append(Example(pair[0], pair[1], 0, kind, b.doc))
    return out


def _rest(full: str, cut: str) -> str:
    """What ``cut`` (a head or tail of ``full``) left out; empty when nothing was cut."""
    if cut == full:
        return ""
    if full.startswith(cut):
        return full[len(cut):].strip()
    if full.endswith(cut):
        return full[: len(full) - len(cut)].strip()
    return ""


_END_PUNCT_RE = regex.compile(r"[.。!！?？…]+[\"'”’」』)）]*\s*$")


def style_variation(
    examples: Sequence[Example], share: float, *, seed: int = 0, lower: float = 0.4
) -> list[Example]:
    """``examples`` with a ``share`` of them (either class alike) given surface variation real text has
    and the development data lacks: the English side's final punctuation dropped (headlines, posts),
    or its first letter lower-cased (casual writing). Fitting on it keeps the cut-detection features
    (``end_mismatch``, ``lower_start``) from reading every such pair as truncated."""
    rng = random.Random(seed)
    out = []
    for e in examples:
        if rng.random() >= share:
            out.append(e)
            continue
        tgt = e.tgt
        if rng.random() >= lower:
            cut = _END_PUNCT_RE.sub("", tgt)
            tgt = cut if cut.strip() else tgt
        else:
            tgt = tgt[:1].lower() + tgt[1:]
        out.append(Example(e.src, tgt, e.label, e.kind, e.doc, e.src_rest, e.tgt_rest))
    return out


def positives(beads: Sequence[Bead2]) -> list[Example]:
    return [Example(b.src_text, b.tgt_text, 1, "positive", b.doc) for b in beads]
