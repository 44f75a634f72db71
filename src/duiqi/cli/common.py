"""Helpers shared by the subcommands: input reading and output opening."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import IO

from duiqi.atomic import atomic_write, check_output


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
