"""``duiqi run``: a whole corpus, sharded, on all cores or a Ray cluster, resumable."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from duiqi.cli.filter import add_filter_options, filter_config
from duiqi.cli.options import config_settings, verbosity
from duiqi.errors import ConfigError, DuiqiError
from duiqi.lang import LanguagePair
from duiqi.pipeline import PipelineConfig
from duiqi.run.fake import FakeFactory
from duiqi.run.local import LocalEngine
from duiqi.run.progress import Progress
from duiqi.run.ray_engine import RayEngine
from duiqi.run.runner import RunConfig, run_corpus
from duiqi.run.task import Limits

DESCRIPTION = """\
Align a whole corpus. INPUTs are files, folders (walked), glob patterns, or JSONL/Parquet files with one
document per record (--text-field, --id-field); --pair-dirs SRC TGT adds two folders of parallel
documents matched by file name. OUTDIR gets pairs/ and rejects/ shards, done/ markers, manifest.json
and report.json. Running the same command again resumes: finished shards are skipped.
"""


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "run",
        help="align a corpus at scale (all cores or a Ray cluster), resumable",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", default=[],
                   help="files, folders, globs, .jsonl/.parquet files (default: none; see --pair-dirs)")
    p.add_argument("-o", "--output", default=None, metavar="OUTDIR",
                   help="output folder (required, on the command line or in --config; no default)")
    p.add_argument("--pair-dirs", nargs=2, action="append", default=[], metavar=("SRC_DIR", "TGT_DIR"),
                   help="two folders of parallel documents, files matched by name (repeatable; default: none)")
    p.add_argument("--engine", choices=("local", "ray"), default="local", help="local processes or Ray Data")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (local; default: all cores) or Ray actors (default: cluster CPUs)")
    p.add_argument("--shard-size", type=int, default=None, metavar="DOCS",
                   help="documents per shard (default: 500, or fewer so that every worker gets a shard; a resumed "
                        "run keeps its shard size)")
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl",
                   help="format of the pair shards (parquet needs the parquet extra)")
    p.add_argument("--text-field", default="text", help="text field/column of JSONL/Parquet inputs")
    p.add_argument("--id-field", default="id", help="id field/column of JSONL/Parquet inputs")
    p.add_argument("--max-doc-bytes", type=int, default=20_000_000, metavar="N",
                   help="reject documents larger than N bytes")
    p.add_argument("--doc-timeout", type=float, default=120.0, metavar="SECONDS",
                   help="reject a document whose processing takes longer (0 = no limit)")
    p.add_argument("--encoder", default="use", help="sentence encoder: use (default), fake, st:MODEL")
    p.add_argument("--src-lang", default=None, metavar="TAG",
                   help="source language, a language with a profile such as zh or de (default: zh, or en with "
                        "--tgt-lang zh)")
    p.add_argument("--tgt-lang", default=None, metavar="TAG",
                   help="target language, a language with a profile such as en or fr (default: en)")
    p.add_argument("--ray-address", default=None, metavar="ADDR",
                   help="Ray cluster address (e.g. ray://head:10001 or auto); default: start a local Ray")
    p.add_argument("--overwrite", action="store_true",
                   help="discard an existing run in OUTDIR (default: resume it, or refuse one made otherwise)")
    # A deterministic stand-in for the pipeline (tests of the engines); not a user feature.
    p.add_argument("--processor", choices=("pipeline", "fake"), default="pipeline", help=argparse.SUPPRESS)
    p.add_argument("--fake-delay", type=float, default=0.0, help=argparse.SUPPRESS)
    p.add_argument("--filter", action="store_true",
                   help="apply the rule filters and the quality threshold to every document's pairs (options "
                        "below, as `duiqi filter`; default: only duplicates are removed, across the run, "
                        "unless --no-dedup)")

    add_filter_options(p, min_score_alias=True, standalone=False)
    p.set_defaults(func=run_command)


def _factory(args: argparse.Namespace) -> Any:
    if args.processor == "fake":
        return FakeFactory(delay=args.fake_delay)
    return None  # the document pipeline of the run's config (run_corpus builds it)


def _pair(args: argparse.Namespace) -> LanguagePair:
    try:
        return LanguagePair.from_options(args.src_lang, args.tgt_lang)
    except ConfigError as exc:
        raise ConfigError(f"--src-lang/--tgt-lang: {exc}") from None


def _engine(args: argparse.Namespace) -> Any:
    if args.workers is not None and args.workers < 1:
        raise ConfigError("--workers must be at least 1")
    if args.engine == "ray":
        return RayEngine(address=args.ray_address, workers=args.workers)

    return LocalEngine(workers=args.workers)


def _filters(args: argparse.Namespace) -> Any:
    """Every filter with --filter; a threshold given alone applies alone (as in ``duiqi align``)."""
    return filter_config(args)


def _few_shards_note(engine: Any, n_shards: int, n_docs: int) -> str | None:
    """Why some workers will sit idle, and the --shard-size that would give each one work."""
    workers = int(getattr(engine, "workers", 0) or 0)
    if workers <= 1 or n_shards >= workers or n_docs <= n_shards:
        return None
    size = max(1, -(-n_docs // workers))
    return (f"{n_docs} documents make {n_shards} shard(s) for {workers} workers: {workers - n_shards} worker(s) "
            f"will have nothing to do; --shard-size {size} gives every worker work (the shard size is part of "
            f"the run's settings, so it is never changed behind your back)")


def run_command(args: argparse.Namespace) -> int:
    if not args.output:
        raise DuiqiError("duiqi run needs an output folder: -o OUTDIR")
    if not args.inputs and not args.pair_dirs:
        raise DuiqiError("duiqi run needs at least one INPUT or --pair-dirs SRC_DIR TGT_DIR")
    config = RunConfig(
        inputs=tuple(args.inputs),
        pair_dirs=tuple((a, b) for a, b in args.pair_dirs),
        shard_size=500 if args.shard_size is None else args.shard_size,
        format=args.format,
        text_field=args.text_field,
        id_field=args.id_field or None,
        dedup=not args.no_dedup,
        pipeline=PipelineConfig(encoder=args.encoder, pair=_pair(args), filters=_filters(args)),
        limits=Limits(
            max_doc_bytes=args.max_doc_bytes,
            doc_timeout=args.doc_timeout or None,
        ),
    )

    quiet = verbosity(args) == 0
    progress = Progress(0, 0, enabled=not quiet)
    engine = _engine(args)

    def on_plan(n_shards: int, n_docs: int) -> None:
        note = _few_shards_note(engine, n_shards, n_docs)
        if note and not quiet:
            print(f"duiqi run: note: {note}", file=sys.stderr, flush=True)

    summary = run_corpus(
        config, args.output, _factory(args), engine, overwrite=args.overwrite, progress=progress,
        on_plan=on_plan, extra_settings=config_settings(args),
        spread_over=getattr(engine, "workers", None) if args.shard_size is None else None,
    )
    t = summary.totals
    reasons = t.get("reject_reasons") or {}
    if not quiet:
        print(
            f"duiqi run: {t.get('docs', 0)} documents ({t.get('docs_rejected', 0)} rejected), "
            f"{t.get('pairs', 0)} pairs, {summary.shards_done}/{summary.shards} shards -> "
            f"{os.path.join(args.output, 'manifest.json')}",
            file=sys.stderr,
        )
        print("duiqi run: rejected by reason: "
              + (", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])) or "none"),
              file=sys.stderr)
    if summary.complete and not t.get("pairs", 0):
        first = _first_reject_detail(args.output)
        print(f"duiqi run: error: the run produced no pairs from {t.get('docs', 0)} document(s)"
              + (f"; first reject: {first}" if first else ""), file=sys.stderr)
        return 1
    if not summary.complete:
        print(
            f"duiqi run: {len(summary.failures)} shard(s) failed; run the same command again to retry them",
            file=sys.stderr,
        )
        return 1
    return 0


def _first_reject_detail(outdir: str) -> str | None:
    """``source: reason (detail)`` of the first rejected document of a run, to say why nothing came out."""
    import glob
    import json

    for path in sorted(glob.glob(os.path.join(outdir, "rejects", "*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                return f"{r.get('source', '?')}: {'; '.join(r.get('reasons') or ['?'])}"
    return None
