"""The Ray engine: the same :class:`~duiqi.run.task.ShardTask` on Ray Data, locally or on a cluster.

Shards become rows of a Ray Dataset; ``map_batches`` runs them on a pool of actors (one CPU each),
each of which builds the processor once (so the encoder is loaded once per actor). Results stream back
to the driver, which writes each shard's outputs and marker as it arrives, exactly as the local engine
does, so both engines give the same files for the same inputs.

Shards are fed in windows of ``window`` shards (a new Dataset per window), so the driver never holds
the plan of the whole corpus. Input paths must be readable at the same path on every node (a shared
file system); outputs are written by the driver only.
"""

from __future__ import annotations

import itertools
import logging
import pickle
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from duiqi.errors import DuiqiError, MissingDependencyError
from duiqi.run.local import ShardFailure, WorkerPool
from duiqi.run.shards import ShardSpec
from duiqi.run.task import ShardResult, ShardTask


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise MissingDependencyError("the Ray engine (--engine ray)", "pip install 'duiqi[ray]'") from exc
    return ray


class _RayShardWorker:
    """A Ray Data actor. It runs its shards in one child process of its own (a :class:`WorkerPool` of
    one), built once: the processor is loaded once per actor, and the per-document timeout (SIGALRM,
    main thread only) and the crash isolation of the local engine work on Ray too."""

    def __init__(self, task: ShardTask) -> None:
        self.pool = WorkerPool(1, task, threads=1)  # the actor holds one CPU

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        results: list[bytes] = []
        errors: list[str] = []
        for blob in batch["spec"]:
            spec: ShardSpec = pickle.loads(blob)
            got: list[ShardResult] = []
            failed = self.pool.run([spec], got.append)
            results.append(pickle.dumps(got[0]) if got else b"")
            if got and not failed:
                errors.append("")
            else:
                errors.append("; ".join(f.reason for f in failed) or "no result from the worker")
        return {
            "index": np.asarray(batch["index"]),
            "result": np.asarray(results, dtype=object),
            "error": np.asarray(errors, dtype=object),
        }

    def __del__(self) -> None:
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.close()


def _windows(specs: Iterable[ShardSpec], size: int) -> Iterator[list[ShardSpec]]:
    it = iter(specs)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


class RayEngine:
    """Runs shards on Ray Data. ``address``: a cluster (``auto``, ``ray://host:10001``) or None to start
    a local Ray; ``workers``: number of actors (default: the cluster's CPUs)."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, window: int = 10_000) -> None:
        self.address = address
        self.workers = workers
        self.window = window

    def _init(self, ray: Any) -> bool:
        if ray.is_initialized():
            return False
        kwargs: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
        if self.address:
            kwargs["address"] = self.address
        else:
            kwargs["include_dashboard"] = False
            if self.workers:
                kwargs["num_cpus"] = self.workers
        try:
            ray.init(**kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise DuiqiError(f"cannot start or reach Ray at {self.address or 'a local instance'}: {exc}") from None
        return True

    def run(
        self, specs: Iterable[ShardSpec], task: ShardTask, on_result: Callable[[ShardResult], None]
    ) -> list[ShardFailure]:
        ray = _import_ray()
        started = self._init(ray)
        try:
            ctx = ray.data.DataContext.get_current()
            ctx.enable_progress_bars = False
            ctx.print_on_execution_start = False
            logging.getLogger("ray.data").setLevel(logging.WARNING)
            workers = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            failures: list[ShardFailure] = []
            for window in _windows(specs, self.window):
                failures += self._run_window(ray, window, task, workers, on_result)
            return failures
        finally:
            if started:
                ray.shutdown()

    def _run_window(
        self,
        ray: Any,
        window: list[ShardSpec],
        task: ShardTask,
        workers: int,
        on_result: Callable[[ShardResult], None],
    ) -> list[ShardFailure]:
        by_index = {s.index: s for s in window}
        rows = [{"index": s.index, "spec": pickle.dumps(s)} for s in window]
        ds = ray.data.from_items(rows, override_num_blocks=len(rows))
        out = ds.map_batches(
            _RayShardWorker,
            fn_constructor_kwargs={"task": task},
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=min(workers, len(rows))),
            num_cpus=1,
        )
        failures: list[ShardFailure] = []
        try:
            for row in out.iter_rows():
                spec = by_index.pop(int(row["index"]))
                if row["error"]:
                    failures.append(ShardFailure(spec.index, spec.name, str(row["error"])))
                else:
                    on_result(pickle.loads(row["result"]))
        except Exception as exc:  # Ray itself failed (lost node, actor died too often)
            reason = f"ray: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            failures += [ShardFailure(s.index, s.name, reason) for s in by_index.values()]
        return failures
