"""The review project: both sides' sentences, the machine's beads and the reviewer's beads.

A project is plain JSON (``*.review.json``), written atomically, so a review can be closed and
reopened. Sentences are stored per side in document order; beads refer to sentences by their
*position* in those lists (``s``/``t``), and ``src_ids``/``tgt_ids`` map positions back to the
sentence ids the aligner used, so the reviewed beads can be written as gold beads that ``duiqi eval``
compares with ``duiqi align --format beads`` output for the same document.

Every edit the page makes is a splice of the bead list (:func:`apply_splice`); the undo stack is a
list of those splices, so the edit log (what the reviewer changed) is derived from it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from duiqi import __version__
from duiqi.align.core import joiner
from duiqi.atomic import atomic_write
from duiqi.errors import InputError
from duiqi.records import Pair

FORMAT_VERSION = 1
#: The edit kinds the page records (the note of what the reviewer changed counts them).
EDIT_KINDS = ("merge", "split", "move", "untranslated", "check", "uncheck")


@dataclass(slots=True)
class ReviewBead:
    """A bead under review: sentence positions on each side, the machine's scores, review state."""

    s: list[int]
    t: list[int]
    score: float = 0.0
    quality: float | None = None
    checked: bool = False
    edited: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"s": self.s, "t": self.t, "score": round(self.score, 6),
                "q": None if self.quality is None else round(self.quality, 6),
                "checked": self.checked, "edited": self.edited}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ReviewBead:
        return cls(s=[int(i) for i in d["s"]], t=[int(i) for i in d["t"]], score=float(d.get("score") or 0.0),
                   quality=None if d.get("q") is None else float(d["q"]), checked=bool(d.get("checked")),
                   edited=bool(d.get("edited")))


@dataclass(slots=True)
class Project:
    """Everything a review needs; :meth:`to_json` / :func:`load_project` round-trip it."""

    src: list[str]
    tgt: list[str]
    beads: list[ReviewBead]
    machine: list[ReviewBead]
    src_lang: str = "zh"
    tgt_lang: str = "en"
    src_ids: list[int] = field(default_factory=list)
    tgt_ids: list[int] = field(default_factory=list)
    doc: str = ""
    inputs: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    undo: list[Any] = field(default_factory=list)
    redo: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.src_ids:
            self.src_ids = list(range(len(self.src)))
        if not self.tgt_ids:
            self.tgt_ids = list(range(len(self.tgt)))

    # -- views ------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Beads, checked beads, edited beads, untranslated sentences."""
        return {
            "beads": len(self.beads),
            "checked": sum(b.checked for b in self.beads),
            "edited": sum(b.edited for b in self.beads),
            "untranslated": sum(len(b.s) + len(b.t) for b in self.beads if not (b.s and b.t)),
        }

    def edit_log(self) -> dict[str, int]:
        """How many edits of each kind are in effect (undone edits do not count)."""
        out = dict.fromkeys(EDIT_KINDS, 0)
        for entry in self.undo:
            kind = entry.get("op") if isinstance(entry, Mapping) else None
            if kind in out:
                out[kind] += 1
        return out

    def changed_beads(self) -> int:
        """Beads of the reviewed alignment that the machine did not propose."""
        machine = {_key(b) for b in self.machine}
        return sum(_key(b) not in machine for b in self.beads)

    def review_note(self) -> str:
        """One line saying what the reviewer did (goes into the TMX header and the sidecar)."""
        c, log = self.counts(), self.edit_log()
        edits = ", ".join(f"{n} {k}" for k, n in log.items() if n and k not in ("check", "uncheck")) or "no edits"
        return (f"Reviewed with duiqi review: {c['checked']} of {c['beads']} beads checked; {edits}; "
                f"{self.changed_beads()} beads differ from the machine alignment "
                f"({len(self.machine)} machine beads); {c['untranslated']} sentences left without a translation.")

    def pairs(self, *, links_only: bool = True) -> list[Pair]:
        """The reviewed beads as pairs (original sentence ids); ``reviewed``/``edited`` flags."""
        glue_s, glue_t = joiner(self.src), joiner(self.tgt)
        out = []
        for b in self.beads:
            if links_only and not (b.s and b.t):
                continue
            flags = [f for f, on in (("reviewed", b.checked), ("edited", b.edited),
                                     ("untranslated", not (b.s and b.t))) if on]
            out.append(Pair(
                src=glue_s.join(self.src[i] for i in b.s),
                tgt=glue_t.join(self.tgt[j] for j in b.t),
                src_lang=self.src_lang, tgt_lang=self.tgt_lang, score=b.score,
                src_ids=tuple(self.src_ids[i] for i in b.s), tgt_ids=tuple(self.tgt_ids[j] for j in b.t),
                doc=self.doc, flags=tuple(flags), quality=None if b.edited else b.quality,
            ))
        return out

    def gold_lines(self) -> list[str]:
        """Every bead (untranslated ones too) as a ``duiqi eval`` bead line ``[0,1]:[2]``."""
        lines = []
        for b in self.beads:
            s = ",".join(str(self.src_ids[i]) for i in b.s)
            t = ",".join(str(self.tgt_ids[j]) for j in b.t)
            lines.append(f"[{s}]:[{t}]")
        return lines

    # -- (de)serialisation ------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "duiqi_review": FORMAT_VERSION,
            "duiqi": __version__,
            "saved": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "doc": self.doc,
            "inputs": self.inputs,
            "src_lang": self.src_lang,
            "tgt_lang": self.tgt_lang,
            "settings": self.settings,
            "src": self.src,
            "tgt": self.tgt,
            "src_ids": self.src_ids,
            "tgt_ids": self.tgt_ids,
            "machine": [b.to_json() for b in self.machine],
            "beads": [b.to_json() for b in self.beads],
            "undo": self.undo,
            "redo": self.redo,
            "counts": self.counts(),
            "edits": self.edit_log(),
        }

    def set_state(self, state: Mapping[str, Any], source: str = "page") -> None:
        """Take the page's beads and undo/redo stacks (validated: every sentence exactly once)."""
        try:
            beads = [ReviewBead.from_json(b) for b in state["beads"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(source, f"bad bead list ({exc})") from None
        check_partition(beads, len(self.src), len(self.tgt), source)
        undo, redo = state.get("undo", []), state.get("redo", [])
        if not isinstance(undo, list) or not isinstance(redo, list):
            raise InputError(source, "undo/redo must be lists")
        self.beads, self.undo, self.redo = beads, undo, redo


def _key(b: ReviewBead) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return (tuple(sorted(b.s)), tuple(sorted(b.t)))


def check_partition(beads: Sequence[ReviewBead], n_src: int, n_tgt: int, source: str) -> None:
    """Every sentence of each side in exactly one bead, no empty bead; else :class:`InputError`."""
    for side, n, ids in (("source", n_src, [i for b in beads for i in b.s]),
                         ("target", n_tgt, [j for b in beads for j in b.t])):
        if sorted(ids) != list(range(n)):
            seen = set(ids)
            missing = [i for i in range(n) if i not in seen][:5]
            dup = sorted({i for i in ids if ids.count(i) > 1})[:5] if len(ids) != len(seen) else []
            bad = [i for i in ids if not 0 <= i < n][:5]
            raise InputError(source, f"{side} sentences not covered exactly once by the beads "
                                     f"(missing {missing}, repeated {dup}, out of range {bad})")
    for k, b in enumerate(beads):
        if not b.s and not b.t:
            raise InputError(source, f"bead {k} is empty")


def from_pairs(
    pairs: Sequence[Pair],
    src: Mapping[int, str],
    tgt: Mapping[int, str],
    *,
    src_lang: str,
    tgt_lang: str,
    doc: str = "",
    inputs: Iterable[str] = (),
    settings: Mapping[str, Any] | None = None,
) -> Project:
    """A project from aligned pairs and every sentence of each side (``id -> text``).

    Sentences no pair covers become untranslated (1-0 / 0-1) beads, placed next to their neighbours:
    a source sentence before the first bead that starts after it, a target sentence right after the
    bead that holds the target sentence before it.
    """
    s_pos = {sid: k for k, sid in enumerate(sorted(src))}
    t_pos = {tid: k for k, tid in enumerate(sorted(tgt))}
    links: list[ReviewBead] = []
    used_s: set[int] = set()
    used_t: set[int] = set()
    for p in pairs:
        for side, ids, known in (("source", p.src_ids, s_pos), ("target", p.tgt_ids, t_pos)):
            unknown = [i for i in ids if i not in known]
            if unknown:
                raise InputError(doc or None, f"a pair names {side} sentence {unknown[0]}, which the document lacks")
        s = [s_pos[i] for i in p.src_ids if i in s_pos and s_pos[i] not in used_s]
        t = [t_pos[j] for j in p.tgt_ids if j in t_pos and t_pos[j] not in used_t]
        if not s and not t:
            continue
        used_s.update(s)
        used_t.update(t)
        links.append(ReviewBead(s=sorted(s), t=sorted(t), score=p.score, quality=p.quality))
    links.sort(key=lambda b: (min(b.s) if b.s else _tgt_anchor(b, links), min(b.t) if b.t else -1))
    beads: list[ReviewBead] = []
    orphans_s = [k for k in range(len(s_pos)) if k not in used_s]
    oi = 0
    for b in links:
        first = min(b.s) if b.s else None
        while first is not None and oi < len(orphans_s) and orphans_s[oi] < first:
            beads.append(ReviewBead(s=[orphans_s[oi]], t=[]))
            oi += 1
        beads.append(b)
    beads.extend(ReviewBead(s=[k], t=[]) for k in orphans_s[oi:])
    beads = _place_target_orphans(beads, [k for k in range(len(t_pos)) if k not in used_t])
    machine = [ReviewBead(list(b.s), list(b.t), b.score, b.quality) for b in beads]
    return Project(
        src=[src[i] for i in sorted(src)], tgt=[tgt[j] for j in sorted(tgt)], beads=beads, machine=machine,
        src_lang=src_lang, tgt_lang=tgt_lang, src_ids=sorted(src), tgt_ids=sorted(tgt), doc=doc,
        inputs=list(inputs), settings=dict(settings or {}),
    )


def _place_target_orphans(beads: list[ReviewBead], orphans: list[int]) -> list[ReviewBead]:
    """Each unaligned target sentence ``k`` (ascending) as a 0-1 bead right after the last bead that
    holds a target sentence before ``k`` (at the start when there is none)."""
    firsts = sorted((min(b.t), idx) for idx, b in enumerate(beads) if b.t)
    slots: dict[int, list[int]] = {}
    p, best = 0, -1
    for k in orphans:
        while p < len(firsts) and firsts[p][0] < k:
            best = max(best, firsts[p][1])
            p += 1
        slots.setdefault(best + 1, []).append(k)
    out: list[ReviewBead] = []
    for idx in range(len(beads) + 1):
        out.extend(ReviewBead(s=[], t=[k]) for k in slots.get(idx, []))
        if idx < len(beads):
            out.append(beads[idx])
    return out


def _tgt_anchor(b: ReviewBead, links: Sequence[ReviewBead]) -> float:
    """Sort key of a bead with no source side: just after the link holding the target before it."""
    first = min(b.t)
    best = -1.0
    for o in links:
        if o.s and o.t and max(o.t) < first:
            best = max(best, max(o.s) + 0.5)
    return best


def load_project(path: str) -> Project:
    """Read a ``*.review.json`` project (one-line error naming the file when it is not one)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(path, f"not a review project ({exc})") from None
    if not isinstance(data, dict) or data.get("duiqi_review") != FORMAT_VERSION:
        raise InputError(path, f"not a duiqi review project (format {FORMAT_VERSION} expected)")
    try:
        proj = Project(
            src=[str(x) for x in data["src"]], tgt=[str(x) for x in data["tgt"]],
            beads=[ReviewBead.from_json(b) for b in data["beads"]],
            machine=[ReviewBead.from_json(b) for b in data["machine"]],
            src_lang=str(data.get("src_lang", "zh")), tgt_lang=str(data.get("tgt_lang", "en")),
            src_ids=[int(i) for i in data.get("src_ids", [])], tgt_ids=[int(i) for i in data.get("tgt_ids", [])],
            doc=str(data.get("doc", "")), inputs=[str(x) for x in data.get("inputs", [])],
            settings=dict(data.get("settings", {})), undo=list(data.get("undo", [])),
            redo=list(data.get("redo", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(path, f"damaged review project ({exc})") from None
    if len(proj.src_ids) != len(proj.src) or len(proj.tgt_ids) != len(proj.tgt):
        raise InputError(path, "damaged review project (sentence id lists do not match the sentences)")
    check_partition(proj.beads, len(proj.src), len(proj.tgt), path)
    return proj


def save_project(project: Project, path: str) -> None:
    """Write the project atomically (a reader never sees half a file)."""
    with atomic_write(path) as fh:
        json.dump(project.to_json(), fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")


def project_path_for(output: str) -> str:
    """The project file beside an export: ``out.tmx`` -> ``out.review.json``."""
    base, ext = os.path.splitext(output)
    if ext.lower() == ".json" and base.endswith(".review"):
        return output
    return base + ".review.json"
