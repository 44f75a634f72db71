"""Regenerate the review page screenshots in docs/ (headless Chromium through Playwright).

    nice -n 10 .venv/bin/python benchmarks/review_screens.py            # USE encoder for the example
    .venv/bin/python benchmarks/review_screens.py --encoder fake        # quick look (meaningless scores)

``docs/review-example.png``: the bundled example document aligned by ``duiqi review`` (as ``duiqi align``
aligns it), after the reviewer checked two beads and went to the next doubtful one.
``docs/review-1000.png``: a synthetic 1,000-bead document (the example's sentences, see
``review_common.synthetic_project``) half-way through a review, with a search hit and a merged bead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from review_common import EXAMPLE, ROOT, browser, synthetic_project


def _shoot(b: object, project: object, path: str, steps: list[tuple[str, str]], height: int) -> None:
    from duiqi.review.server import serving

    with tempfile.TemporaryDirectory() as tmp, serving(project, os.path.join(tmp, "x.review.json"),  # type: ignore[arg-type]
                                                      os.path.join(tmp, "x")) as srv:
        page = b.new_page(viewport={"width": 1440, "height": height}, device_scale_factor=1)  # type: ignore[attr-defined]
        page.goto(srv.url)
        page.wait_for_selector("body[data-ready='1']")
        page.wait_for_selector("body[data-rendered='all']")
        for kind, arg in steps:
            if kind == "key":
                page.keyboard.press(arg)
            elif kind == "type":
                page.keyboard.type(arg)
            elif kind == "first-link":  # down to the first bead with both sides
                first = page.evaluate("duiqi.beads().findIndex(b => b.s.length && b.t.length)")
                for _ in range(max(0, first)):
                    page.keyboard.press("j")
        page.wait_for_timeout(1500)  # the autosave (0.8 s after the last edit) shows as "saved"
        page.screenshot(path=path)
        page.close()
    print(f"wrote {path}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs"))
    args = ap.parse_args()
    from duiqi.align import AlignConfig
    from duiqi.embed import get_encoder
    from duiqi.io import read_document
    from duiqi.review.build import project_from_mixed

    os.makedirs(args.out, exist_ok=True)
    example = project_from_mixed(read_document(EXAMPLE), encoder=get_encoder(args.encoder), config=AlignConfig())
    big = synthetic_project(1000, seed=7)
    with browser() as b:
        _shoot(b, example, os.path.join(args.out, "review-example.png"),
               [("first-link", ""), ("key", "Space"), ("key", "j")], 960)
        _shoot(b, big, os.path.join(args.out, "review-1000.png"),
               [("key", "Enter")] * 12 + [("key", "/"), ("type", "Stilwell"), ("key", "Enter"), ("key", "Enter"),
                                          ("key", "Escape"), ("key", "j"), ("key", "m"), ("key", "k")], 960)
    return 0


if __name__ == "__main__":
    sys.exit(main())
