"""What every subcommand shares: ``-q/-v``, ``--config recipe.toml``, help that shows each default, and
deprecated spellings that still work (with a warning).

``main`` calls :func:`add_common` on every subparser after the commands registered themselves, and
:func:`apply_config` between two parses: the TOML file's values become the parser's defaults, so a flag
on the command line always wins. The config's name and hash go into the output signature
(:func:`config_settings`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from duiqi.errors import DuiqiError, InputError
from duiqi.export.formats import FORMATS, check_output, formats_help, resolve_format

#: Options that only make sense on the command line, never in a recipe.
_NOT_IN_CONFIG = {"help", "config", "func", "version"}


class _DefaultsMixin:
    """Appends ``(default: X)`` to an option's help unless the help already names its default."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "%(default)" in text or "default" in text.lower():
            return text
        if action.default in (None, False, argparse.SUPPRESS, []) or isinstance(action, argparse._HelpAction):
            return text
        if not action.option_strings and action.nargs not in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            return text
        value = action.default
        shown = "off" if value is None else ",".join(map(str, value)) if isinstance(value, list | tuple) else value
        return f"{text} (default: {str(shown).replace('%', '%%')})"


class HelpFormatter(_DefaultsMixin, argparse.HelpFormatter):
    pass


class RawHelpFormatter(_DefaultsMixin, argparse.RawDescriptionHelpFormatter):
    pass


def verbosity(args: argparse.Namespace) -> int:
    """0 with ``-q``, 1 by default, 2 with ``-v``."""
    if getattr(args, "quiet", False):
        return 0
    return 2 if getattr(args, "verbose", False) else 1


def say(args: argparse.Namespace, message: str, *, level: int = 1) -> None:
    """Print ``message`` on stderr when the verbosity is at least ``level``."""
    if verbosity(args) >= level:
        print(message, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    print(f"duiqi: warning: {message}", file=sys.stderr, flush=True)


class DeprecatedAlias(argparse.Action):
    """An old spelling of an option: sets ``dest`` like the new one, and says to use the new name."""

    def __init__(self, option_strings: Sequence[str], dest: str, new: str = "", **kwargs: Any) -> None:
        self.new = new
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        warn(f"{option_string} is deprecated in `{parser.prog}`; use {self.new} (same meaning)")
        setattr(namespace, self.dest, values)


def add_common(parser: argparse.ArgumentParser) -> None:
    """``-q``, ``-v`` and ``--config`` on a subcommand (skipped where the command defines its own)."""
    have = {s for a in parser._actions for s in a.option_strings}
    g = parser.add_argument_group("common options")
    if "--quiet" not in have:
        g.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    if "--verbose" not in have:
        g.add_argument("-v", "--verbose", action="store_true",
                       help="say more: every stage with its counts and time, also when not on a terminal")
    if "--config" not in have:
        g.add_argument("--config", metavar="RECIPE.toml", default=None,
                       help="read option values from a TOML file (keys are option names, e.g. min-quality = "
                            "0.8; a [COMMAND] table applies to one command only); flags given on the command "
                            "line override it; its name and hash go into the output signature (default: none)")
    if parser.formatter_class is argparse.RawDescriptionHelpFormatter:
        parser.formatter_class = RawHelpFormatter
    elif parser.formatter_class is argparse.HelpFormatter:
        parser.formatter_class = HelpFormatter


def _load_toml(path: str) -> tuple[dict[str, Any], str]:
    import tomllib

    try:
        with open(path, "rb") as fh:
            blob = fh.read()
    except FileNotFoundError:
        raise InputError(path, "no such config file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"not a valid TOML file: {exc}") from None
    return data, hashlib.sha256(blob).hexdigest()[:12]


def _option_actions(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """Config key (long option name without dashes, also with underscores) -> action."""
    out: dict[str, argparse.Action] = {}
    for action in parser._actions:
        if not action.option_strings or action.dest in _NOT_IN_CONFIG or action.help == argparse.SUPPRESS:
            continue
        for s in action.option_strings:
            if s.startswith("--"):
                out[s[2:]] = action
                out[s[2:].replace("-", "_")] = action
    return out


def _convert(path: str, key: str, action: argparse.Action, value: Any) -> Any:
    if isinstance(action, argparse._StoreTrueAction | argparse._StoreFalseAction):
        if not isinstance(value, bool):
            raise InputError(path, f"{key} must be true or false, not {value!r}")
        return value
    if isinstance(action, argparse._AppendAction) or action.nargs not in (None, argparse.OPTIONAL):
        if not isinstance(value, list):
            raise InputError(path, f"{key} must be a list")
        return value
    if isinstance(value, dict | list):
        raise InputError(path, f"{key} must be a single value, not {type(value).__name__}")
    if action.type is not None and not isinstance(value, bool):
        try:
            value = action.type(str(value))  # type: ignore[operator]
        except (TypeError, ValueError, argparse.ArgumentTypeError) as exc:
            raise InputError(path, f"{key}: bad value {value!r} ({exc})") from None
    if action.choices is not None and value not in action.choices:
        raise InputError(path, f"{key}: {value!r} is not one of {', '.join(map(str, action.choices))}")
    return value


def apply_config(parser: argparse.ArgumentParser, command: str, path: str) -> dict[str, Any]:
    """Set ``parser``'s defaults from the TOML file at ``path`` (top-level keys, then the ``[command]``
    table, which wins). Unknown keys are an error naming them. Returns the values applied."""
    data, digest = _load_toml(path)
    actions = _option_actions(parser)
    values: dict[str, Any] = {}
    tables = {k for k, v in data.items() if isinstance(v, dict)}
    unknown_tables = sorted(tables - _COMMANDS) if _COMMANDS else []
    if unknown_tables:
        raise InputError(path, f"unknown table [{unknown_tables[0]}]: tables name a command "
                               f"({', '.join(sorted(_COMMANDS))})")
    flat = {k: v for k, v in data.items() if k not in tables}
    table = data.get(command, {}) if command in tables else {}
    for key, value in [*flat.items(), *table.items()]:
        action = actions.get(key)
        if action is None:
            if key in flat and key in _ALL_OPTIONS:
                continue  # a top-level key another command understands (shared recipe)
            raise InputError(path, f"unknown option {key!r} for `duiqi {command}` (see duiqi {command} --help)")
        values[action.dest] = _convert(path, key, action, value)
    parser.set_defaults(**values)
    parser.set_defaults(config_signature=f"{os.path.basename(path)}@{digest}")
    return values


_ALL_OPTIONS: set[str] = set()
_COMMANDS: set[str] = set()


def remember_options(parsers: Mapping[str, argparse.ArgumentParser]) -> None:
    """Every command's name and option keys, so a shared recipe may hold keys meant for another command
    (and a misspelt key or table is still an error)."""
    for name, p in parsers.items():
        _COMMANDS.add(name)
        _ALL_OPTIONS.update(_option_actions(p))


def config_settings(args: argparse.Namespace) -> dict[str, Any]:
    """``{"config": "recipe.toml@<sha256:12>"}`` when options came from a config file (for signatures)."""
    sig = getattr(args, "config_signature", None)
    return {"config": sig} if sig else {}


def add_output_options(parser: argparse.ArgumentParser, *, formats: Sequence[str] | None = None,
                       what: str = "pairs") -> None:
    """``-o OUT``, ``--format``, ``--tsv-header`` and ``--tsv-columns`` (checked by :func:`output_format`)."""
    allowed = tuple(formats or FORMATS)
    parser.add_argument("-o", "--output", default=None, metavar="OUT",
                        help=f"where the {what} go (default: standard output)")
    parser.add_argument("--format", default=None, choices=allowed,
                        help=f"output format (default: from OUT's extension, jsonl without one): {formats_help()}")
    parser.add_argument("--tsv-header", action="store_true",
                        help="TSV output: a first line naming the columns (default: no header)")
    parser.add_argument("--tsv-columns", choices=("full", "plain"), default="full",
                        help="TSV output: every field of a pair (full), or source and target text only (plain)")


def output_format(args: argparse.Namespace, formats: Sequence[str] | None = None) -> str:
    """The output format of ``args`` (``-o`` extension or ``--format``), refused now -- before any input is
    read -- when it is unknown or cannot be written (missing optional package, standard output)."""
    fmt = resolve_format(args.output, args.format, allowed=tuple(formats or FORMATS))
    check_output(fmt, args.output)
    return fmt


def check_report_path(path: str | None, option: str = "--report") -> None:
    """A report is HTML (``.html``/``.htm``) or JSON (``.json``); anything else is refused up front."""
    if path is None:
        return
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".html", ".htm", ".json"):
        raise DuiqiError(f"{path}: {option} writes .html or .json, not {ext or 'a file without extension'!r}")


def check_jsonl_path(path: str | None, option: str) -> None:
    """An output that is always JSON lines (``--rejects``, ``split -o``): ``.jsonl``/``.json``, no
    extension, or standard output; another extension (``.tsv``, ``.xlsx``) is refused up front."""
    if path is None or path == "-":
        return
    ext = os.path.splitext(os.path.basename(path))[1].lower()
    if ext and ext not in (".jsonl", ".json"):
        raise DuiqiError(f"{path}: {option} writes JSON lines; use a .jsonl name (not {ext!r})")


def writer_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of :func:`duiqi.export.write_pairs` from :func:`add_output_options` options."""
    return {"tsv_header": bool(getattr(args, "tsv_header", False)),
            "tsv_columns": getattr(args, "tsv_columns", "full")}
