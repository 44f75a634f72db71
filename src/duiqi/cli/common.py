"""Helpers shared by the subcommands: input reading and output opening."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import IO

from duiqi.atomic import atomic_write, check_output
from duiqi.errors import DuiqiError, InputError
from duiqi.io import read_document
from duiqi.io.decode import decode_bytes, read_text
from duiqi.records import Document


@contextlib.contextmanager
def open_output(path: str | None, binary: bool = False) -> Iterator[IO]:
    """``None`` or ``-`` is standard output; a path is written the safe way (:func:`duiqi.atomic.atomic_write`)."""
    if path in (None, "-"):
        yield sys.stdout.buffer if binary else sys.stdout
        return
    assert path is not None
    check_output(path)
    with atomic_write(path, "wb" if binary else "w") as fh:
        yield fh


def input_text(path: str) -> str:
    """The text of an input file as plain text (``-``: standard input), any encoding; one-line errors."""
    if path == "-":
        return decode_bytes(sys.stdin.buffer.read(), "-").text
    try:
        return read_text(path).text
    except FileNotFoundError as exc:
        raise InputError(path, "no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(path, "is a folder, not a file") from exc


def input_document(path: str) -> Document:
    """A :class:`duiqi.records.Document` from any format duiqi reads (``-``: standard input, as text)."""
    if path == "-":
        return _not_empty(Document(id="stdin", text=input_text(path), source="-"), path)
    if os.path.isdir(path):
        raise InputError(path, "is a folder, not a file")
    if not os.path.exists(path):
        raise InputError(path, "no such file")
    return _not_empty(read_document(path), path)


def _not_empty(doc: Document, path: str) -> Document:
    if not doc.text.strip():
        raise DuiqiError(f"{path}: the document is empty")
    return doc
