"""Exporting a reviewed alignment: TMX (signature + a note of what the reviewer changed), TSV, Moses,
JSONL through :func:`duiqi.export.write_pairs`, and gold beads that ``duiqi eval`` reads."""

from __future__ import annotations

import io
import json
import os
from typing import Any

from duiqi import __version__
from duiqi.atomic import atomic_write
from duiqi.errors import DuiqiError
from duiqi.export import FORMATS, write_pairs
from duiqi.review.project import Project
from duiqi.signature import signature

#: What the page offers, with the file name suffix each one gets beside the project.
EXPORTS = {"tmx": ".tmx", "tsv": ".tsv", "jsonl": ".jsonl", "moses": "", "gold": ".gold.beads"}


def export_settings(project: Project) -> dict[str, Any]:
    """The alignment's settings plus what the review did: they make the output's signature."""
    c = project.counts()
    return {**project.settings, "review": "yes", "review.checked": f"{c['checked']}/{c['beads']}",
            "review.changed_beads": project.changed_beads()}


def export_paths(stem: str, fmt: str, project: Project) -> list[str]:
    if fmt == "moses":
        return [f"{stem}.{project.src_lang}", f"{stem}.{project.tgt_lang}"]
    return [stem + EXPORTS[fmt]]


def export(project: Project, fmt: str, stem: str) -> list[str]:
    """Write ``project`` as ``fmt`` beside ``stem`` (e.g. ``out`` -> ``out.tmx``); the paths written."""
    if fmt not in EXPORTS:
        raise DuiqiError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORTS)})")
    settings = export_settings(project)
    note = project.review_note()
    paths = export_paths(stem, fmt, project)
    if fmt == "gold":
        with atomic_write(paths[0]) as fh:
            for line in project.gold_lines():
                fh.write(line + "\n")
        _sidecar(paths[0], settings, fmt, len(project.beads), note)
        return paths
    pairs = project.pairs()
    if fmt == "tmx":
        buf = io.StringIO()
        write_pairs(pairs, buf, "tmx", settings=settings, sidecar=False)
        write_text(paths[0], _tmx_with_note(buf.getvalue(), note))
        _sidecar(paths[0], settings, fmt, len(pairs), note)
    elif fmt == "moses":
        _moses(pairs, stem, settings, note)
    else:
        write_pairs(pairs, paths[0], fmt, settings=settings, sidecar=False)
        _sidecar(paths[0], settings, fmt, len(pairs), note)
    return paths


def write_text(path: str, text: str) -> None:
    with atomic_write(path) as fh:
        fh.write(text)


def _tmx_with_note(tmx: str, note: str) -> str:
    """Put ``<note>`` (what the reviewer changed) in the header, after the signature ``prop``."""
    from xml.sax.saxutils import escape

    at = tmx.find("</header>")
    if at < 0:
        raise DuiqiError("TMX writer output has no header")
    line_start = tmx.rfind("\n", 0, at) + 1
    return f"{tmx[:line_start]}    <note>{escape(note)}</note>\n{tmx[line_start:]}"


def _sidecar(path: str, settings: dict[str, Any], fmt: str, n: int, note: str) -> None:
    info = {"signature": signature(settings), "settings": settings, "format": fmt, "pairs": n,
            "duiqi": __version__, "review": note}
    with atomic_write(path + ".meta.json") as fh:
        json.dump(info, fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")


def _moses(pairs: list[Any], stem: str, settings: dict[str, Any], note: str) -> None:
    """Line-parallel ``stem.<src>``/``stem.<tgt>``: through ``write_pairs`` when this duiqi has the
    ``moses`` format, else written here the same way (one line per pair, line breaks become spaces)."""
    if "moses" in FORMATS:
        write_pairs(pairs, stem, "moses", settings=settings, sidecar=False)
    else:
        import re

        brk = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
        src_lang = pairs[0].src_lang if pairs else settings.get("src_lang", "zh")
        tgt_lang = pairs[0].tgt_lang if pairs else settings.get("tgt_lang", "en")
        for suffix, side in ((src_lang, "src"), (tgt_lang, "tgt")):
            with atomic_write(f"{stem}.{suffix}") as fh:
                for p in pairs:
                    fh.write(brk.sub(" ", getattr(p, side)).strip(" ") + "\n")
    _sidecar(stem, settings, "moses", len(pairs), note)


def default_stem(project_path: str) -> str:
    """``out.review.json`` -> ``out`` (exports go beside the project file)."""
    base = project_path[: -len(".review.json")] if project_path.endswith(".review.json") else os.path.splitext(project_path)[0]
    return base
