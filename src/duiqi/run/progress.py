"""Progress of a run: a one-line bar with documents/s and ETA on a terminal, JSON-lines logs otherwise.

On a terminal the bar is redrawn at most a few times a second on stderr. When stderr is not a terminal
(CI, a log file, a cluster job), the run writes one JSON object per line: ``start``, ``progress`` (at
most every ``interval`` seconds), ``shard-failed``, ``end``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from typing import IO, Any


def _fmt_eta(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):
        return "?"
    s = int(seconds)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    """Counts documents, pairs and shards as shard markers arrive; renders as a bar or as JSON lines."""

    def __init__(
        self,
        total_docs: int,
        total_shards: int,
        done_docs: int = 0,
        done_shards: int = 0,
        stream: IO[str] | None = None,
        tty: bool | None = None,
        interval: float = 10.0,
        enabled: bool = True,
    ) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.enabled = enabled
        self.interval = interval if not self.tty else 0.2
        self.total_docs = total_docs
        self.total_shards = total_shards
        self.docs = done_docs
        self.shards = done_shards
        self.resumed_docs = done_docs
        self.pairs = 0
        self.rejected = 0
        self.t0 = time.monotonic()
        self._last = 0.0

    def rates(self) -> tuple[float, float, float]:
        """(documents/s, pairs/s, ETA seconds) over this run (resumed documents excluded)."""
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        new_docs = self.docs - self.resumed_docs
        dps = new_docs / elapsed
        eta = (self.total_docs - self.docs) / dps if dps > 0 else float("inf")
        return dps, self.pairs / elapsed, eta

    def event(self, name: str, **fields: Any) -> None:
        if not self.enabled:
            return
        if self.tty:
            self._clear()
            detail = " ".join(f"{k}={v}" for k, v in fields.items())
            self.stream.write(f"duiqi run: {name} {detail}\n")
        else:
            record = {"event": name, "time": round(time.time(), 3), **fields}
            self.stream.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self.stream.flush()

    def start(self, **fields: Any) -> None:
        self.event("start", docs=self.total_docs, shards=self.total_shards, already_done=self.shards, **fields)
        self._render(force=True)

    def update(self, marker: Mapping[str, Any]) -> None:
        self.docs += int(marker.get("docs", 0))
        self.pairs += int(marker.get("pairs", 0))
        self.rejected += int(marker.get("docs_rejected", 0))
        self.shards += 1
        self._render()

    def _clear(self) -> None:
        if self.tty and self.enabled:
            self.stream.write("\r\x1b[K")

    def _render(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval and self.shards < self.total_shards:
            return
        self._last = now
        dps, pps, eta = self.rates()
        if self.tty:
            frac = self.docs / self.total_docs if self.total_docs else 1.0
            width = 24
            bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
            self.stream.write(
                f"\r\x1b[K[{bar}] {self.docs}/{self.total_docs} docs {frac:4.0%} "
                f"shards {self.shards}/{self.total_shards} | {dps:.1f} docs/s {pps:.1f} pairs/s "
                f"| rejected {self.rejected} | ETA {_fmt_eta(eta)}"
            )
            self.stream.flush()
        elif not force:
            self.event(
                "progress",
                docs=self.docs,
                total_docs=self.total_docs,
                shards=self.shards,
                total_shards=self.total_shards,
                pairs=self.pairs,
                rejected=self.rejected,
                docs_per_s=round(dps, 2),
                eta_s=None if eta == float("inf") else round(eta, 1),
            )

    def close(self, **fields: Any) -> None:
        if self.tty and self.enabled:
            self.stream.write("\n")
        dps, pps, _ = self.rates()
        self.event("end", docs_per_s=round(dps, 2), pairs_per_s=round(pps, 2), **fields)
