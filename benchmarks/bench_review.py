"""Review page speed on a long document: time to first paint and time to apply an edit, in Chromium.

    .venv/bin/python benchmarks/bench_review.py [--beads 5000] [--loads 3] [--edits 15]

A synthetic review project of ``--beads`` beads (``review_common.synthetic_project``: the example's
sentences, a typical quality spread) is served by the real review server and opened in headless
Chromium (Debian's package) through Playwright. Figures come from the page's performance API:

- first paint: navigation start -> the ``duiqi-first-paint`` mark (first screenful of beads painted:
  set one animation frame after the first rows are in the DOM); also the browser's own
  first-contentful-paint and the ``duiqi-all-rendered`` mark (every bead in the DOM);
- moves: the next bead (``j``) and the next doubtful bead (``n``: a scan of every bead and a scroll
  to it, often far away), key -> painted as for edits;
- edit: a key press dispatched in the page -> the second animation frame after it (the edit's DOM
  work plus the style, layout and paint of the frame that shows it), at beads spread over the
  document (first, middle and last fifth), for merge, split, move, untranslated, undo and check.

Nothing here needs /work/shared. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from review_common import browser, synthetic_project

_EDIT = """async ([keys]) => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const t0 = performance.now();
  for (const key of keys) document.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
  const t1 = performance.now();
  await frame();
  return [t1 - t0, performance.now() - t0];
}"""
_GOTO = """async ([i]) => {
  duiqi.goto(i);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))));
}"""
# key sequences of each edit (the cursor sits on a bead; 'l' = target side first where it matters)
EDITS = {
    "merge": ["m"],
    "split": ["s", "Enter"],
    "move": ["l", "]"],
    "untranslated": ["h", "u"],
    "undo": ["z"],
    "check": [" "],
}
# moving the cursor (not edits; printed apart): next bead, and the next doubtful bead anywhere
MOVES = {"next bead (j)": ["j"], "next doubtful (n)": ["n"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--beads", default="5000", help="bead counts, comma-separated (e.g. 500,5000: side by side)")
    ap.add_argument("--loads", type=int, default=3, help="page loads for the first-paint figure")
    ap.add_argument("--edits", type=int, default=15, help="edits of each kind")
    args = ap.parse_args()
    for n in (int(x) for x in args.beads.split(",")):
        run(n, args.loads, args.edits)
    return 0


def run(n_beads: int, loads: int, n_edits: int) -> None:
    from duiqi.review.server import serving

    project = synthetic_project(n_beads, seed=1)
    sents = len(project.src) + len(project.tgt)
    print(f"review page benchmark: {len(project.beads)} beads, {sents} sentences (synthetic, example sentences)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    first, fcp, full = [], [], []
    edits: dict[str, list[float]] = {k: [] for k in EDITS}
    script: list[float] = []
    moves: dict[str, list[float]] = {k: [] for k in MOVES}
    with tempfile.TemporaryDirectory() as tmp, browser() as b, \
            serving(project, os.path.join(tmp, "b.review.json"), os.path.join(tmp, "b")) as srv:
        for _ in range(loads):
            page = b.new_page(viewport={"width": 1440, "height": 900})
            page.goto(srv.url)
            page.wait_for_selector("body[data-rendered='all']", timeout=120_000)
            t = page.evaluate("""() => ({
                first: performance.getEntriesByName('duiqi-first-paint')[0].startTime,
                all: performance.getEntriesByName('duiqi-all-rendered')[0].startTime,
                fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null,
                rows: duiqi.rendered()})""")
            assert t["rows"] == len(project.beads)
            first.append(t["first"])
            full.append(t["all"])
            if t["fcp"] is not None:
                fcp.append(t["fcp"])
            page.close()
        page = b.new_page(viewport={"width": 1440, "height": 900})
        page.goto(srv.url)
        page.wait_for_selector("body[data-rendered='all']", timeout=120_000)
        n = len(project.beads)
        spots = [int(n * f) for f in (0.1, 0.5, 0.9)]
        for k in range(n_edits):
            for name, keys in EDITS.items():
                page.evaluate(_GOTO, [spots[k % 3] + k])
                js, painted = page.evaluate(_EDIT, [keys])
                script.append(js)
                edits[name].append(painted)
            for name, keys in MOVES.items():
                moves[name].append(page.evaluate(_EDIT, [keys])[1])
        after = page.evaluate("duiqi.beads().length")
        page.locator("#status").filter(has_text=re.compile(r"^saved$")).wait_for(timeout=60_000)
        page.close()
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def fmt(xs: list[float]) -> str:
        return f"median {statistics.median(xs):7.1f} ms   max {max(xs):7.1f} ms   (n={len(xs)})"

    print(f"first paint (first beads painted)    {fmt(first)}")
    if fcp:
        print(f"first-contentful-paint (browser)     {fmt(fcp)}")
    print(f"every bead in the DOM                {fmt(full)}")
    for name, xs in edits.items():
        print(f"edit {name:<14} -> painted      {fmt(xs)}")
    all_edits = [x for xs in edits.values() for x in xs]
    print(f"every edit                           {fmt(all_edits)}   beads after: {after}")
    print(f"  of which the page's own script     {fmt(script)}")
    for name, xs in moves.items():
        print(f"move: {name:<18} -> painted  {fmt(xs)}")


if __name__ == "__main__":
    sys.exit(main())
