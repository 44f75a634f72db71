"""Length-only baselines (sanity floors) for the alignment benchmark.

``galechurch_beads`` runs the PyPI ``galechurch`` package (Gale & Church 1993, Rust core) with the
character ratio of the document, and checks its output: it is known to return no beads on some
inputs. ``length_floor_beads`` is our own small Gale-Church-style DP (same bead costs, length only)
used when the package is missing or its output is invalid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from duiqi.records import Bead

_COSTS = {(1, 1): 0.0, (1, 0): 450.0, (0, 1): 450.0, (2, 1): 230.0, (1, 2): 230.0, (2, 2): 440.0}


def _chars(s: str) -> int:
    return len("".join(s.split()))


def valid(beads: Sequence[Bead], n: int, m: int) -> bool:
    return [i for b in beads for i in b.src_ids] == list(range(n)) and [
        j for b in beads for j in b.tgt_ids
    ] == list(range(m))


def galechurch_beads(src: Sequence[str], tgt: Sequence[str]) -> list[Bead] | None:
    """Beads from the PyPI package, or ``None`` when it is absent or returns an invalid cover."""
    try:
        import galechurch
    except ImportError:
        return None
    ratio = max(1, sum(map(_chars, tgt))) / max(1, sum(map(_chars, src)))
    try:
        block = galechurch.align(list(src), list(tgt), mean_xy=ratio)
    except Exception:
        return None
    beads = [
        Bead(tuple(range(b.source_start, b.source_end)), tuple(range(b.target_start, b.target_end)))
        for b in block.beads
    ]
    return beads if valid(beads, len(src), len(tgt)) else None


def _norm_sf(z: float) -> float:
    return math.erfc(z / math.sqrt(2))  # two-sided tail probability


def _length_cost(ls: int, lt: int, ratio: float, var: float = 6.8) -> float:
    if ls == 0 and lt == 0:
        return 0.0
    mean = (ls + lt / ratio) / 2
    z = (ratio * ls - lt) / math.sqrt(var * max(mean, 1e-9))
    p = max(_norm_sf(abs(z)), 1e-12)
    return -100 * math.log(p)


def length_floor_beads(src: Sequence[str], tgt: Sequence[str]) -> list[Bead]:
    """Our own Gale-Church-style length-only alignment (full DP; fine for chapter-sized inputs)."""
    ls = [_chars(s) for s in src]
    lt = [_chars(t) for t in tgt]
    n, m = len(ls), len(lt)
    ratio = max(1, sum(lt)) / max(1, sum(ls))
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, arg = inf, (0, 0)
            for (p, q), prior in _COSTS.items():
                if p > i or q > j or cost[i - p][j - q] == inf:
                    continue
                c = cost[i - p][j - q] + prior + _length_cost(sum(ls[i - p : i]), sum(lt[j - q : j]), ratio)
                if c < best:
                    best, arg = c, (p, q)
            cost[i][j], back[i][j] = best, arg
    beads = []
    i, j = n, m
    while i or j:
        p, q = back[i][j]
        beads.append(Bead(tuple(range(i - p, i)), tuple(range(j - q, j))))
        i, j = i - p, j - q
    return beads[::-1]
