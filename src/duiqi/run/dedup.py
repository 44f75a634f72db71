"""Duplicate removal across a whole corpus run, after every shard is done.

Pairs are read back shard by shard in shard order; the first occurrence of a pair (by the normalised
hash of :mod:`duiqi.score.dedup`: exact and near duplicates) is kept, later ones move to the shard's
rejects file with reason ``duplicate``. The pass is idempotent, so a crash in the middle of it is
mended by running the same command again: a shard is rewritten only when it still holds a duplicate,
its rejects are rewritten as (non-duplicate rejects + this pass's duplicates), then its marker, and
the pairs file last.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from duiqi.atomic import atomic_write
from duiqi.export import read_pairs, write_pairs
from duiqi.records import Pair, Reject
from duiqi.run.outdir import RunDir, _dump
from duiqi.score.dedup import Deduplicator

REASON = "duplicate"


def _reject_record(pair: Pair) -> dict[str, Any]:
    return Reject("pair", pair.doc, (f"{REASON}: same normalised text as an earlier pair of the run",),
                  pair=pair).to_dict()


def dedup_run(rundir: RunDir, settings: Mapping[str, Any]) -> int:
    """Remove duplicate pairs across all finished shards of ``rundir``; returns how many were removed
    by the run so far (counting earlier, interrupted passes)."""
    seen = Deduplicator()
    removed = 0
    for marker in list(rundir.markers()):
        pairs_path = rundir.path(marker["pairs_file"])
        kept: list[Pair] = []
        dups: list[Pair] = []
        for pair in read_pairs(pairs_path):
            (dups if seen.seen(pair) else kept).append(pair)
        if not dups:
            removed += int(marker.get("duplicates", 0))
            continue
        rejects_path = rundir.path(marker["rejects_file"])
        with open(rejects_path, encoding="utf-8") as fh:
            others = [ln for ln in fh if ln.strip() and json.loads(ln).get("reason") != REASON]
        with atomic_write(rejects_path) as fh:
            fh.writelines(others)
            for pair in dups:
                fh.write(json.dumps(_reject_record(pair), ensure_ascii=False) + "\n")
        before = int(marker.get("pairs_before_dedup", marker["pairs"]))
        rejected_before = int(marker.get("pairs_rejected_before_dedup", marker["pairs_rejected"]))
        reasons = dict(marker.get("reasons") or {})
        reasons["pair:" + REASON] = len(dups)
        _dump(rundir.marker_path(marker["name"]), {
            **marker,
            "pairs_before_dedup": before,
            "pairs_rejected_before_dedup": rejected_before,
            "pairs": before - len(dups),
            "pairs_rejected": rejected_before + len(dups),
            "duplicates": len(dups),
            "reasons": dict(sorted(reasons.items())),
        })
        write_pairs(kept, pairs_path, rundir.fmt, settings=settings, sidecar=False)
        removed += len(dups)
    return removed
