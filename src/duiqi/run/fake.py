"""A deterministic stand-in for the document pipeline, to test the engines without models.

:class:`FakeProcessor` pairs each Chinese line with the English line right after it. Test hooks, on
by default only here: a line ``!fake-raise`` raises, ``!fake-hang`` sleeps for an hour (to trigger
the per-document timeout), ``!fake-crash`` kills the worker process (``os._exit``), ``!fake-crash-once PATH``
kills it only the first time (when ``PATH`` does not exist yet; it is then created).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

import regex

from duiqi.records import EN, ZH, Document, Pair
from duiqi.text.scripts import HAN_RE


class FakeProcessor:
    def __init__(self, delay: float = 0.0, hooks: bool = True) -> None:
        self.delay = delay
        self.hooks = hooks
        self.pid = os.getpid()
        self.docs = 0

    def _hooks(self, text: str) -> None:
        if not self.hooks:
            return
        if "!fake-raise" in text:
            raise ValueError("fake stage failure")
        if "!fake-hang" in text:
            time.sleep(3600)
        once = regex.search(r"!fake-crash-once (\S+)", text)
        if once:
            if not os.path.exists(once.group(1)):
                open(once.group(1), "w").close()
                os._exit(17)
        elif "!fake-crash" in text:
            os._exit(17)

    def process(self, doc: Document) -> list[Pair]:
        self.docs += 1
        self._hooks(doc.text)
        if self.delay:
            time.sleep(self.delay)
        lines = [ln.strip() for ln in doc.text.splitlines() if ln.strip()]
        pairs: list[Pair] = []
        for k in range(len(lines) - 1):
            a, b = lines[k], lines[k + 1]
            if HAN_RE.search(a) and not HAN_RE.search(b):
                ratio = min(len(a) * 3, len(b)) / max(len(a) * 3, len(b), 1)
                pairs.append(Pair(a, b, ZH, EN, round(ratio, 6), (k,), (k + 1,), doc.id))
        return pairs

    def process_pair(self, src_doc: Document, tgt_doc: Document) -> list[Pair]:
        self.docs += 1
        self._hooks(src_doc.text + tgt_doc.text)
        src = [ln.strip() for ln in src_doc.text.splitlines() if ln.strip()]
        tgt = [ln.strip() for ln in tgt_doc.text.splitlines() if ln.strip()]
        return [
            Pair(a, b, ZH, EN, 1.0, (k,), (k,), src_doc.id) for k, (a, b) in enumerate(zip(src, tgt, strict=False))
        ]


@dataclass(frozen=True)
class FakeFactory:
    delay: float = 0.0
    hooks: bool = True

    def __call__(self) -> FakeProcessor:
        return FakeProcessor(self.delay, self.hooks)

    def settings(self) -> dict[str, Any]:
        return {"processor": "fake", "fake_delay": self.delay}
