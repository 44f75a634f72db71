"""The review page driven in headless Chromium (Debian's package) through Playwright: open, split,
merge, move, mark untranslated, undo/redo, check, search, save, reopen, export -- through the real
``duiqi review`` command and its server. Skipped locally when chromium is absent; required in CI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import EN, GOLD, ZH

pytestmark = pytest.mark.browser


class Review:
    """``duiqi review ... --no-browser`` in a child process; ``url`` from its first line."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "duiqi", "review", *args, "--no-browser"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert "http://127.0.0.1:" in line, (line, self.proc.stderr.read() if self.proc.stderr else "")
        self.url = line[line.index("http://"):].split()[0]

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        assert self.proc.wait(timeout=20) == 0


@pytest.fixture
def review(small: dict[str, str]) -> Iterator[Any]:
    started: list[Review] = []

    def start(*args: str) -> Review:
        r = Review(*args)
        started.append(r)
        return r

    yield start
    for r in started:
        if r.proc.poll() is None:
            r.proc.kill()
            r.proc.wait()


def beads(page: Any) -> list[tuple[list[int], list[int]]]:
    return [(b["s"], b["t"]) for b in page.evaluate("duiqi.beads()")]


def open_page(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    page.errors = errors
    return page


def test_review_in_chromium(browser: Any, review: Any, small: dict[str, str]) -> None:
    out = str(Path(small["dir"]) / "rev.tmx")
    srv = review(small["zh"], small["en"], "--beads", small["beads"], "-o", out)
    page = open_page(browser, srv.url)
    # open: both texts side by side as beads, languages tagged, quality colours
    assert page.locator(".bead").count() == 5
    assert page.locator(".side.s").first.get_attribute("lang") == "zh-Hans"
    assert page.locator(".side.t").first.get_attribute("lang") == "en"
    zh_font = page.locator(".side.s").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "WenQuanYi Zen Hei" in zh_font and "PingFang SC" in zh_font
    assert page.locator(".bead").nth(4).get_attribute("class").split()[:2] == ["bead", "poor"]
    assert page.locator(".bead").nth(0).get_attribute("class").split()[:2] == ["bead", "good"]
    assert "untranslated" in page.locator(".bead").nth(2).inner_text().lower()
    # next doubtful = lowest quality first: the 0.21 bead, then 0.55
    page.keyboard.press("n")
    assert page.evaluate("duiqi.cursor()")["i"] == 4
    # split bead 1 ([1]:[1,2]) on the target side after its first sentence
    page.keyboard.press("g")
    page.keyboard.press("j")
    page.keyboard.press("l")
    page.keyboard.press("s")
    assert page.locator(".bead").nth(1).locator(".cut").count() == 2
    page.keyboard.press("Enter")
    assert beads(page)[1:3] == [([1], [1]), ([], [2])]
    # merge the 0-1 bead with the next (1-0) one
    page.keyboard.press("j")
    page.keyboard.press("m")
    assert beads(page)[:3] == [([0], [0]), ([1], [1]), ([2], [2])]
    # move the last target sentence of [3]:[3,4] across the boundary into the next bead
    page.keyboard.press("j")
    page.keyboard.press("l")
    page.keyboard.press("]")
    assert beads(page)[3:] == [([3], [3]), ([4, 5], [4, 5])]
    # mark source sentence 4 untranslated, then target sentence 5 (second of its bead)
    page.keyboard.press("h")
    page.keyboard.press("u")
    assert beads(page)[4:] == [([4], []), ([5], [4, 5])]
    page.keyboard.press("j")
    page.keyboard.press("l")
    page.keyboard.press("Tab")
    page.keyboard.press("u")
    assert beads(page) == [(list(s), list(t)) for s, t in GOLD]
    # undo, redo
    page.keyboard.press("z")
    assert beads(page)[5:] == [([5], [4, 5])]
    page.keyboard.press("Control+z")
    assert beads(page)[4:] == [([4, 5], [4, 5])]
    page.keyboard.press("y")
    page.keyboard.press("Control+y")
    assert beads(page) == [(list(s), list(t)) for s, t in GOLD]
    # check the first bead; counts shown
    page.keyboard.press("g")
    page.keyboard.press("Space")
    assert page.locator("#n-checked").inner_text() == "7" and page.locator("#n-beads").inner_text() == "7"
    # search jumps to the bead holding the text
    page.keyboard.press("/")
    page.keyboard.type("kites")
    page.keyboard.press("Enter")
    assert page.evaluate("duiqi.cursor()")["i"] == 3
    assert page.locator(".bead").nth(3).locator("mark").inner_text() == "kites"
    page.keyboard.press("Escape")
    # save
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    project = Path(small["dir"]) / "rev.review.json"
    saved = json.loads(project.read_text(encoding="utf-8"))
    assert [(b["s"], b["t"]) for b in saved["beads"]] == [(list(s), list(t)) for s, t in GOLD]
    assert saved["edits"]["merge"] == 1 and saved["edits"]["split"] == 1 and saved["edits"]["move"] == 1
    assert saved["edits"]["untranslated"] == 2
    # nothing written but the project file (exports only when asked for)
    assert sorted(os.listdir(small["dir"])) == ["doc.en", "doc.zh", "machine.beads", "rev.review.json"]
    assert page.errors == []
    page.close()
    srv.stop()
    # reopen from the project file: same beads, the undo history still works
    srv = review(str(project))
    page = open_page(browser, srv.url)
    assert beads(page) == [(list(s), list(t)) for s, t in GOLD]
    assert page.locator("#n-checked").inner_text() == "7"
    depth = page.evaluate("duiqi.undoDepth()")
    assert depth == 6
    page.keyboard.press("z")  # undoes the check of bead 0
    assert page.locator("#n-checked").inner_text() == "6"
    page.keyboard.press("y")
    # export every format from the dialog
    page.keyboard.press("e")
    for key in "234":  # TMX and gold beads are on already; add TSV, JSONL, Moses
        page.keyboard.press(key)
    assert page.locator("#formats input:checked").count() == 5
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-exported]")
    written = page.locator("body").get_attribute("data-exported").split("|")
    stem = str(Path(small["dir"]) / "rev")
    assert written == [stem + ".tmx", stem + ".tsv", stem + ".jsonl", stem + ".zh", stem + ".en", stem + ".gold.beads"]
    assert all(os.path.exists(p) for p in written)
    assert page.errors == []
    page.close()
    srv.stop()
    # the TMX, read back by translate-toolkit
    from translate.storage.tmx import tmxfile

    raw = Path(stem + ".tmx").read_bytes()
    units = [u for u in tmxfile(raw).units if u.source]
    assert [(u.source, u.target) for u in units] == [(ZH[i], EN[i]) for i in range(4)] + [(ZH[5], EN[4])]
    text = raw.decode("utf-8")
    assert "x-duiqi-signature" in text and "review:yes" in text
    assert "7 of 7 beads checked; 1 merge, 1 split, 1 move, 2 untranslated" in text
    # the gold beads are evaluation data for duiqi eval
    res = subprocess.run([sys.executable, "-m", "duiqi", "eval", stem + ".gold.beads", small["beads"], "--json"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["total"]["strict_precision"] == pytest.approx(0.2)


def test_review_aligns_a_mixed_document_and_renders_it(browser: Any, review: Any, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    srv = review(str(root / "examples" / "chongqing-foreign-affairs-2022.txt"), "--encoder", "fake",
                 "-o", str(tmp_path / "ex.tmx"))
    page = open_page(browser, srv.url)
    n = page.evaluate("duiqi.beads().length")
    assert n == page.locator(".bead").count() and n > 20
    assert page.locator(".tag").count() > 10  # untranslated captions marked
    page.locator(".bead").nth(3).locator(".sent").first.click()  # the mouse moves the cursor too
    assert page.evaluate("duiqi.cursor()")["i"] == 3
    assert "cur" in page.locator(".bead").nth(3).get_attribute("class").split()
    assert "重庆" in page.locator(".side.s").all_inner_texts()[5] or "重庆" in "".join(page.locator(".side.s").all_inner_texts())
    assert page.errors == []
    page.close()
    srv.stop()


_PARTITION = """() => { const B = duiqi.beads(), s = [], t = [];
  for (const b of B) { if (!b.s.length && !b.t.length) return 'empty bead'; s.push(...b.s); t.push(...b.t); }
  s.sort((a, b) => a - b); t.sort((a, b) => a - b);
  return JSON.stringify([s, t]); }"""


def test_random_edits_keep_every_sentence_once_and_undo_all_the_way_back(browser: Any, small: dict[str, str]) -> None:
    import random

    from duiqi.review.build import project_from_beads
    from duiqi.review.project import load_project
    from duiqi.review.server import serving

    proj = project_from_beads(small["zh"], small["en"], small["beads"])
    start = [(b.s, b.t) for b in proj.beads]
    whole = json.dumps([list(range(len(ZH))), list(range(len(EN)))]).replace(" ", "")
    path = str(Path(small["dir"]) / "f.review.json")
    rng = random.Random(15)
    moves = [["m"], ["s", "Enter"], ["s", "ArrowDown", "Enter"], ["s", "l", "ArrowUp", "Enter"], ["l", "]"], ["h", "]"],
             ["l", "["], ["h", "["], ["h", "u"], ["l", "Tab", "u"], [" "], ["j"], ["k"], ["n"], ["g"], ["G"]]
    with serving(proj, path, str(Path(small["dir"]) / "f")) as srv:
        page = open_page(browser, srv.url)
        for _ in range(120):
            for key in rng.choice(moves):
                page.keyboard.press(key)
            assert page.evaluate(_PARTITION) == whole
        page.keyboard.press("Control+s")
        page.wait_for_selector("body[data-saved]")
        depth = page.evaluate("duiqi.undoDepth()")
        assert depth > 20
        saved = load_project(path)  # the server accepted the edited beads (it validates them)
        assert [(b.s, b.t) for b in saved.beads] == beads(page)
        for _ in range(depth):
            page.keyboard.press("z")
        assert beads(page) == start
        assert page.errors == []
        page.close()
