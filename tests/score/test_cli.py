from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import duiqi.embed
from duiqi.cli.main import main
from duiqi.export import read_pairs, write_pairs
from duiqi.records import Pair
from duiqi.score.filters import DEFAULT_MIN_QUALITY


def _write(pairs: list[Pair], path: Path) -> str:
    write_pairs(pairs, str(path), sidecar=False)
    return str(path)


def test_filter_cli(good_pairs: list[Pair], bad_pairs: dict[str, Pair], tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    def no_encoder(*a: object, **k: object) -> None:
        raise AssertionError("the encoder must not be loaded when pairs carry their similarity")

    monkeypatch.setattr(duiqi.embed, "get_encoder", no_encoder)
    src = _write([*good_pairs, *bad_pairs.values(), good_pairs[1]], tmp_path / "in.jsonl")
    out, rej = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    html, rep = tmp_path / "r.html", tmp_path / "r.json"
    assert main(["filter", src, "-o", str(out), "--rejects", str(rej), "--report", str(html)]) == 0
    kept = list(read_pairs(str(out)))
    assert len(kept) == len(good_pairs)
    assert all(p.quality is not None and p.quality >= DEFAULT_MIN_QUALITY for p in kept)
    rejected = [json.loads(line) for line in rej.read_text("utf-8").splitlines()]
    assert len(rejected) == len(bad_pairs) + 1
    assert all(r["reasons"] for r in rejected)
    assert any(r["reasons"][0].startswith("duplicate") for r in rejected)
    assert "<svg" in html.read_text("utf-8")
    meta = json.loads((tmp_path / "out.jsonl.meta.json").read_text("utf-8"))
    assert f"filter.min_quality:{DEFAULT_MIN_QUALITY:g}" in meta["signature"]

    # re-threshold the saved output: stricter, no encoder, report as JSON
    out2 = tmp_path / "out2.jsonl"
    assert main(["filter", str(out), "-o", str(out2), "--min-score", "0.99", "--report", str(rep)]) == 0
    assert len(list(read_pairs(str(out2)))) < len(kept)
    assert json.loads(rep.read_text("utf-8"))["totals"]["input"] == len(kept)
    # thresholds can be switched off
    out3 = tmp_path / "out3.jsonl"
    assert main(["filter", src, "-o", str(out3), "--min-score", "off", "--max-number-missing", "off",
                 "--max-ratio", "off", "--max-overlap", "off", "--min-lang-share", "off", "--max-noise", "off",
                 "--no-dedup"]) == 0
    assert len(list(read_pairs(str(out3)))) == len(good_pairs) + len(bad_pairs) + 1


def test_filter_cli_encodes_missing_similarity(good_pairs: list[Pair], tmp_path: Path) -> None:
    src = _write([replace(p, score=0.0) for p in good_pairs[:3]], tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    assert main(["filter", src, "-o", str(out), "--encoder", "fake", "--min-score", "off"]) == 0
    got = list(read_pairs(str(out)))
    assert len(got) == 3 and all(p.score != 0.0 and p.quality is not None for p in got)


def test_filter_cli_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json}\n", "utf-8")
    assert main(["filter", str(bad), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert "bad.jsonl" in capsys.readouterr().err
    assert main(["filter", str(tmp_path / "missing.jsonl")]) == 2


def test_filter_options_are_reusable() -> None:
    import argparse

    from duiqi.cli.filter import add_filter_options, config_from_args

    p = argparse.ArgumentParser()
    p.add_argument("--min-score", type=float)  # another command's own meaning
    add_filter_options(p, min_score_alias=False)
    cfg = config_from_args(p.parse_args(["--min-score", "0.1", "--min-quality", "0.7", "--no-dedup"]))
    assert cfg.min_quality == 0.7 and not cfg.dedup
