"""``duiqi align`` scores every pair; ``--filter`` / ``--rejects`` / ``--report`` (fake encoder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duiqi.cli.main import main
from duiqi.export import read_pairs


@pytest.fixture()
def docs(tmp_path: Path) -> tuple[str, str]:
    src, tgt = tmp_path / "a.zh", tmp_path / "a.en"
    src.write_text("2021年5月天气很好。\n他们在2022年7月见面。\n他们写了1000封信。\n今天我们去北京。\n", "utf-8")
    tgt.write_text("In May 2021 the weather was fine.\nThey met in July 2022.\nThey wrote 1000 letters.\n"
                   "Today we go to Beijing.\n", "utf-8")
    return str(src), str(tgt)


def test_every_pair_leaving_align_has_quality_and_margin(docs: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["align", *docs, "--pre-split", "--encoder", "fake", "-o", str(out)]) == 0
    pairs = list(read_pairs(str(out)))
    assert len(pairs) == 4
    assert all(p.quality is not None and 0.0 <= p.quality <= 1.0 for p in pairs)
    recs = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert all("margin" in r for r in recs)  # four pairs in one document: each has alternatives
    meta = json.loads((tmp_path / "out.jsonl.meta.json").read_text("utf-8"))
    assert "quality_model:" in meta["signature"] and "filter." not in meta["signature"]


def test_filter_rejects_and_report(docs: tuple[str, str], tmp_path: Path) -> None:
    out, rej, rep = tmp_path / "out.jsonl", tmp_path / "rej.jsonl", tmp_path / "r.json"
    # a threshold no pair reaches: every pair is rejected, with its reason
    assert main(["align", *docs, "--pre-split", "--encoder", "fake", "-o", str(out), "--filter",
                 "--min-quality", "1.0", "--rejects", str(rej), "--report", str(rep)]) == 0
    rejected = [json.loads(line) for line in rej.read_text("utf-8").splitlines()]
    assert len(rejected) == 4 and not out.read_text("utf-8").strip()
    assert all(any(r.startswith("min-quality") for r in x["reasons"]) for x in rejected)
    report = json.loads(rep.read_text("utf-8"))
    assert report["totals"] == {"input": 4, "kept": 0, "rejected": 4}
    meta = json.loads((tmp_path / "out.jsonl.meta.json").read_text("utf-8"))
    assert "filter.min_quality:1" in meta["signature"]

    # quality threshold off: the rule filters alone keep these clean pairs; HTML report
    html = tmp_path / "r.html"
    assert main(["align", *docs, "--pre-split", "--encoder", "fake", "-o", str(out), "--filter",
                 "--min-quality", "off", "--report", str(html)]) == 0
    assert len(list(read_pairs(str(out)))) == 4
    assert "<svg" in html.read_text("utf-8")


def test_rejects_without_filter_is_a_clear_error(docs: tuple[str, str], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["align", *docs, "--encoder", "fake", "--rejects", str(tmp_path / "r.jsonl")]) == 2
    assert "--filter" in capsys.readouterr().err


def test_lossy_latin_alone_does_not_reject() -> None:
    from dataclasses import replace

    from duiqi.records import Pair
    from duiqi.score import FilterConfig, apply_filters, score_pairs

    good = Pair("诚邀缅甸驻华大使访问重庆。", "The ambassador Du?an was invited to Chongqing.", "zh", "en", 0.63)
    flagged = replace(good, flags=("lossy-latin",))
    noisy = replace(good, flags=("gbk-slip",))
    q_good, q_flagged, q_noisy = (p.quality for p in score_pairs([good, flagged, noisy]))
    assert q_good == q_flagged and q_noisy is not None and q_flagged is not None and q_noisy < q_flagged
    out = apply_filters(score_pairs([flagged, noisy]), FilterConfig(min_quality=None, dedup=False))
    assert out.kept == [score_pairs([flagged])[0]]
    assert out.rejected[0].reasons == ("noise-flags: gbk-slip",)


@pytest.mark.slow
def test_bundled_example_keeps_its_six_pairs_when_filtered(tmp_path: Path) -> None:
    """Real USE encoder: the six correct pairs of the bundled example pass the default filters
    (one of them carries ``lossy-latin``: flagged, not rejected)."""
    example = Path(__file__).resolve().parents[2] / "examples" / "chongqing-foreign-affairs-2022.txt"
    out, rej = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    assert main(["align", str(example), "-o", str(out), "--filter", "--rejects", str(rej)]) == 0
    kept = list(read_pairs(str(out)))
    assert len(kept) == 6 and not rej.read_text("utf-8").strip()
    assert all(p.quality is not None and p.quality > 0.9 for p in kept)
    assert sum("lossy-latin" in p.flags for p in kept) == 1
