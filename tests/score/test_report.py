from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from duiqi.records import Document, Pair
from duiqi.score import FilterConfig, build_report, filter_pairs, render_html, write_report
from duiqi.score.report import svg_bars, svg_histogram

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chongqing-foreign-affairs-2022.txt"


def example_pairs(good: list[Pair], bad: dict[str, Pair]) -> list[Pair]:
    """Real pipeline output on the shipped example (FakeEncoder), plus the hand-made pairs."""
    pairs: list[Pair] = []
    try:
        from duiqi.pipeline import Pipeline, PipelineConfig
    except ImportError:  # pragma: no cover - pipeline not there yet
        pass
    else:
        text = EXAMPLE.read_text("utf-8")
        pairs = Pipeline(PipelineConfig(encoder="fake")).process(Document("chongqing", text, source=str(EXAMPLE)))
    return [*pairs, *good, *bad.values(), good[0]]


def test_report_json(good_pairs: list[Pair], bad_pairs: dict[str, Pair], tmp_path: Path) -> None:
    out = filter_pairs([*good_pairs, *bad_pairs.values(), good_pairs[0]], FilterConfig())
    rep = build_report(out.kept, out.rejected, settings={"k": 1}, counts=out.counts, first=out.first)
    assert rep["totals"] == {"input": 15, "kept": 8, "rejected": 7}
    failed = {f["name"]: f["failed"] for f in rep["filters"]}
    assert failed["duplicate"] == 1 and failed["min-quality"] >= 6
    assert sum(f["first"] for f in rep["filters"]) == 7
    assert sum(rep["quality_hist"]["kept"]) == 8 and sum(rep["quality_hist"]["rejected"]) == 7
    assert rep["languages"] == {"zh-en": 15}
    assert len(rep["length_points"]) == 15
    path = tmp_path / "r.json"
    write_report(rep, str(path))
    assert json.loads(path.read_text("utf-8"))["totals"]["kept"] == 8
    # counts are recomputed from the reasons when not given
    again = build_report(out.kept, out.rejected)
    def nonzero(r: dict, key: str) -> dict:  # type: ignore[type-arg]
        return {f["name"]: f[key] for f in r["filters"] if f[key]}

    assert nonzero(again, "first") == nonzero(rep, "first")
    assert nonzero(again, "failed") == nonzero(rep, "failed")


def test_html_is_self_contained(good_pairs: list[Pair], bad_pairs: dict[str, Pair]) -> None:
    out = filter_pairs([*good_pairs, *bad_pairs.values()])
    page = render_html(build_report(out.kept, out.rejected))
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 7
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "min-quality" in page


def test_svg_helpers_escape_and_handle_empty() -> None:
    assert "&lt;b&gt;" in svg_bars([("<b>", 3)], title="t")
    assert "nothing to show" in svg_bars([], title="t")
    svg = svg_histogram({"kept": [0, 0], "rejected": [0, 0]}, 0, 1, title="t", xlabel="x")
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def _chromium() -> str | None:
    wanted = os.environ.get("DUIQI_CHROMIUM")  # a path, to test with another build (or a missing one)
    if wanted:
        found = wanted if Path(wanted).exists() else None
    else:
        found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail("chromium is missing and CI is set: run scripts/ensure_chromium.sh")
        pytest.skip("chromium not installed (scripts/ensure_chromium.sh installs it)")
    return found


def _run_chromium(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_html_report_renders_in_chromium(good_pairs: list[Pair], bad_pairs: dict[str, Pair], tmp_path: Path) -> None:
    binary = _chromium()
    assert binary
    pairs = example_pairs(good_pairs, bad_pairs)
    out = filter_pairs(pairs, FilterConfig())
    report = build_report(out.kept, out.rejected, settings=FilterConfig().to_settings(), counts=out.counts,
                          first=out.first, title="example report")
    page = tmp_path / "report.html"
    write_report(report, str(page))
    dom = _run_chromium(binary, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "example report" in html
    assert html.count("<svg") == 7
    assert html.count("class=\"bar\"") >= 10  # bars drawn in the histograms and bar charts
    assert html.count("class=\"pt\"") == len(pairs)
    assert f"id=\"n-input\">{len(pairs)}<" in html
    shot = tmp_path / "report.png"
    res = _run_chromium(binary, "--window-size=1200,1400", f"--screenshot={shot}", page.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_report_shows_kept_next_to_rejected_and_folds_the_signature(
        good_pairs: list[Pair], bad_pairs: dict[str, Pair]) -> None:
    from html.parser import HTMLParser

    from duiqi.score.report import KEPT_SAMPLE, ReportBuilder

    out = filter_pairs([*good_pairs, *bad_pairs.values()], FilterConfig())
    settings = {"encoder": "fake", "quality_model": "m1", "config": "recipe.toml@abc", "filter.x": 1}
    rep = build_report(out.kept, out.rejected, settings=settings, counts=out.counts, first=out.first)
    assert [e["src"] for e in rep["kept_examples"]] == [p.src for p in out.kept][:KEPT_SAMPLE]
    html = render_html(rep)

    class Sections(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.cells: dict[str, list[str]] = {"kept-sample": [], "rejected-sample": []}
            self.summary: list[str] = []
            self.code: list[str] = []
            self.tags: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            ident = dict(attrs).get("id")
            self.stack.append(ident if ident in self.cells else (self.stack[-1] if self.stack else ""))

        def handle_endtag(self, tag: str) -> None:
            self.tags.pop()
            self.stack.pop()

        def handle_data(self, data: str) -> None:
            if self.stack and self.stack[-1] in self.cells:
                self.cells[self.stack[-1]].append(data)
            if "summary" in self.tags:
                self.summary.append(data)
            if "details" in self.tags and "code" in self.tags:
                self.code.append(data)

    parser = Sections()
    parser.feed(html)
    kept_text = " ".join(parser.cells["kept-sample"])
    assert all(p.src in kept_text for p in out.kept[:KEPT_SAMPLE])
    rejected_text = " ".join(parser.cells["rejected-sample"])
    assert any(r.pair.src in rejected_text for r in out.rejected)
    short = "".join(parser.summary)
    assert "encoder fake" in short and "config recipe.toml@abc" in short and "settings #" in short
    assert "filter.x" not in short and len(short) < 120
    assert "".join(parser.code) == rep["signature"]  # the full form, folded under the short line

    # a large run keeps a bounded, uniform sample of its kept pairs
    builder = ReportBuilder()
    many = [Pair(f"句子{i}。", f"Sentence {i}.", "zh", "en", 0.9, quality=0.9) for i in range(500)]
    for k in range(0, 500, 50):
        builder.add(many[k:k + 50], [])
    sample = builder.build()["kept_examples"]
    assert len(sample) == KEPT_SAMPLE and len({e["src"] for e in sample}) == KEPT_SAMPLE
    assert max(int(e["src"][2:-1]) for e in sample) > 100  # not just the first pairs
