"""The local engine: shards on all cores through worker processes (forkserver/spawn, never fork).

Each worker builds the processor (and so loads the encoder) once, in its initializer, and reuses it
for every shard it gets. At most ``2 × workers`` shards are in flight, so memory stays bounded however
large the corpus is.

A worker that dies (segfault, ``kill -9``, out of memory) breaks the pool; the shards that were in
flight are then rerun one at a time in a fresh pool. A shard that kills its worker alone is rerun whole
once (a single kill may be bad luck); if the worker dies again on the same document (noted by the worker
in a cursor file), the shard is rerun with that document rejected as ``worker-crash``, so one poisonous
document costs two retries, not the shard. A shard that cannot be finished is reported as failed
(no completion marker: the next run retries it), never dropped silently.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import dataclasses
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from duiqi.errors import ConfigError
from duiqi.run.shards import ShardSpec
from duiqi.run.task import ShardResult, ShardTask, get_processor


@dataclass(frozen=True, slots=True)
class ShardFailure:
    """A shard that was not finished (no marker written): the next run of the same command retries it."""

    index: int
    name: str
    reason: str


OnResult = Callable[[ShardResult], None]

_TASK: ShardTask | None = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process now holds the pid
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def _watch_driver(pid: int, interval: float = 1.0) -> None:
    """Exit when the driver is gone (``kill -9``): the pool's workers are not its children (forkserver),
    so nothing else would stop them."""
    while True:
        time.sleep(interval)
        if not _alive(pid):
            os._exit(70)


def _limit_blas_threads(threads: int) -> None:
    """Cap the BLAS/OpenMP threads of this worker for its whole life: without it every worker's numpy
    starts one thread per core, and two workers on two cores run four busy threads (measured: the
    encoder's CPU time per document doubled)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads)


def _init_worker(task: ShardTask, driver_pid: int, threads: int) -> None:
    """Worker start-up: ignore Ctrl-C (the driver handles it), watch the driver, give the encoder its
    share of the cores (``DUIQI_THREADS``, unless the user set it), build the processor once."""
    global _TASK
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("DUIQI_THREADS", str(threads))
    _limit_blas_threads(int(os.environ["DUIQI_THREADS"]))
    threading.Thread(target=_watch_driver, args=(driver_pid,), daemon=True, name="duiqi-watch-driver").start()
    _TASK = task
    get_processor(task.factory)


def _run_in_worker(spec: ShardSpec, crashed: Mapping[int, str]) -> ShardResult:
    assert _TASK is not None, "worker not initialised"
    return _TASK(spec, crashed)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_CURSOR_PREFIX = "duiqi-cursors-"


def _remove_stale_cursor_dirs() -> None:
    """Cursor folders of drivers that died without cleaning up (``kill -9``): named with the driver's pid."""
    root = tempfile.gettempdir()
    with contextlib.suppress(OSError):
        for name in os.listdir(root):
            if not name.startswith(_CURSOR_PREFIX):
                continue
            pid = name[len(_CURSOR_PREFIX):].split("-", 1)[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            path = os.path.join(root, name)
            with contextlib.suppress(OSError):
                if os.stat(path).st_uid == os.getuid():
                    shutil.rmtree(path, ignore_errors=True)


def _read_cursor(cursor_dir: str, spec: ShardSpec) -> int | None:
    try:
        with open(os.path.join(cursor_dir, spec.name + ".cursor"), encoding="ascii") as fh:
            return int(fh.read().strip())
    except (OSError, ValueError):
        return None


class LocalEngine:
    """Runs shards in ``workers`` processes (``workers=0``: in this process, for debugging and tests)."""

    name = "local"

    def __init__(self, workers: int | None = None, start_method: str | None = None, in_flight: int | None = None):
        self.workers = default_workers() if workers is None else workers
        if self.workers < 0:
            raise ConfigError(f"workers must be at least 0 (0: in this process), not {self.workers}")
        methods = multiprocessing.get_all_start_methods()
        self.start_method = start_method or ("forkserver" if "forkserver" in methods else "spawn")
        self.in_flight = in_flight or 2 * max(1, self.workers)

    def run(self, specs: Iterable[ShardSpec], task: ShardTask, on_result: OnResult) -> list[ShardFailure]:
        if self.workers == 0:
            return self._run_inline(specs, task, on_result)
        with WorkerPool(self.workers, task, self.start_method, self.in_flight) as pool:
            return pool.run(specs, on_result)

    def _run_inline(self, specs: Iterable[ShardSpec], task: ShardTask, on_result: OnResult) -> list[ShardFailure]:
        failures: list[ShardFailure] = []
        for spec in specs:
            try:
                result = task(spec)
            except Exception as exc:
                failures.append(ShardFailure(spec.index, spec.name, f"{type(exc).__name__}: {exc}"))
                continue
            on_result(result)
        return failures


class WorkerPool:
    """Worker processes that outlive single runs (see the module docstring for crash recovery).

    Use as a context manager; :meth:`run` may be called several times (the Ray engine keeps one pool
    of one process per actor, so per-document timeouts and crash isolation work there too).
    """

    def __init__(self, workers: int, task: ShardTask, start_method: str | None = None,
                 in_flight: int | None = None, threads: int | None = None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self.start_method = start_method or ("forkserver" if "forkserver" in methods else "spawn")
        self.workers = workers
        self.in_flight = in_flight or 2 * workers
        self.threads = threads or max(1, default_workers() // workers)
        _remove_stale_cursor_dirs()
        self._cursor_dir = tempfile.mkdtemp(prefix=f"{_CURSOR_PREFIX}{os.getpid()}-")
        self.task = dataclasses.replace(task, cursor_dir=self._cursor_dir)
        self.crashed: dict[int, dict[int, str]] = {}
        self.first_crashes: set[tuple[int, int]] = set()
        self.suspects: collections.deque[ShardSpec] = collections.deque()
        self.failures: list[ShardFailure] = []
        self.pool = self._new_pool()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._cursor_dir, ignore_errors=True)

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        ctx = multiprocessing.get_context(self.start_method)
        return cf.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=ctx, initializer=_init_worker, initargs=(self.task, os.getpid(), self.threads)
        )

    def _submit(self, spec: ShardSpec) -> cf.Future[ShardResult]:
        assert self.task.cursor_dir is not None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(self.task.cursor_dir, spec.name + ".cursor"))
        return self.pool.submit(_run_in_worker, spec, dict(self.crashed.get(spec.index, {})))

    def run(self, specs: Iterable[ShardSpec], on_result: OnResult) -> list[ShardFailure]:
        """Run ``specs``, calling ``on_result`` as shards finish; returns the shards that failed."""
        self.failures = []
        it = iter(specs)
        pending: dict[cf.Future[ShardResult], ShardSpec] = {}
        exhausted = False
        while True:
            # Suspects (shards in flight when a worker died) run alone, so a crash names its shard.
            limit = 1 if self.suspects else self.in_flight
            refused = False
            while len(pending) < limit:
                if self.suspects:
                    if pending:
                        break
                    spec = self.suspects.popleft()
                elif not exhausted:
                    nxt = next(it, None)
                    if nxt is None:
                        exhausted = True
                        continue
                    spec = nxt
                else:
                    break
                try:
                    pending[self._submit(spec)] = spec
                except BrokenProcessPool:  # a worker died since the last wait: retry this one later
                    self.suspects.appendleft(spec)
                    refused = True
                    break
            if refused and not pending:
                self._replace_pool()
                continue
            if not pending:
                break
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            broken = False
            for fut in done:
                spec = pending.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    broken = True
                    self._crashed(spec, alone=len(done) == 1 and not pending)
                    continue
                except Exception as exc:
                    self.failures.append(ShardFailure(spec.index, spec.name, f"{type(exc).__name__}: {exc}"))
                    continue
                on_result(result)
            if broken:
                # Every other in-flight shard fails too; rerun them alone in a fresh pool.
                for spec in sorted(pending.values(), key=lambda s: s.index):
                    self.suspects.append(spec)
                pending.clear()
                self._replace_pool()
        return self.failures

    def _replace_pool(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    def _crashed(self, spec: ShardSpec, alone: bool) -> None:
        if not alone:
            self.suspects.append(spec)
            return
        assert self.task.cursor_dir is not None
        position = _read_cursor(self.task.cursor_dir, spec)
        known = self.crashed.setdefault(spec.index, {})
        if position is None or position in known:
            self.failures.append(
                ShardFailure(spec.index, spec.name, "the worker process died outside any document (start-up?)")
            )
            return
        if (spec.index, position) not in self.first_crashes:
            # Once may be bad luck (the OOM killer, an operator's kill): the shard is run again whole.
            self.first_crashes.add((spec.index, position))
        else:
            known[position] = "the worker process died twice while processing this document"
        self.suspects.appendleft(spec)
