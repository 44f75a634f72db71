"""Feed one input to every reader duiqi has: the harness of the property test and of
``benchmarks/fuzz_readers.py``.

:func:`feed_bytes` writes ``data`` under every input extension and reads it with every reader
(documents, pairs, beads, corpus-run records) and repairs what decodes; :func:`feed_record` does the same
for one JSON value as a JSONL line. A reader may accept the input or refuse it with a
:class:`~duiqi.errors.DuiqiError` (one line naming the file); any other exception is a bug and is
returned, with its traceback, to the caller.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable
from typing import Any

from duiqi.align.evaluate import read_beads
from duiqi.errors import DuiqiError
from duiqi.export import read_pairs
from duiqi.io import iter_documents
from duiqi.io.decode import decode_bytes
from duiqi.repair import repair
from duiqi.run.inputs import expand_inputs
from duiqi.run.shards import iter_items, plan_shards

EXTENSIONS = (".txt", ".md", ".html", ".docx", ".pdf", ".jsonl", ".tsv", ".beads", ".unknown")


def _readers(path: str) -> list[tuple[str, Callable[[], Any]]]:
    def documents() -> Any:
        for doc in iter_documents(path):
            repair(doc.text[:20000])

    def run_items() -> Any:
        for spec in plan_shards(expand_inputs([path]), 3):
            list(iter_items(spec))

    out: list[tuple[str, Callable[[], Any]]] = [("iter_documents", documents), ("run", run_items)]
    if path.endswith((".jsonl", ".tsv")):
        out.append(("read_pairs", lambda: list(read_pairs(path))))
    if path.endswith(".beads"):
        out.append(("read_beads", lambda: read_beads(path)))
    return out


def feed_bytes(data: bytes, folder: str) -> list[str]:
    """Read ``data`` as every kind of input file in ``folder``; the tracebacks of unexpected errors."""
    problems: list[str] = []

    def attempt(label: str, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except DuiqiError:
            pass
        except Exception:
            problems.append(f"{label}: {traceback.format_exc()}")

    def decode_and_repair() -> None:
        repair(decode_bytes(data, "<fuzz>").text[:20000])

    attempt("decode_bytes+repair", decode_and_repair)
    for ext in EXTENSIONS:
        path = os.path.join(folder, "case" + ext)
        with open(path, "wb") as fh:
            fh.write(data)
        for name, fn in _readers(path):
            attempt(f"{name}({ext})", fn)
        os.unlink(path)
    return problems


def feed_record(value: Any, folder: str) -> list[str]:
    """One JSON value as a JSONL line (as-is, and as the ``text``/``id``/pair fields of a record)."""
    lines = [value, {"id": value, "text": value}, {"text": "中文。English.", "id": value, "meta": value},
             {"src": value, "tgt": "x", "score": value, "flags": value}]
    problems: list[str] = []
    for line in lines:
        data = json.dumps(line, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"
        problems += feed_bytes(data, folder)
    return problems
