"""A corpus run: expand inputs, plan shards, skip finished ones, run the rest on an engine, write the
manifest and the report.

The engines (local processes, Ray Data) only move shards around; the work of a shard is always
:class:`duiqi.run.task.ShardTask`, so both engines give the same pairs for the same inputs.
"""

from __future__ import annotations

import dataclasses
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from duiqi.atomic import atomic_write
from duiqi.errors import ConfigError, MissingDependencyError
from duiqi.export import read_pairs
from duiqi.pipeline import Pipeline, PipelineConfig, settings_for
from duiqi.records import Reject
from duiqi.run.dedup import dedup_run
from duiqi.run.inputs import expand_inputs, inputs_digest
from duiqi.run.local import ShardFailure
from duiqi.run.outdir import RunDir, _dump, versions
from duiqi.run.progress import Progress
from duiqi.run.shards import ShardSpec, count_plan, plan_shards
from duiqi.run.task import Limits, ProcessorFactory, ShardResult, ShardTask
from duiqi.score import default_model
from duiqi.score.filters import Rejected
from duiqi.score.report import ReportBuilder, render_html
from duiqi.signature import settings_hash, signature
from duiqi.steps import without_dedup

RUN_FORMATS = ("jsonl", "parquet")


class Engine(Protocol):
    name: str

    def run(
        self, specs: Iterable[ShardSpec], task: ShardTask, on_result: Callable[[ShardResult], None]
    ) -> list[ShardFailure]: ...


@dataclass(frozen=True)
class RunConfig:
    """What to read, how to cut it, and the document pipeline every document goes through (one tree:
    ``pipeline`` is the :class:`~duiqi.pipeline.PipelineConfig` of ``duiqi align`` and the Python API)."""

    inputs: tuple[str, ...] = ()
    pair_dirs: tuple[tuple[str, str], ...] = ()
    shard_size: int = 500
    format: str = "jsonl"
    """Format of the pair shards (``jsonl`` or ``parquet``)."""
    text_field: str = "text"
    id_field: str | None = "id"
    limits: Limits = field(default_factory=Limits)
    dedup: bool = True
    """Remove exact and near-duplicate pairs across the whole run once every shard is done."""
    pipeline: PipelineConfig = field(default_factory=PipelineConfig)
    """The document pipeline: encoder, aligner, languages, and its score and filter steps (``score``,
    ``filters``: a :class:`duiqi.score.FilterConfig` applied to every document's pairs, duplicates
    excepted -- those are removed run-wide, see ``dedup``)."""

    def __post_init__(self) -> None:
        if self.format not in RUN_FORMATS:
            raise ConfigError(f"unknown run output format {self.format!r} (choose from {', '.join(RUN_FORMATS)})")
        if self.shard_size < 1:
            raise ConfigError(f"shard_size (--shard-size) must be at least 1, not {self.shard_size}")

    def settings(self) -> dict[str, Any]:
        """The run's settings that change its output (engine and worker count do not); the pipeline's
        own fields come from the processor that ran it (:meth:`PipelineFactory.settings`)."""
        filters = self.pipeline.filters
        return {
            "dedup": self.dedup,
            "score": self.pipeline.score,
            **({"quality_model": _quality_model_name()} if self.pipeline.score else {}),
            **(filters.to_settings() if filters is not None else {"filter": "none"}),
            "shard_size": self.shard_size,
            "format": self.format,
            "text_field": self.text_field,
            "id_field": self.id_field or "none",
            **self.limits.settings(),
        }


def _quality_model_name() -> str:
    return str(default_model().name)


@dataclass(frozen=True)
class RunSummary:
    outdir: str
    shards: int
    shards_done: int
    failures: tuple[ShardFailure, ...]
    totals: Mapping[str, Any]
    resumed: bool
    seconds: float

    @property
    def complete(self) -> bool:
        return not self.failures and self.shards_done == self.shards


@dataclass(frozen=True)
class PipelineFactory:
    """Builds ``duiqi.pipeline.Pipeline(config)`` in each worker (picklable: the config is frozen)."""

    config: Any

    def __call__(self) -> Any:
        return Pipeline(self.config)

    def for_run(self, config: PipelineConfig) -> PipelineFactory:
        """This factory building the run's pipeline ``config`` (duplicates are removed run-wide
        afterwards, never per document)."""
        return dataclasses.replace(self, config=dataclasses.replace(config, filters=without_dedup(config.filters)))

    def settings(self, modes: Sequence[str] = ()) -> dict[str, Any]:
        """The pipeline's signature fields for documents of ``modes`` (``mixed``, ``parallel-documents``)."""
        return dict(settings_for(self.config, modes))


def _peak_rss_mb() -> dict[str, float]:
    """The driver's peak RSS (workers report their own in the shard markers)."""
    return {"driver_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def aggregate(markers: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Shard list for the manifest and totals over all finished shards."""
    shards: list[dict[str, Any]] = []
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    peak = cpu = 0.0
    for m in markers:
        peak = max(peak, float(m.get("worker_peak_rss_mb", 0.0)))
        shards.append(
            {
                "name": m["name"],
                "index": m["shard"],
                "docs": m["docs"],
                "docs_rejected": m["docs_rejected"],
                "pairs": m["pairs"],
                "pairs_rejected": m["pairs_rejected"],
                "pairs_file": m["pairs_file"],
                "rejects_file": m["rejects_file"],
            }
        )
        for key in ("docs", "docs_ok", "docs_rejected", "pairs", "pairs_rejected"):
            totals[key] += int(m.get(key, 0))
        cpu += float(m.get("cpu_seconds", 0.0))
        reasons.update({k: int(v) for k, v in (m.get("reasons") or {}).items()})
    return shards, {
        **dict(totals),
        "reject_reasons": dict(sorted(reasons.items())),
        "worker_peak_rss_mb": peak,
        "worker_cpu_seconds": round(cpu, 2),
    }


def run_corpus(
    config: RunConfig,
    outdir: str,
    factory: ProcessorFactory | None,
    engine: Engine,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
    report: Callable[[RunDir, Mapping[str, Any]], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
    extra_settings: Mapping[str, Any] | None = None,
    spread_over: int | None = None,
) -> RunSummary:
    """Run (or resume) the corpus ``config`` into ``outdir``.

    Refuses (:class:`DuiqiError`) an ``outdir`` holding a run with other settings or inputs unless
    ``overwrite``. Shards with a completion marker are skipped. Returns counts; the run is complete
    when no shard failed (a failed shard is retried by running the same command again).
    ``on_plan(shards, docs)`` is called once the shards are planned; ``extra_settings`` (e.g. the config
    file's name and hash) join the signature. ``spread_over`` (the number of workers): lower the shard
    size (``config.shard_size`` is then the largest) until there are at least that many shards, so every
    worker gets work; a run being resumed keeps the shard size it was started with.
    ``factory``: ``None`` (or a :class:`PipelineFactory`, which may build the pipeline its own way) runs
    ``config.pipeline``; another processor factory (the engines' test stand-in) runs its processor with
    the pipeline's score and filter steps after it.
    """
    if config.format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise MissingDependencyError("Parquet output", "pip install 'duiqi[parquet]'") from None
    t0 = time.monotonic()
    rundir = RunDir(outdir, config.format)
    rundir.lock()  # before anything is read or written: two runs on one folder would interleave
    try:
        return _run_locked(config, rundir, factory, engine, t0, overwrite=overwrite, progress=progress,
                           report=report, on_plan=on_plan, extra_settings=extra_settings,
                           spread_over=spread_over)
    finally:
        rundir.unlock()


def _run_locked(
    config: RunConfig,
    rundir: RunDir,
    factory: ProcessorFactory | None,
    engine: Engine,
    t0: float,
    *,
    overwrite: bool,
    progress: Progress | None,
    report: Callable[[RunDir, Mapping[str, Any]], None] | None,
    on_plan: Callable[[int, int], None] | None,
    extra_settings: Mapping[str, Any] | None,
    spread_over: int | None,
) -> RunSummary:
    outdir = rundir.root
    # The output folder may lie inside an input folder: its files are never inputs.
    sources = expand_inputs(config.inputs, config.pair_dirs, exclude=[outdir])
    plan: tuple[int, int] | None = None
    if spread_over and spread_over > 1:
        config, plan = _spread(config, sources, outdir, spread_over, overwrite)
    # what will run: a mixed document per input file, a document pair per pair of files
    modes = tuple(dict.fromkeys("parallel-documents" if s.tgt_path else "mixed" for s in sources))
    if factory is None or isinstance(factory, PipelineFactory):  # the run's pipeline, its steps included
        factory = (factory or PipelineFactory(config.pipeline)).for_run(config.pipeline)
    ran = factory.settings(modes) if isinstance(factory, PipelineFactory) else factory.settings()
    settings = {**ran, **config.settings(), **(extra_settings or {})}
    manifest: dict[str, Any] = {
        "duiqi_run": 1,
        "signature": signature(settings),
        "settings_hash": settings_hash(settings),
        "settings": settings,
        "inputs": list(config.inputs),
        "pair_dirs": [list(p) for p in config.pair_dirs],
        "sources": len(sources),
        "inputs_digest": inputs_digest(sources),
        "versions": versions(),
    }
    resumed = rundir.prepare(manifest, overwrite=overwrite)
    n_shards, n_docs = plan or count_plan(sources, config.shard_size)
    if on_plan is not None:
        on_plan(n_shards, n_docs)
    already = list(rundir.markers())
    started = datetime.now(UTC).isoformat(timespec="seconds")
    rundir.write_manifest({**manifest, "status": "running", "engine": engine.name, "started": started,
                           "planned_shards": n_shards, "planned_docs": n_docs})
    progress = progress or Progress(n_docs, n_shards, enabled=False)
    progress.total_docs, progress.total_shards = n_docs, n_shards
    progress.docs = progress.resumed_docs = sum(int(m.get("docs", 0)) for m in already)
    progress.shards = len(already)
    progress.start(engine=engine.name, resumed=resumed)

    def on_result(result: ShardResult) -> None:
        progress.update(rundir.write_shard(result, settings))

    todo = (s for s in plan_shards(sources, config.shard_size) if not rundir.is_done(s.name))
    task = ShardTask(factory, config.limits, config.text_field, config.id_field,
                     score=config.pipeline.score, filters=config.pipeline.filters)
    failures = engine.run(todo, task, on_result)
    for f in failures:
        progress.event("shard-failed", shard=f.name, reason=f.reason)

    complete = not failures and sum(1 for _ in rundir.markers()) == n_shards
    duplicates = 0
    if complete and config.dedup:
        duplicates = dedup_run(rundir, settings)
    shard_list, totals = aggregate(rundir.markers())
    seconds = time.monotonic() - t0
    dps, pps, _ = progress.rates()
    stats = {
        **totals,
        "duplicates_removed": duplicates,
        "shards": n_shards,
        "shards_done": len(shard_list),
        "shards_failed": [{"name": f.name, "reason": f.reason} for f in failures],
        "seconds": round(seconds, 2),
        "docs_per_s_this_run": round(dps, 2),
        "pairs_per_s_this_run": round(pps, 2),
        **_peak_rss_mb(),
    }
    rundir.write_manifest(
        {
            **manifest,
            "status": "complete" if complete else "incomplete",
            "engine": engine.name,
            "started": started,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "planned_shards": n_shards,
            "planned_docs": n_docs,
            "totals": stats,
            "shards": shard_list,
        }
    )
    (report or write_report)(rundir, {"signature": manifest["signature"], "settings": settings, **stats})
    progress.close(complete=complete, pairs=totals.get("pairs", 0), docs=totals.get("docs", 0))
    return RunSummary(outdir, n_shards, len(shard_list), tuple(failures), stats, resumed, seconds)


def _spread(config: RunConfig, sources: Any, outdir: str, workers: int,
            overwrite: bool) -> tuple[RunConfig, tuple[int, int] | None]:
    """``config`` with a shard size that gives each of ``workers`` a shard (never larger than asked),
    and the plan's (shards, documents) when it was counted with that size."""
    import dataclasses

    old = None if overwrite else RunDir(outdir, config.format).read_manifest()
    old_size = (old or {}).get("settings", {}).get("shard_size")
    if isinstance(old_size, int) and 1 <= old_size <= config.shard_size:  # resuming: the same cut as before
        return dataclasses.replace(config, shard_size=old_size), None
    n_shards, n_docs = count_plan(sources, config.shard_size)
    if n_shards >= workers or n_docs <= n_shards:
        return config, (n_shards, n_docs)
    size = max(1, -(-n_docs // workers))
    config = dataclasses.replace(config, shard_size=size)
    return config, count_plan(sources, size)


def write_report(rundir: RunDir, summary: Mapping[str, Any]) -> None:
    """``report.json`` and ``report.html``: the run's counts, reject reasons and speed, plus the pair-quality
    report of :mod:`duiqi.score` (histograms, languages, flags, examples) built from every finished
    shard's pairs and rejected pairs, read back shard by shard (memory stays bounded)."""
    report: dict[str, Any] = {"run": dict(summary)}
    builder = ReportBuilder()
    for marker in rundir.markers():
        kept = list(read_pairs(rundir.path(marker["pairs_file"])))
        builder.add(kept, list(_rejected_pairs(rundir.path(marker["rejects_file"]))))
    quality = builder.build(settings=summary.get("settings"), title="duiqi run report")
    report.update(quality)
    _dump(rundir.path("report.json"), report)
    with atomic_write(rundir.path("report.html")) as fh:
        fh.write(render_html(report))


def _rejected_pairs(path: str) -> Iterable[Any]:
    """The rejected pairs of a shard's rejects file, as ``duiqi.score.Rejected`` records."""
    import json

    with open(path, encoding="utf-8", errors="surrogateescape") as fh:
        for line in fh:
            try:
                record = Reject.from_dict(json.loads(line))
            except (ValueError, TypeError, AttributeError):
                continue
            if record.pair is not None:
                yield Rejected(record.pair, record.reasons)
