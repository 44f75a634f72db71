"""Errors duiqi raises on bad input. The CLI prints them as one line, never a traceback."""

from __future__ import annotations


class DuiqiError(Exception):
    """Base class of every error duiqi raises on purpose."""


class InputError(DuiqiError):
    """An input file cannot be used: names the file and says what is wrong."""

    def __init__(self, source: str | None, reason: str) -> None:
        self.source = source or "<input>"
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")


class MissingDependencyError(DuiqiError):
    """An optional backend was asked for but its package (or model) is not installed."""

    def __init__(self, what: str, install: str) -> None:
        self.what = what
        self.install = install
        super().__init__(f"{what} is not available: {install}")


class ConfigError(DuiqiError, ValueError):
    """A setting is out of range or unknown (every config's validation raises this one error).

    A :class:`ValueError` too, so ``except ValueError`` written before it existed still catches it.
    """
