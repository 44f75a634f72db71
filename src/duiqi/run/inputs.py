"""Inputs of a corpus run: files, folders, globs, JSONL/Parquet record files, pairs of folders.

:func:`expand_inputs` turns what the user typed into an ordered list of :class:`Source` s. The order
depends only on the inputs (folders are walked in sorted order, glob matches are sorted), so the
shard plan built from it is deterministic. No document is read here.
"""

from __future__ import annotations

import glob
import hashlib
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from duiqi.errors import InputError
from duiqi.io.text import clean_id

#: ``file`` one document; ``jsonl``/``parquet`` one document per record; ``pair`` two parallel documents;
#: ``unpaired`` a file of a ``--pair-dirs`` folder with no counterpart, ``unreadable`` a dangling symbolic
#: link, a FIFO, device or socket, or a file this user may not read (both go to the rejects: the planner
#: never opens them, so they can neither crash nor hang it).
SourceKind = Literal["file", "jsonl", "parquet", "pair", "unpaired", "unreadable"]

RECORD_EXTENSIONS: dict[str, SourceKind] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


@dataclass(frozen=True, slots=True)
class Source:
    """One expanded input. ``name`` is the document id (files) or the id prefix (record files)."""

    kind: SourceKind
    path: str
    name: str
    tgt_path: str | None = None
    problem: str | None = None
    """Why an ``unreadable`` source cannot be read."""


def unreadable(path: str) -> str | None:
    """Why ``path`` cannot be read as an input document (``None`` when it can): a dangling symbolic
    link, a FIFO/device/socket (reading would block or never end), or no read permission."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "a symbolic link to a file that does not exist" if os.path.islink(path) else "no such file"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a FIFO, device or socket)"
    if not os.access(path, os.R_OK):
        return "cannot be read: permission denied"
    return None


def _source(path: str, name: str) -> Source:
    problem = unreadable(path)
    if problem is not None:
        return Source("unreadable", path, clean_id(name), problem=problem)
    return Source(source_kind(path), path, clean_id(name))

def source_kind(path: str) -> SourceKind:
    """``jsonl``/``parquet`` for record files (by extension), ``file`` for anything else."""
    return RECORD_EXTENSIONS.get(os.path.splitext(path)[1].lower(), "file")


def _walk(root: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Files under ``root`` sorted by relative path, hidden files and folders skipped, and so are the
    folders in ``exclude`` (real paths: the run's own output folder when it lies inside an input)."""
    found: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")
                       and os.path.realpath(os.path.join(dirpath, d)) not in exclude]
        for name in filenames:
            if not name.startswith("."):
                path = os.path.join(dirpath, name)
                found.append((_rel(path, root), path))
    return [path for _, path in sorted(found)]


def _rel(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def _inside(path: str, exclude: frozenset[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == d or real.startswith(d + os.sep) for d in exclude)


def _expand_one(spec: str, exclude: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """(path, name) for one input: a file, a folder (walked) or a glob pattern (sorted matches)."""
    if os.path.isdir(spec):
        if _inside(spec, exclude):
            return
        for path in _walk(spec, exclude):
            yield path, _rel(path, spec)
    elif os.path.lexists(spec):
        yield spec, spec  # a file, or something unreadable named on purpose (goes to the rejects)
    else:
        matches = sorted(glob.glob(spec, recursive=True)) if glob.has_magic(spec) else []
        if not matches:
            raise InputError(spec, "no such file or folder, and no file matches it as a glob pattern")
        for path in matches:
            if _inside(path, exclude):
                continue
            if os.path.isdir(path):
                for sub in _walk(path, exclude):
                    yield sub, _rel(sub, os.path.dirname(path) or ".")
            else:
                yield path, path


def _expand_pair_dirs(src_dir: str, tgt_dir: str, exclude: frozenset[str] = frozenset()) -> Iterator[Source]:
    """Files of two folders matched by relative name; files without a counterpart are ``unpaired``."""
    for d in (src_dir, tgt_dir):
        if not os.path.isdir(d):
            raise InputError(d, "--pair-dirs needs two folders; this is not a folder")
    src = {_rel(p, src_dir): p for p in _walk(src_dir, exclude)}
    tgt = {_rel(p, tgt_dir): p for p in _walk(tgt_dir, exclude)}
    for name in sorted(src.keys() | tgt.keys()):
        if name in src and name in tgt:
            problem = unreadable(src[name]) or unreadable(tgt[name])
            if problem is not None:
                bad = src[name] if unreadable(src[name]) else tgt[name]
                yield Source("unreadable", bad, clean_id(name), problem=problem)
            else:
                yield Source("pair", src[name], clean_id(name), tgt[name])
        else:
            lone = src.get(name) or tgt[name]
            yield Source("unpaired", lone, clean_id(name))


def expand_inputs(inputs: Sequence[str], pair_dirs: Sequence[tuple[str, str]] = (),
                  exclude: Sequence[str] = ()) -> list[Source]:
    """All sources, in a deterministic order; a file named twice is used once. Nothing inside the
    folders ``exclude`` is an input (a run's output folder may lie inside its input folder).

    Raises :class:`InputError` for an input that names nothing.
    """
    skip = frozenset(os.path.realpath(d) for d in exclude)
    out: list[Source] = []
    seen: set[str] = set()
    for spec in inputs:
        for path, name in _expand_one(spec, skip):
            key = os.path.abspath(path)
            if key in seen:
                continue
            seen.add(key)
            out.append(_source(path, name))
    for src_dir, tgt_dir in pair_dirs:
        out.extend(_expand_pair_dirs(src_dir, tgt_dir, skip))
    if not out:
        raise InputError(" ".join(inputs) or None, "no input documents (the folders are empty)")
    return out


def inputs_digest(sources: Sequence[Source]) -> str:
    """Hash of the expanded inputs (kinds, paths, sizes, modification times): a resumed run must see the
    same files, or its shard plan would differ."""
    h = hashlib.sha256()
    for s in sources:
        parts = [s.kind, os.path.abspath(s.path), s.name]
        for p in (s.path, s.tgt_path):
            if p is None:
                continue
            try:
                st = os.stat(p)
                parts += [str(st.st_size), str(st.st_mtime_ns)]
            except OSError:
                parts.append("missing")
        h.update("\x1f".join(parts).encode("utf-8", "surrogateescape"))
        h.update(b"\x1e")
    return h.hexdigest()[:16]
