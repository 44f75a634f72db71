"""The ``duiqi`` command: a thin adapter over the public API.

Each subcommand lives in its own module of this package (``repair.py``, ``split.py``, ``align.py``,
...) and exposes ``register(subparsers)``, which adds its parser and sets ``func`` to a function
``(args) -> int``. Modules are found automatically, so adding a command touches no other file.
Command modules import what they use at their top (``duiqi --help`` imports them all); heavy optional
extras (TensorFlow, Ray, pyarrow, ...) stay lazy inside the leaf module that uses them
(``tests/test_imports.py`` checks both).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import duiqi.cli as pkg
from duiqi import __version__
from duiqi.atomic import note_input, protect_inputs
from duiqi.cli.options import add_common, apply_config, remember_options
from duiqi.errors import DuiqiError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="duiqi",
        description="duiqi (对齐): noisy bilingual Chinese-English documents in, clean sentence pairs out.",
    )
    parser.add_argument("--version", action="version", version=f"duiqi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name in {"main", "common", "options"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"duiqi.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    for command in sub.choices.values():  # -q/-v/--config and help showing defaults, on every command
        add_common(command)
    remember_options(sub.choices)
    parser.set_defaults(_subparsers=sub)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse; with ``--config FILE`` the file's values become the command's defaults and the command
    line is parsed again, so flags given there override the file."""
    args = parser.parse_args(argv)
    if getattr(args, "config", None) and getattr(args, "command", None):
        command = args._subparsers.choices[args.command]
        apply_config(command, args.command, args.config)
        args = parser.parse_args(argv)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI in-process; returns the exit code (0 ok, 1 failure of the job, 2 bad input/usage)."""
    parser = build_parser()
    try:
        args = _parse(parser, argv)
    except DuiqiError as exc:  # a bad config file
        print(f"duiqi: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else 2
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2

    problem = _bad_number(args)
    if problem:
        print(f"duiqi: error: {problem}", file=sys.stderr)
        return 2
    _tolerant_stdio()
    try:
        with protect_inputs():  # no command writes an output onto one of its inputs
            for path in _positional_values(parser, args):
                note_input(path)
            return int(func(args) or 0)
    except DuiqiError as exc:
        print(f"duiqi: error: {_printable(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:  # anything the commands did not name themselves: still one line
        where = f"{_printable(str(exc.filename))}: " if exc.filename else ""
        print(f"duiqi: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except RecursionError:
        print("duiqi: error: input nested too deeply", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("duiqi: interrupted", file=sys.stderr)
        return 130


def _positional_values(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The values of the command's positional arguments: its inputs (every output is an option)."""
    values: list[str] = []
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        sub = getattr(action, "choices", {}).get(getattr(args, "command", None))
        if sub is None:
            continue
        for a in sub._actions:
            if a.option_strings:
                continue
            value = getattr(args, a.dest, None)
            items = value if isinstance(value, list) else [value]
            values.extend(v for v in items if isinstance(v, str) and v != "-")
    return values


#: Float options that are durations or sizes: negative values mean nothing.
_NON_NEGATIVE_FLOATS = frozenset({"doc_timeout", "fake_delay"})


def _bad_number(args: argparse.Namespace) -> str | None:
    """One check for every numeric option of every command: floats must be finite (``nan``/``inf`` are
    refused), integers (counts, sizes, sentence numbers) and durations must not be negative."""
    import math

    for dest, value in sorted(vars(args).items()):
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        option = "--" + dest.replace("_", "-")
        if isinstance(value, float) and not math.isfinite(value):
            return f"{option}: expected a finite number, got {value}"
        if (isinstance(value, int) or dest in _NON_NEGATIVE_FLOATS) and value < 0:
            return f"{option}: expected a number >= 0, got {value}"
    return None


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _tolerant_stdio() -> None:
    """A lone surrogate (an id from a file name in a foreign encoding) is printed escaped, not a crash."""
    import io

    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
