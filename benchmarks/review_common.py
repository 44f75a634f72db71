"""Shared by ``review_screens.py`` and ``bench_review.py``: headless Chromium through Playwright, and
synthetic review projects of any size made from the bundled example's sentences (nothing from
/work/shared: the screenshots are committed)."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
from collections.abc import Iterator
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "chongqing-foreign-affairs-2022.txt")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if not found:
        sys.exit("chromium is not installed: run scripts/ensure_chromium.sh")
    return found


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (Debian's package; Playwright never downloads a browser here)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def example_pairs() -> tuple[list[str], list[str]]:
    """The example's Chinese and English sentences, repaired and split as the pipeline does it."""
    from duiqi.io import read_document
    from duiqi.pipeline import Pipeline, PipelineConfig

    prep = Pipeline(PipelineConfig(encoder="fake")).prepare(read_document(EXAMPLE))
    zh = [s.text for s in prep.sentences if s.lang == "zh"]
    en = [s.text for s in prep.sentences if s.lang == "en"]
    return zh, en


def synthetic_project(n_beads: int, seed: int = 0) -> Any:
    """A review project of ``n_beads`` beads (1-1, 2-1, 1-2 links and untranslated sentences) whose
    texts cycle through the example's sentences and whose qualities follow a typical spread (most
    beads confident, a tail of doubtful ones)."""
    from duiqi.records import Pair
    from duiqi.review import from_pairs

    rng = random.Random(seed)
    zh, en = example_pairs()
    src: dict[int, str] = {}
    tgt: dict[int, str] = {}
    pairs = []
    for _ in range(n_beads):
        r = rng.random()
        shape = (1, 0) if r < 0.08 else (0, 1) if r < 0.11 else (2, 1) if r < 0.2 else (1, 2) if r < 0.26 else (1, 1)
        s_ids = tuple(range(len(src), len(src) + shape[0]))
        t_ids = tuple(range(len(tgt), len(tgt) + shape[1]))
        for i in s_ids:
            src[i] = zh[rng.randrange(len(zh))]
        for j in t_ids:
            tgt[j] = en[rng.randrange(len(en))]
        if not (s_ids and t_ids):
            continue
        q = min(1.0, max(0.0, rng.betavariate(5, 1.2) if rng.random() > 0.12 else rng.random() * 0.6))
        pairs.append(Pair("", "", "zh", "en", 0.3 + 0.6 * q, src_ids=s_ids, tgt_ids=t_ids, quality=q))
    return from_pairs(pairs, src, tgt, src_lang="zh", tgt_lang="en", doc=f"synthetic-{n_beads}",
                      settings={"mode": "synthetic"})
