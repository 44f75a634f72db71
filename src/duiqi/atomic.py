"""The one place duiqi writes an output file: :func:`atomic_write`.

Every output (pairs, sidecars, rejects, reports, run folders) goes through :func:`atomic_write`, which
decides once, for every command, what writing to a path means:

* ``-`` is standard output, written directly;
* a path that resolves to a device, a FIFO or a socket (``/dev/null``, ``/dev/full``, a ``mknod`` node,
  a named pipe) is opened and written directly -- never replaced by a regular file;
* a symbolic link is followed: the file it points to is replaced atomically, the link stays;
* a regular (or new) file is written to a temporary file beside it, fsynced and renamed over it, so
  readers never see a half-written output; the new file gets the permissions of the file it replaces,
  or those the umask gives a new file (never a forced 0600);
* a folder, or a file the running command read as an input (see :func:`protect_inputs`), is refused;
* an ``OSError`` on the way (read-only folder, full disk, ...) becomes an :class:`OutputError` naming
  the path: one line, no traceback.

:func:`is_regular_output` tells whether a path gets a ``.meta.json`` sidecar (only beside regular files).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import IO

from duiqi.errors import DuiqiError


class OutputError(DuiqiError):
    """An output cannot be written: names the path and says why."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def _describe(path: str) -> str:
    """A printable form of ``path`` (file names in a foreign encoding escaped, never an encode error)."""
    return path.encode("utf-8", "backslashreplace").decode("utf-8")


# -- inputs a command must not overwrite --------------------------------------------------------------

_guard = threading.local()


@contextlib.contextmanager
def protect_inputs() -> Iterator[None]:
    """Inside this block every file recorded with :func:`note_input` is refused as an output.

    The CLI wraps each command in it and records the command's positional arguments (its inputs; every
    output is an option), so no command writes an output onto one of its inputs -- compared by device
    and inode: another spelling, a hard link or a symlink of the input is caught too.
    """
    previous = getattr(_guard, "inputs", None)
    _guard.inputs = set() if previous is None else previous
    try:
        yield
    finally:
        _guard.inputs = previous


def note_input(path: str | os.PathLike[str]) -> None:
    """Record ``path`` as an input of the running command (no-op outside :func:`protect_inputs`)."""
    inputs = getattr(_guard, "inputs", None)
    if inputs is None:
        return
    with contextlib.suppress(OSError, ValueError):
        st = os.stat(path)
        if stat.S_ISREG(st.st_mode):
            inputs.add((st.st_dev, st.st_ino))


def release_input(path: str | os.PathLike[str]) -> None:
    """Allow the running command to write ``path`` although it is one of its inputs: only for a file the
    user names as a document the command edits in place (a ``.review.json`` project being continued)."""
    inputs = getattr(_guard, "inputs", None)
    if inputs is None:
        return
    with contextlib.suppress(OSError, ValueError):
        st = os.stat(path)
        inputs.discard((st.st_dev, st.st_ino))


def _is_input(st: os.stat_result) -> bool:
    inputs: set[tuple[int, int]] | None = getattr(_guard, "inputs", None)
    return inputs is not None and (st.st_dev, st.st_ino) in inputs


# -- what a path is -----------------------------------------------------------------------------------


def _target_stat(path: str) -> os.stat_result | None:
    """``stat`` of what ``path`` resolves to (symlinks followed), ``None`` when nothing is there yet."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise OutputError(_describe(path), "a part of the path is a file, not a folder") from None
    except OSError as exc:
        raise OutputError(_describe(path), f"cannot write: {exc.strerror or exc}") from None


def is_regular_output(path: str | os.PathLike[str] | None) -> bool:
    """True when ``path`` is (or will be) a regular file: the outputs that get a ``.meta.json`` sidecar.

    False for ``-``/``None`` (standard output), devices, FIFOs, sockets and folders.
    """
    if path is None:
        return False
    target = os.fspath(path)
    if target == "-":
        return False
    try:
        st = os.stat(target)
    except OSError:
        return True
    return stat.S_ISREG(st.st_mode)


def check_output(path: str | os.PathLike[str]) -> None:
    """Raise :class:`OutputError` now if ``path`` cannot be an output (a folder, or an input of the
    running command), so a command can refuse before doing its work."""
    target = os.fspath(path)
    if target == "-":
        return
    st = _target_stat(target)
    if st is None:
        return
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(_describe(target), "is a folder; give a file name")
    if stat.S_ISREG(st.st_mode) and _is_input(st):
        raise OutputError(_describe(target), "is one of the inputs of this command; refusing to overwrite it")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Text outputs write a lone surrogate (an id from a file name in a foreign encoding, a broken JSON
#: escape) as ``\\udcxx`` instead of failing the whole output.
_ERRORS = "backslashreplace"

_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EPIPE}


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open ``path`` for writing the safe way (see the module documentation); yields a file object.

    Regular files: on success the data is fsynced and renamed over ``path``; on error the temporary
    file is removed and ``path`` is left as it was.
    """
    binary = "b" in mode
    target = os.fspath(path)
    if target == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    shown = _describe(target)
    check_output(target)
    st = _target_stat(target)
    if st is not None and not stat.S_ISREG(st.st_mode):
        # A device, FIFO or socket: write to it as it is (a FIFO blocks until someone reads it).
        try:
            fh = open(target, mode, encoding=None if binary else encoding,  # noqa: SIM115 - closed below
                      errors=None if binary else _ERRORS, newline=None if binary else "")
        except OSError as exc:
            raise OutputError(shown, f"cannot write: {exc.strerror or exc}") from None
        try:
            with fh:
                yield fh
        except OSError as exc:
            if exc.errno in _WRITE_ERRNOS:
                raise OutputError(shown, f"cannot write: {exc.strerror or exc}") from None
            raise
        return
    real = os.path.realpath(target)  # through symlinks: the link stays, the file it names is replaced
    directory = os.path.dirname(real)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(real) + ".", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(shown, f"cannot write: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        with os.fdopen(fd, mode, encoding=None if binary else encoding,
                       errors=None if binary else _ERRORS, newline=None if binary else "") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        check_output(target)  # again: the command may have read it as an input meanwhile
        try:
            os.replace(tmp, real)
        except OSError as exc:
            raise OutputError(shown, f"cannot write: {exc.strerror or exc}") from None
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in _WRITE_ERRNOS:
            raise OutputError(shown, f"cannot write: {exc.strerror or exc}") from None
        raise
