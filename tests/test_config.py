"""One config tree: every setting spelled one way, every check a ConfigError shown by the CLI as one line."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from duiqi.align.config import AlignConfig, preset
from duiqi.cli.main import main
from duiqi.errors import ConfigError
from duiqi.pipeline import PipelineConfig
from duiqi.repair import RepairOptions, fixer
from duiqi.run import LocalEngine
from duiqi.run.shards import plan_shards
from duiqi.score import FilterConfig


@pytest.mark.parametrize("make", [
    lambda: AlignConfig(span_embedding="mean-ish"),  # type: ignore[arg-type]
    lambda: AlignConfig(compose_spans="all"),  # type: ignore[arg-type]
    lambda: AlignConfig(length_mode="cube"),  # type: ignore[arg-type]
    lambda: AlignConfig(lexicon="wordnet"),  # type: ignore[arg-type]
    lambda: preset("slow"),
    lambda: RepairOptions(script="cyrillic"),  # type: ignore[arg-type]
    lambda: fixer("nope"),
    lambda: LocalEngine(workers=-1),
    lambda: list(plan_shards([], 0)),
])
def test_more_config_checks_raise_config_error(make: Any) -> None:
    with pytest.raises(ConfigError):
        make()


@pytest.mark.parametrize("argv, message", [
    (["run", "x.txt", "-o", "out", "--workers", "0"], "--workers must be at least 1"),
    (["run", "x.txt", "-o", "out", "--shard-size", "0", "--workers", "1"], "shard_size (--shard-size) must be at least 1"),
    (["align", "x.txt", "--max-align", "0", "--encoder", "fake"], "bad alignment setting: max_align"),
])
def test_cli_shows_a_config_error_as_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], argv: list[str],
                                              message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("你好。\nHello.\n", encoding="utf-8")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("duiqi: error: ") and message in err and err.count("\n") == 1, err
    assert "Traceback" not in err


# -- one tree, one name per concept -----------------------------------------------------------------


def _leaves(obj: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every leaf setting under a config dataclass (nested configs walked)."""
    out = []
    for f in dataclasses.fields(obj):
        if not f.init:
            continue
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            out += _leaves(value, f"{prefix}{f.name}.")
        else:
            out.append(prefix + f.name)
    return out


#: Leaf names that are the same concept in two parts of the tree on purpose: none.
THRESHOLD_NAMES = {"min_similarity", "min_quality", "min_bead_score", "gap_min_bead_score", "min_match_score"}


def test_every_threshold_of_the_tree_has_one_name() -> None:
    tree = PipelineConfig(encoder="fake", filters=FilterConfig())
    leaves = _leaves(tree)
    names = [leaf.rsplit(".", 1)[-1] for leaf in leaves]
    assert "min_score" not in names  # it meant five things
    thresholds = [n for n in names if n in THRESHOLD_NAMES]
    assert sorted(thresholds) == sorted(THRESHOLD_NAMES)  # each once
    assert [leaf for leaf in leaves if leaf.endswith("span_embedding")] == ["align.span_embedding"]


def test_signature_keys_are_unique_and_default_outputs_sign_one_span_setting() -> None:
    settings = PipelineConfig(encoder="fake", filters=FilterConfig()).settings("mixed")
    assert [k for k in settings if "span_embedding" in k] == ["align.span_embedding"]
    assert settings["align.span_embedding"] == "both"  # what default mixed documents run
    assert "filter.min_similarity" in settings and "mixed.blocks.min_match_score" in settings
    assert not any(k.endswith("min_score") for k in settings)


# -- records serialized from their fields -----------------------------------------------------------


def test_pair_record_is_its_fields_in_order() -> None:
    from duiqi.records import Pair

    names = [f.name for f in dataclasses.fields(Pair)]
    full = Pair("甲。", "A.", "zh", "en", 0.1234567, (0, 1), (2,), "d", ("ratio",), 0.9, -0.25)
    d = full.to_dict()
    assert list(d) == names and d["score"] == 0.123457 and d["src_ids"] == [0, 1] and d["margin"] == -0.25
    bare = dataclasses.replace(full, quality=None, margin=None).to_dict()
    assert list(bare) == [n for n in names if n not in ("quality", "margin")]  # unset optional fields left out
    assert Pair.from_dict(d) == dataclasses.replace(full, score=0.123457)


#: Options that are no setting of the tree: where things go, what to print, how to run (engine, workers),
#: and the negated spellings of boolean settings (``--no-dedup`` is ``dedup``, ``--keep-X`` is ``X``).
NOT_SETTINGS = {
    "help", "quiet", "verbose", "config", "output", "tsv_header", "tsv_columns", "rejects", "report", "engine",
    "workers", "ray_address", "overwrite", "filter", "pre_split", "aux_encoder", "mode", "keep_unaligned",
    "rescore", "model",
}
NEGATED = {"no_dedup": "dedup", "keep_url_mismatch": "urls", "keep_noise_flags": "noise_flags",
           "keep_boilerplate": "boilerplate"}


def test_cli_options_and_toml_keys_are_the_names_of_the_tree() -> None:
    """Every option of align, run and filter that sets something sets the leaf of the same name
    (``--min-quality`` -> ``pipeline.filters.min_quality``, ``--shard-size`` -> ``shard_size``); the TOML
    keys of --config are the option names, so they are the tree's names too."""
    import argparse

    from duiqi.cli.main import build_parser
    from duiqi.run.runner import RunConfig

    tree = {leaf.rsplit(".", 1)[-1] for leaf in _leaves(RunConfig(pipeline=PipelineConfig(filters=FilterConfig())))}
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name in ("align", "run", "filter"):
        for action in commands.choices[name]._actions:
            if not action.option_strings or action.help == argparse.SUPPRESS or action.dest in NOT_SETTINGS:
                continue
            dest = NEGATED.get(action.dest, action.dest)
            assert dest in tree, f"duiqi {name} {action.option_strings[-1]}: no setting {dest!r} in the config tree"
            assert action.option_strings[-1].lstrip("-").replace("-", "_") in (action.dest, "min_score"), action
