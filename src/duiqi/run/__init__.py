"""Corpus scale: ``duiqi run`` on all cores (processes) or on a Ray cluster, resumable.

Inputs (files, folders, globs, JSONL/Parquet records, pairs of folders) are cut into deterministic
shards of documents (:mod:`duiqi.run.shards`); an engine runs :class:`duiqi.run.task.ShardTask` on
each shard; every finished shard gets its pairs, rejects and a completion marker in the output folder
(:mod:`duiqi.run.outdir`), so a re-run skips what is done.
"""

from duiqi.records import Reject
from duiqi.run.inputs import Source, expand_inputs
from duiqi.run.local import LocalEngine, ShardFailure
from duiqi.run.runner import Engine, PipelineFactory, RunConfig, RunSummary, run_corpus
from duiqi.run.shards import ShardSpec, plan_shards
from duiqi.run.task import Limits, Processor, ProcessorFactory, ShardResult, ShardTask

__all__ = [
    "Engine",
    "Limits",
    "LocalEngine",
    "PipelineFactory",
    "Processor",
    "ProcessorFactory",
    "Reject",
    "RunConfig",
    "RunSummary",
    "ShardFailure",
    "ShardResult",
    "ShardSpec",
    "ShardTask",
    "Source",
    "expand_inputs",
    "plan_shards",
    "run_corpus",
]
