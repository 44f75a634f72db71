"""Progress of a one-shot command (``duiqi align``): the stage it is in, counts, rate and an ETA.

On a terminal one status line is redrawn (at most 5 times a second) and each finished stage leaves a
line with its counts and time; ``-v`` prints the finished-stage lines also when stderr is not a
terminal; ``-q`` prints nothing. Encoding dominates the time of ``align``, so :meth:`Stages.watch_encoder`
counts the texts the encoder receives, batch by batch, without changing what it computes.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator, Sequence
from typing import IO, Any


def _clock(seconds: float) -> str:
    s = int(max(0.0, seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Stages:
    """Stage-by-stage progress on stderr. ``verbosity``: 0 quiet, 1 normal, 2 verbose."""

    def __init__(self, label: str, names: Sequence[str], *, verbosity: int = 1, stream: IO[str] | None = None,
                 tty: bool | None = None) -> None:
        self.label = label
        self.names = list(names)
        self.stream = stream or sys.stderr
        is_tty = self.stream.isatty() if tty is None else tty
        self.live = is_tty and verbosity >= 1
        self.lines = verbosity >= 2 or self.live
        self.name = ""
        self.done = 0
        self.total: int | None = None
        self.unit = ""
        self.t0 = self._last = 0.0
        self.log: list[dict[str, Any]] = []
        """Every finished stage: name, seconds and counts (also when nothing is shown)."""

    @contextlib.contextmanager
    def stage(self, name: str, *, total: int | None = None, unit: str = "") -> Iterator[Stages]:
        self.name, self.done, self.total, self.unit = name, 0, total, unit
        self.approx = False
        self.t0 = time.monotonic()
        self.counts: dict[str, Any] = {}
        self._render(force=True)
        yield self
        seconds = time.monotonic() - self.t0
        self.log.append({"stage": name, "seconds": round(seconds, 3), **self.counts})
        if self.lines:
            detail = ", ".join(f"{v} {k}" for k, v in self.counts.items())
            self._write(f"{self.label}: {self._position()} {name} done in {seconds:.1f} s"
                        + (f" ({detail})" if detail else "") + "\n")

    def note(self, **counts: Any) -> None:
        """Counts shown when the stage ends (e.g. ``pairs=120``)."""
        self.counts.update(counts)

    def advance(self, n: int = 1, total: int | None = None) -> None:
        self.done += n
        if total is not None:
            self.total = max(total, self.done)
        self._render()

    def clear_line(self) -> None:
        """Wipe the status line (before something else prints on stderr)."""
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _position(self) -> str:
        k = self.names.index(self.name) + 1 if self.name in self.names else 0
        return f"[{k}/{len(self.names)}]"

    def _write(self, text: str) -> None:
        if self.live:
            text = "\r\x1b[K" + text
        self.stream.write(text)
        self.stream.flush()

    def _render(self, force: bool = False) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        elapsed = max(now - self.t0, 1e-9)
        line = f"{self.label}: {self._position()} {self.name}"
        tilde = "~" if self.approx else ""
        if self.done:
            rate = self.done / elapsed
            known = self.total and self.done < self.total  # an estimate that was passed is not shown
            line += f" {self.done}" + (f"/{tilde}{self.total}" if known else "") + f" {self.unit} {rate:.1f}/s"
            if self.total and rate > 0 and self.done < self.total:
                line += f" ETA {tilde}{_clock((self.total - self.done) / rate)}"
        elif self.total:
            line += f" ({self.total} {self.unit})"
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()

    @contextlib.contextmanager
    def watch_encoder(self, encoder: Any, *, span_factor: float = 1.0) -> Iterator[None]:
        """Count what ``encoder`` (the model a pipeline encodes with) computes: texts encoded on their own
        (``encode``, ``parts``) and runs of texts (``states``), as they reach it.

        The expected total is estimated from the first two requests made of a document's embeddings view
        (the sentences of each side, :class:`duiqi.steps.DocumentEmbeddings` reports them through
        ``on_request``) times ``span_factor`` (how many texts per sentence the span embedding adds), so
        the ETA is approximate. The encoder is left as it was afterwards.
        """
        if not self.live or not callable(getattr(encoder, "encode", None)):
            yield
            return
        stages = self
        sizes: list[int] = []

        def counted(method: Any) -> Any:
            def call(texts: Sequence[str], *args: Any, **kwargs: Any) -> Any:
                out = method(texts, *args, **kwargs)
                stages.advance(len(texts))
                return out
            return call

        def on_request(n: int) -> None:
            if len(sizes) < 2:
                sizes.append(n)
                if len(sizes) == 2:
                    stages.total = int(sum(sizes) * span_factor)
                    stages.approx = True

        patched = ["on_request"]
        for name in ("encode", "parts", "states"):
            method = getattr(encoder, name, None)
            if callable(method):
                setattr(encoder, name, counted(method))
                patched.append(name)
        encoder.on_request = on_request
        try:
            yield
        finally:
            for name in patched:
                with contextlib.suppress(AttributeError):
                    delattr(encoder, name)
