"""The work of one shard, the same in every engine: read each document, run the pipeline, keep the pairs,
record every rejected document or pair with its reason.

A bad document (unreadable, binary, too large, too slow, or one that makes a stage raise) becomes a
:class:`Reject` and the shard goes on. The processor (the document pipeline) is built once per worker
process by a picklable :class:`ProcessorFactory` and reused for every document it sees, so the encoder
is loaded once per worker.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import resource
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Protocol

from duiqi.errors import ConfigError, DuiqiError, InputError
from duiqi.io import read_document as _read
from duiqi.pipeline import Pipeline
from duiqi.records import Document, Pair, Reject
from duiqi.run.shards import Item, ShardSpec, file_size, iter_items
from duiqi.steps import FilterStep, Outcome, ScoreStep, finish, without_dedup


class Processor(Protocol):
    """What a worker runs on each document (``duiqi.pipeline.Pipeline`` satisfies it)."""

    def process(self, doc: Document) -> list[Pair]: ...

    def process_pair(self, src_doc: Document, tgt_doc: Document) -> list[Pair]: ...


class ProcessorFactory(Protocol):
    """Picklable recipe for a processor: called once in each worker; ``settings()`` goes into the signature."""

    def __call__(self) -> Processor: ...

    def settings(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-document guards (pair thresholds are the filter step's: ``min_quality``, ``min_similarity``)."""

    max_doc_bytes: int = 20_000_000
    doc_timeout: float | None = 120.0

    def __post_init__(self) -> None:
        if self.max_doc_bytes < 1:
            raise ConfigError(f"max_doc_bytes must be at least 1, not {self.max_doc_bytes}")
        if self.doc_timeout is not None and self.doc_timeout < 0:
            raise ConfigError(f"doc_timeout must not be negative, not {self.doc_timeout}")

    def settings(self) -> dict[str, Any]:
        return {
            "max_doc_bytes": self.max_doc_bytes,
            "doc_timeout": self.doc_timeout if self.doc_timeout else "none",
        }


@dataclass(frozen=True)
class ShardResult:
    index: int
    name: str
    pairs: tuple[Pair, ...]
    rejects: tuple[Reject, ...]
    stats: Mapping[str, Any] = field(default_factory=dict)


class DocTimeout(BaseException):
    """Raised inside a document's processing when its time is up (a BaseException so that a stage's
    ``except Exception`` cannot swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with :class:`DocTimeout` (SIGALRM; main thread only,
    elsewhere the block runs unbounded)."""
    usable = (
        seconds
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise DocTimeout()

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_document(path: str, doc_id: str, max_bytes: int) -> Document:
    """Read one document file (any format ``duiqi.io`` knows), refusing files over ``max_bytes``."""
    size = file_size(path)
    if size > max_bytes:
        raise _TooLarge(f"{size} bytes > limit {max_bytes}")

    return _read(path, doc_id=doc_id, max_unpacked=max_bytes)  # a DOCX is measured unpacked too


class _TooLarge(Exception):
    pass


_PROCESSOR: tuple[Any, Processor] | None = None


def get_processor(factory: ProcessorFactory) -> Processor:
    """The processor of this process for ``factory``, built on first use and then reused."""
    global _PROCESSOR
    if _PROCESSOR is None or _PROCESSOR[0] != factory:
        _PROCESSOR = (factory, factory())
    return _PROCESSOR[1]


@dataclass(frozen=True)
class ShardTask:
    """Everything a worker needs besides the shard: picklable, built once by the driver.

    ``cursor_dir`` (local engine): before each document the worker writes its position to
    ``<cursor_dir>/<shard>.cursor``, so that if the worker process dies the driver knows which document
    killed it.
    """

    factory: ProcessorFactory
    limits: Limits = Limits()
    text_field: str = "text"
    id_field: str | None = "id"
    cursor_dir: str | None = None
    score: bool = True
    """The score step for a processor that is not a :class:`~duiqi.pipeline.Pipeline` (a pipeline's
    config says which steps it runs)."""
    filters: Any = None
    """The filter step (a :class:`duiqi.score.FilterConfig`) for a processor that is not a pipeline;
    duplicates are removed run-wide afterwards, see :mod:`duiqi.run.dedup`."""

    def __call__(self, spec: ShardSpec, crashed: Mapping[int, str] | None = None) -> ShardResult:
        return run_shard(spec, self, crashed or {})


def _note_cursor(task: ShardTask, spec: ShardSpec, position: int) -> None:
    if task.cursor_dir is None:
        return
    path = os.path.join(task.cursor_dir, spec.name + ".cursor")
    with open(path, "w", encoding="ascii") as fh:
        fh.write(str(position))


def _process_item(item: Item, processor: Processor, task: ShardTask) -> Outcome:
    """One document (or pair of documents) through the processor and the steps after alignment.

    A :class:`~duiqi.pipeline.Pipeline` runs its own score and filter steps (the runner puts the run's
    ``score``/``filters`` into its config, see :func:`duiqi.run.runner.run_corpus`); another processor
    (the run's test stand-in) gets the same step objects run after it.
    """
    limits = task.limits
    if item.text is not None:
        size = len(item.text.encode("utf-8", "surrogatepass"))
        if size > limits.max_doc_bytes:
            raise _TooLarge(f"{size} bytes > limit {limits.max_doc_bytes}")
        docs: tuple[Document, ...] = (Document(id=item.doc_id, text=item.text, source=item.source),)
    elif item.tgt_path is not None:
        assert item.path is not None
        docs = (read_document(item.path, item.doc_id, limits.max_doc_bytes),
                read_document(item.tgt_path, item.doc_id, limits.max_doc_bytes))
    else:
        assert item.path is not None
        docs = (read_document(item.path, item.doc_id, limits.max_doc_bytes),)
    docs = tuple(d if d.id else dataclasses.replace(d, id=item.doc_id) for d in docs)
    if isinstance(processor, Pipeline):
        return processor.run(docs[0]) if len(docs) == 1 else processor.run_pair(docs[0], docs[1])
    pairs = processor.process(docs[0]) if len(docs) == 1 else processor.process_pair(docs[0], docs[1])
    pairs = [p if p.doc else dataclasses.replace(p, doc=item.doc_id) for p in pairs]
    filters = FilterStep(without_dedup(task.filters)) if task.filters is not None else None  # type: ignore[arg-type]
    return finish(pairs, ScoreStep() if task.score else None, filters)


def run_shard(spec: ShardSpec, task: ShardTask, crashed: Mapping[int, str]) -> ShardResult:
    """Process every document of ``spec``; ``crashed`` maps positions already known to kill the worker
    to a detail (they are rejected without being run again)."""
    t0 = time.monotonic()
    cpu0 = time.process_time()
    processor = get_processor(task.factory)
    limits = task.limits
    pairs: list[Pair] = []
    rejects: list[Reject] = []
    reasons: Counter[str] = Counter()
    docs = 0

    def reject(item: Item, reason: str, detail: str) -> None:
        rejects.append(Reject("document", item.doc_id, (f"{reason}: {detail}" if detail else reason,), item.source))
        reasons[reason] += 1

    for item in iter_items(spec, task.text_field, task.id_field):
        docs += 1
        if item.position in crashed:
            reject(item, "worker-crash", crashed[item.position])
            continue
        if item.error is not None:
            reason = {"file": "unpaired", "unreadable": "unreadable"}.get(item.kind, "bad-record")
            reject(item, reason, item.error)
            continue
        _note_cursor(task, spec, item.position)
        started = time.monotonic()
        try:
            with time_limit(limits.doc_timeout):
                outcome = _process_item(item, processor, task)
        except DocTimeout:
            reject(item, "timeout", f"took more than {limits.doc_timeout:g} s")
            continue
        except _TooLarge as exc:
            reject(item, "too-large", str(exc))
            continue
        except InputError as exc:
            reject(item, "bad-document", exc.reason)
            continue
        except DuiqiError as exc:
            reject(item, "invalid", str(exc))
            continue
        except MemoryError:
            reject(item, "out-of-memory", "the document needed more memory than the worker had")
            continue
        except Exception as exc:  # a stage's bug on one document must not stop the corpus
            reject(item, "error", f"{type(exc).__name__}: {exc}")
            continue
        if limits.doc_timeout and time.monotonic() - started > limits.doc_timeout:
            reject(item, "timeout", f"took more than {limits.doc_timeout:g} s")
            continue
        for rejected in outcome.rejected:
            record = rejected.to_reject(item.source)
            rejects.append(record)
            reasons["pair:" + record.reason] += 1
        pairs.extend(outcome.pairs)
    doc_rejects = sum(1 for r in rejects if r.kind == "document")
    stats = {
        "docs": docs,
        "docs_ok": docs - doc_rejects,
        "docs_rejected": doc_rejects,
        "pairs": len(pairs),
        "pairs_rejected": len(rejects) - doc_rejects,
        "reasons": dict(sorted(reasons.items())),
        "seconds": round(time.monotonic() - t0, 4),
        "cpu_seconds": round(time.process_time() - cpu0, 4),
        "pid": os.getpid(),
        "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    return ShardResult(spec.index, spec.name, tuple(pairs), tuple(rejects), stats)
