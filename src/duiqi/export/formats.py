"""The output formats, in one registry: name, file extensions, what each needs. Checked before any work.

:func:`resolve_format` turns ``-o``/``--format`` into a format name or a one-line error (an unknown
extension is never silently JSONL); :func:`check_output` then refuses, before a single input is read,
what cannot be written (Parquet without pyarrow, a binary or two-file format on standard output).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from duiqi.errors import DuiqiError, MissingDependencyError


@dataclass(frozen=True, slots=True)
class OutputFormat:
    name: str
    extensions: tuple[str, ...]
    description: str
    needs_path: bool = False
    """Cannot go to standard output (binary, or several files)."""
    module: str | None = None
    """Optional module the writer imports (checked up front)."""
    install: str = ""


OUTPUT_FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("jsonl", (".jsonl", ".json"), "one JSON record per pair, every field"),
        OutputFormat("tsv", (".tsv",), "tab-separated; --tsv-columns plain for src<TAB>tgt only, --tsv-header"),
        OutputFormat("tmx", (".tmx",), "TMX 1.4b translation memory"),
        OutputFormat("moses", (), "line-parallel plain text: OUT.<src-lang> and OUT.<tgt-lang>",
                     needs_path=True),
        OutputFormat("beads", (".beads", ".align"), "one bead a line: [0,1]:[2]:score"),
        OutputFormat("parquet", (".parquet",), "Apache Parquet, every field", needs_path=True,
                     module="pyarrow", install="pip install 'duiqi[parquet]'"),
    )
}

FORMATS: tuple[str, ...] = tuple(OUTPUT_FORMATS)
#: Extensions kept for compatibility (``.txt`` meant TSV before ``moses`` existed).
_LEGACY_EXTENSIONS = {".txt": "tsv"}


def _by_extension() -> dict[str, str]:
    out = dict(_LEGACY_EXTENSIONS)
    for f in OUTPUT_FORMATS.values():
        out.update({ext: f.name for ext in f.extensions})
    return out


def format_from_path(path: str | None, default: str = "jsonl") -> str:
    """The output format implied by a file name; ``default`` for standard output, no extension, or an
    extension no format claims (use :func:`resolve_format` to refuse the last case)."""
    if not path or path == "-":
        return default
    ext = os.path.splitext(path)[1].lower()
    return _by_extension().get(ext, default)


def resolve_format(path: str | None, fmt: str | None, *, allowed: tuple[str, ...] = FORMATS,
                   default: str = "jsonl") -> str:
    """``fmt`` when given (must be one of ``allowed``), else the format of ``path``'s extension.

    No path, ``-`` or no extension: ``default``. An extension no format claims is an error naming it
    (``-o x.xlsx`` is not silently JSONL); ``--format`` overrides the extension.
    """
    if fmt is not None:
        if fmt not in allowed:
            raise DuiqiError(f"unknown output format {fmt!r} (choose from {', '.join(allowed)})")
        return fmt
    if not path or path == "-":
        return default
    ext = os.path.splitext(os.path.basename(path))[1].lower()
    if not ext:
        return default
    name = _by_extension().get(ext)
    if name is None or name not in allowed:
        known = " ".join(e for e, n in sorted(_by_extension().items()) if n in allowed)
        raise DuiqiError(
            f"{path}: unknown output extension {ext!r} (known: {known}); name the format with --format "
            f"({', '.join(allowed)})"
        )
    return name


def check_output(fmt: str, path: str | None) -> None:
    """Refuse now what the writer would refuse after the work: a missing optional package, or
    standard output for a format that needs a file."""
    spec = OUTPUT_FORMATS.get(fmt)
    if spec is None:
        raise DuiqiError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    if spec.module is not None:
        import importlib.util

        if importlib.util.find_spec(spec.module) is None:
            raise MissingDependencyError(f"{fmt} output", spec.install)
    if spec.needs_path and (path is None or path == "-"):
        raise DuiqiError(f"{fmt} output needs a file name (-o OUT), not standard output")


def formats_help() -> str:
    """One line per format for ``--help``."""
    return "; ".join(
        f"{f.name} ({' '.join(f.extensions)})" if f.extensions else f"{f.name} (--format only)"
        for f in OUTPUT_FORMATS.values()
    )
