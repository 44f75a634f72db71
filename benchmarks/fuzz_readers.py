"""Fuzz every reader and ``repair`` with Hypothesis: random bytes (with prefixes that pass the first
format checks), random JSON records, and mutations of hostile seeds (issue 10). Prints the number of
cases, the seconds and the number of tracebacks (must be 0), plus the limits checks: sentence
splitting of ``a.a.a.`` at 40 KB and 1 MB, and ``repair`` of a long noisy text.

    python benchmarks/fuzz_readers.py [--cases 2000] [--seed 0] [--no-limits]

Needs nothing from /work/shared: every case is generated here.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from duiqi.fuzz import feed_bytes, feed_record

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=20,
)
PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"%PDF-1.4\n", b"<html><body><p>",
            b'{"text": "', b"[0]:[", "中文".encode("gb18030"), "中文".encode("big5"), b"<!--", b"<script>"]
SEEDS = [b"[" * 5000, b'{"text": "x", "id": "\\udc00"}\n', "中文。English.\n".encode("utf-16-le") * 30,
         b"a." * 3000, b'{"src":"a","tgt":"b","score":NaN}\n', b"<div>" * 3000 + b"<p>x</p>",
         b"PK\x05\x06" + b"\x00" * 18, "發(fā)揮".encode() * 50]


def fuzz(cases: int, rng_seed: int) -> tuple[int, int, list[str]]:
    counter = {"cases": 0}
    problems: list[str] = []
    folder = tempfile.mkdtemp(prefix="duiqi-fuzz-")
    per = max(1, cases // 3)

    def record(found: list[str]) -> None:
        counter["cases"] += 1
        problems.extend(found)

    common = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}

    @seed(rng_seed)
    @settings(max_examples=per, **common)
    @given(st.sampled_from(PREFIXES), st.binary(max_size=400))
    def random_bytes(prefix: bytes, body: bytes) -> None:
        record(feed_bytes(prefix + body, folder))

    @seed(rng_seed)
    @settings(max_examples=per, **common)
    @given(JSON)
    def random_json(value: object) -> None:
        record(feed_record(value, folder))

    @seed(rng_seed)
    @settings(max_examples=per, **common)
    @given(st.sampled_from(SEEDS), st.integers(0, 10_000), st.binary(max_size=8))
    def mutated(base: bytes, at: int, insert: bytes) -> None:
        at %= len(base) + 1
        record(feed_bytes(base[:at] + insert + base[at + len(insert):], folder))

    for test in (random_bytes, random_json, mutated):
        test()
    os.rmdir(folder)
    return counter["cases"], len(problems), problems


def limits() -> None:
    from duiqi.repair import repair
    from duiqi.segment.sentences import split_sentences

    for n in (40_000, 1_000_000):
        t0 = time.perf_counter()
        split_sentences("a." * (n // 2))
        print(f"split_sentences('a.' * {n // 2}): {time.perf_counter() - t0:.2f} s")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "examples", "chongqing-foreign-affairs-2022.txt"), encoding="utf-8") as fh:
        unit = fh.read()
    for n in (1_000_000, 5_000_000):
        text = (unit * (n // len(unit) + 1))[:n]
        t0 = time.perf_counter()
        result = repair(text)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"repair of {n / 1e6:.0f} M characters of the noisy example: {time.perf_counter() - t0:.1f} s, "
              f"{len(result.edits)} edits, peak RSS so far {rss:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-limits", action="store_true", help="skip the sentence-splitting and repair timings")
    args = ap.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    t0 = time.perf_counter()
    n, bad, problems = fuzz(args.cases, args.seed)
    seconds = time.perf_counter() - t0
    print(f"fuzz: {n} cases (each read by every reader: documents, pairs, beads, run records, repair), "
          f"{seconds:.1f} s, {bad} tracebacks")
    for p in problems[:5]:
        print(p)
    if not args.no_limits:
        limits()
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
