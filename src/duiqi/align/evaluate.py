"""Scoring bead alignments against a gold standard (Sennrich & Volk convention).

- strict: a predicted bead is right when the very same bead is in the gold file;
- lax: a predicted link is right when it shares at least one sentence on *both* sides with a gold
  link (1-0 / 0-1 beads must still match exactly);
- precision counts every predicted bead, 1-0 / 0-1 included; recall is over gold *links* only
  (gold insertions/deletions are not counted). Gold files may leave sentences unlinked.

Counts are summed over files before dividing (micro average).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from duiqi.errors import InputError
from duiqi.records import MAX_SENTENCE_ID, Bead

_LINE = regex.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*(\S+))?\s*$")


def parse_bead_line(line: str) -> Bead | None:
    """``[0, 1]:[2]`` or ``[0,1]:[2]:0.81`` -> Bead; ``None`` when the line is not a bead."""
    m = _LINE.match(line)
    if m is None:
        return None
    try:  # ids must be sentence positions: a 5000-digit "id" is not a bead
        src = tuple(int(x) for x in m.group(1).replace(",", " ").split())
        tgt = tuple(int(x) for x in m.group(2).replace(",", " ").split())
        score = float(m.group(3)) if m.group(3) else 0.0
    except ValueError:
        return None
    if any(i > MAX_SENTENCE_ID for i in (*src, *tgt)) or score != score or abs(score) == float("inf"):
        return None
    return Bead(src, tgt, score)


def parse_beads(text: str, source: str = "<beads>") -> list[Bead]:
    beads = []
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        bead = parse_bead_line(line)
        if bead is None:
            raise InputError(source, f"line {no} is not a bead like '[0,1]:[2]': {line.strip()[:60]!r}")
        beads.append(bead)
    return beads


def read_beads(path: str) -> list[Bead]:
    """Read a bead file (one ``[src ids]:[tgt ids]`` per line, optional ``:score``)."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read bead file: {exc}") from exc
    return parse_beads(text, path)


@dataclass(frozen=True, slots=True)
class Counts:
    """Raw counts behind precision and recall."""

    pred: int = 0
    pred_strict: int = 0
    pred_lax: int = 0
    gold: int = 0
    gold_strict: int = 0
    gold_lax: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (self.pred, self.pred_strict, self.pred_lax, self.gold, self.gold_strict, self.gold_lax)


@dataclass(frozen=True, slots=True)
class Scores:
    strict_p: float
    strict_r: float
    strict_f1: float
    lax_p: float
    lax_r: float
    lax_f1: float
    counts: Counts

    def as_dict(self) -> dict[str, float]:
        return {
            "strict_precision": self.strict_p,
            "strict_recall": self.strict_r,
            "strict_f1": self.strict_f1,
            "lax_precision": self.lax_p,
            "lax_recall": self.lax_r,
            "lax_f1": self.lax_f1,
        }


def _key(b: Bead) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return (tuple(sorted(b.src_ids)), tuple(sorted(b.tgt_ids)))


def _overlaps(bead: Bead, others: Sequence[Bead]) -> bool:
    """True when a link ``bead`` shares a source and a target id with one of the links ``others``."""
    s, t = set(bead.src_ids), set(bead.tgt_ids)
    return any(s.intersection(o.src_ids) and t.intersection(o.tgt_ids) for o in others)


def count(gold: Sequence[Bead], pred: Sequence[Bead]) -> Counts:
    """Counts of one file pair."""
    gold = [b for b in gold if b.src_ids or b.tgt_ids]
    pred = [b for b in pred if b.src_ids or b.tgt_ids]
    gold_keys = {_key(b) for b in gold}
    pred_keys = {_key(b) for b in pred}
    gold_links = [b for b in gold if b.is_link]
    pred_links = [b for b in pred if b.is_link]
    by_src: dict[int, list[Bead]] = {}
    for b in gold_links:
        for i in b.src_ids:
            by_src.setdefault(i, []).append(b)
    pred_by_src: dict[int, list[Bead]] = {}
    for b in pred_links:
        for i in b.src_ids:
            pred_by_src.setdefault(i, []).append(b)

    def near(b: Bead, index: dict[int, list[Bead]]) -> list[Bead]:
        return [o for i in b.src_ids for o in index.get(i, [])]

    p_strict = sum(_key(b) in gold_keys for b in pred)
    p_lax = sum(
        (_key(b) in gold_keys) or (b.is_link and _overlaps(b, near(b, by_src))) for b in pred
    )
    g_strict = sum(_key(b) in pred_keys for b in gold_links)
    g_lax = sum(_overlaps(b, near(b, pred_by_src)) for b in gold_links)
    return Counts(len(pred), p_strict, p_lax, len(gold_links), g_strict, g_lax)


def _prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def scores_from(c: Counts) -> Scores:
    sp, sr, sf = _prf(c.pred_strict, c.pred, c.gold_strict, c.gold)
    lp, lr, lf = _prf(c.pred_lax, c.pred, c.gold_lax, c.gold)
    return Scores(sp, sr, sf, lp, lr, lf, c)


def evaluate(pairs: Iterable[tuple[Sequence[Bead], Sequence[Bead]]]) -> Scores:
    """Micro-averaged scores over ``(gold, pred)`` bead lists."""
    total = Counts()
    for gold, pred in pairs:
        total = total + count(gold, pred)
    return scores_from(total)


def _is_bead_file(path: str) -> bool:
    if not os.path.isfile(path):  # a FIFO or device in the folder would block or never end
        return False
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    return parse_bead_line(line) is not None
    except (OSError, UnicodeDecodeError):
        return False
    return False


def _stem(name: str) -> str:
    return name.split(".", 1)[0]


def match_files(gold: str, pred: str) -> list[tuple[str, str]]:
    """(gold, pred) file pairs: two files, or two folders matched by file name (then by stem)."""
    if os.path.isfile(gold) and os.path.isfile(pred):
        return [(gold, pred)]
    if not os.path.isdir(gold) or not os.path.isdir(pred):
        missing = gold if not os.path.exists(gold) else pred
        if not os.path.exists(missing):
            raise InputError(missing, "no such file or folder")
        raise InputError(pred, "give two bead files or two folders of bead files")
    g_files = sorted(f for f in os.listdir(gold) if _is_bead_file(os.path.join(gold, f)))
    p_files = sorted(f for f in os.listdir(pred) if _is_bead_file(os.path.join(pred, f)))
    if not g_files:
        raise InputError(gold, "no bead files in this folder")
    by_stem: dict[str, list[str]] = {}
    for f in p_files:
        by_stem.setdefault(_stem(f), []).append(f)
    out = []
    for f in g_files:
        if f in p_files:
            out.append((os.path.join(gold, f), os.path.join(pred, f)))
        elif len(by_stem.get(_stem(f), [])) == 1:
            out.append((os.path.join(gold, f), os.path.join(pred, by_stem[_stem(f)][0])))
        else:
            raise InputError(pred, f"no prediction matching gold file {f!r}")
    return out


def evaluate_paths(gold: str, pred: str) -> tuple[Scores, list[tuple[str, Scores]]]:
    """Scores over matched files (micro average) and per file."""
    per_file = []
    total = Counts()
    for g, p in match_files(gold, pred):
        c = count(read_beads(g), read_beads(p))
        per_file.append((os.path.basename(g), scores_from(c)))
        total = total + c
    return scores_from(total), per_file
