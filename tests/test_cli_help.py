"""Every option of every command has help that states its default; help has no raw markup; the usage
line matches what is accepted."""

from __future__ import annotations

import argparse

import pytest

from duiqi.cli.main import build_parser, main


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


COMMANDS = _commands()


def test_every_command_is_checked() -> None:
    assert {"align", "filter", "run", "split", "repair", "eval"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_of_every_option(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = COMMANDS[name]
    assert main([name, "--help"]) == 0
    text = capsys.readouterr().out
    assert "``" not in text, f"raw markup in `duiqi {name} --help`"
    formatter = parser._get_formatter()
    problems = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._VersionAction) or action.help == argparse.SUPPRESS:
            continue
        label = "/".join(action.option_strings) or action.dest
        if not action.help:
            problems.append(f"{label}: no help")
            continue
        shown = formatter._expand_help(action)
        is_flag = isinstance(action, argparse._StoreTrueAction | argparse._StoreFalseAction)
        required = getattr(action, "required", False) and not is_flag
        if action.option_strings and not is_flag and not required and "default" not in shown.lower():
            problems.append(f"{label}: help does not state the default ({shown!r})")
    assert not problems, f"duiqi {name}: " + "; ".join(problems)
    for flag in ("-q", "-v", "--config"):
        assert flag in text, f"duiqi {name} has no {flag}"


def test_align_usage_matches_what_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["align", "--help"]) == 0
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert "SRC [TGT]" in usage and "[SRC [TGT] ...]" not in usage
    assert main(["align", "a", "b", "c", "--encoder", "fake"]) == 2
    assert "unrecognized arguments: c" in capsys.readouterr().err


def test_input_and_output_formats_have_different_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["split", "--help"]) == 0
    split_help = capsys.readouterr().out
    assert "--input-format" in split_help and "deprecated spelling of --input-format" in split_help
    assert main(["align", "--help"]) == 0
    assert "--format {jsonl,tsv,tmx,moses,beads,parquet}" in capsys.readouterr().out


def test_one_name_per_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    """--min-quality and --min-similarity exist in align, filter and run with the same help."""
    helps: dict[str, set[str]] = {"--min-quality": set(), "--min-similarity": set()}
    for name in ("align", "filter", "run"):
        for action in COMMANDS[name]._actions:
            for flag in helps:
                if flag in action.option_strings:
                    helps[flag].add(action.help.split(" (default")[0])
    assert all(len(h) == 1 for h in helps.values()), helps


@pytest.mark.parametrize("command,option,value,message", [
    ("align", "--min-quality", "abc", "argument --min-quality: not a number or 'off': 'abc'"),
    ("filter", "--min-units", "1.5", "argument --min-units: not a whole number or 'off': '1.5'"),
])
def test_bad_threshold_value_names_what_is_expected(command: str, option: str, value: str, message: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "in.txt", option, value]) == 2
    err = capsys.readouterr().err
    assert message in err and "_none_or" not in err
