"""Fixtures of the review tests: a small controlled alignment (sentence files + a bead file with known
mistakes) and, for the browser tests, headless Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ZH = ["今天天气很好。", "我们去公园散步。", "公园里有很多人。", "孩子们在放风筝。", "这一句没有翻译。", "晚上我们回家了。"]
EN = ["The weather is nice today.", "We went for a walk in the park.", "There were many people in the park.",
      "Children were flying kites.", "In the evening we went home.", "Photo: an extra English caption."]
#: What the machine proposed: three mistakes a reviewer fixes with split+merge, a move and two
#: "untranslated" marks.
MACHINE = ["[0]:[0]:0.91", "[1]:[1,2]:0.62", "[2]:[]:0", "[3]:[3,4]:0.55", "[4,5]:[5]:0.21"]
#: What the reviewer should end with.
GOLD = [([0], [0]), ([1], [1]), ([2], [2]), ([3], [3]), ([4], []), ([5], [4]), ([], [5])]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def small(tmp_path: Path) -> dict[str, str]:
    zh, en, beads = tmp_path / "doc.zh", tmp_path / "doc.en", tmp_path / "machine.beads"
    zh.write_text("\n".join(ZH) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN) + "\n", encoding="utf-8")
    beads.write_text("\n".join(MACHINE) + "\n", encoding="utf-8")
    return {"zh": str(zh), "en": str(en), "beads": str(beads), "dir": str(tmp_path)}


def chromium_binary() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing and CI is set: run scripts/ensure_chromium.sh")
        pytest.skip("chromium not installed (scripts/ensure_chromium.sh installs it)")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    binary = chromium_binary()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("playwright is missing and CI is set: pip install -e '.[dev]'")
        pytest.skip("playwright not installed (it is in the dev extra)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        yield b
        b.close()
