"""``duiqi filter IN.jsonl -o OUT.jsonl [--rejects REJ.jsonl] [--min-score X] [--report R.html]``.

Scores what is missing (the quality model needs no encoder when pairs carry their similarity;
pairs without one are encoded with ``--encoder``), applies the rule filters, removes duplicates,
writes kept pairs, rejected pairs with their ``reasons``, and a JSON or HTML report.
"""

from __future__ import annotations

import argparse
from typing import Any


def _none_or_float(value: str) -> float | None:
    return None if value.lower() in ("none", "off") else float(value)


def _none_or_int(value: str) -> int | None:
    return None if value.lower() in ("none", "off") else int(value)


def add_filter_options(parser: argparse.ArgumentParser, *, min_score_alias: bool = True) -> None:
    """The filter thresholds as options (shared with other commands, e.g. ``duiqi align``).

    ``--min-quality`` is also spelled ``--min-score`` unless ``min_score_alias`` is false (for a
    command whose ``--min-score`` already means something else). Read them back with
    :func:`config_from_args`.
    """
    from duiqi.score.filters import DEFAULT_MIN_QUALITY

    g = parser.add_argument_group("filters ('off' switches one off)")
    flags = ["--min-score", "--min-quality"] if min_score_alias else ["--min-quality"]
    g.add_argument(*flags, dest="min_quality", type=_none_or_float,
                   default=DEFAULT_MIN_QUALITY, metavar="X",
                   help=f"minimum calibrated quality (default {DEFAULT_MIN_QUALITY:g}, chosen for precision; "
                        "0.5 = as likely a translation as not)")
    g.add_argument("--min-similarity", type=_none_or_float, default=None, metavar="X",
                   help="minimum raw alignment similarity (default off)")
    g.add_argument("--min-units", type=_none_or_int, default=1, metavar="N")
    g.add_argument("--max-units", type=_none_or_int, default=500, metavar="N")
    g.add_argument("--max-ratio", type=_none_or_float, default=3.0, metavar="X")
    g.add_argument("--max-number-missing", type=_none_or_float, default=0.5, metavar="X")
    g.add_argument("--max-overlap", type=_none_or_float, default=0.8, metavar="X")
    g.add_argument("--min-lang-share", type=_none_or_float, default=0.5, metavar="X")
    g.add_argument("--max-noise", type=_none_or_float, default=0.05, metavar="X")
    g.add_argument("--keep-url-mismatch", action="store_true", help="do not reject differing URLs/e-mails")
    g.add_argument("--keep-noise-flags", action="store_true", help="do not reject pairs flagged as noisy")
    g.add_argument("--keep-boilerplate", action="store_true",
                   help="do not reject subscription/copyright/share/menu lines (boilerplate)")
    g.add_argument("--no-dedup", action="store_true", help="keep duplicate pairs")
    g.add_argument("--dedup-on", choices=("pair", "src", "tgt"), default="pair")


def config_from_args(args: argparse.Namespace) -> Any:
    """A :class:`duiqi.score.FilterConfig` from :func:`add_filter_options` options."""
    from duiqi.score import FilterConfig

    return FilterConfig(
        min_units=args.min_units,
        max_units=args.max_units,
        max_ratio=args.max_ratio,
        max_number_missing=args.max_number_missing,
        max_overlap=args.max_overlap,
        min_lang_share=args.min_lang_share,
        urls=not args.keep_url_mismatch,
        max_noise=args.max_noise,
        noise_flags=not args.keep_noise_flags,
        boilerplate=not args.keep_boilerplate,
        min_score=args.min_similarity,
        min_quality=args.min_quality,
        dedup=not args.no_dedup,
        dedup_on=args.dedup_on,
    )


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "filter",
        help="score and filter sentence pairs (JSONL/TSV/Parquet), with rejects and a report",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", help="pairs file (.jsonl, .tsv, .parquet)")
    p.add_argument("-o", "--output", default="-", help="kept pairs (format from extension; default stdout JSONL)")
    p.add_argument("--rejects", help="write rejected pairs as JSONL records with a 'reasons' field")
    p.add_argument("--report", help="write a report: .html (charts) or .json")
    p.add_argument("--encoder", default="use",
                   help="encoder for pairs that have no similarity yet (default: use; 'fake' for tests)")
    p.add_argument("--rescore", action="store_true",
                   help="recompute similarity (with the encoder) and quality for every pair")
    p.add_argument("--model", help="quality model JSON (default: the packaged one)")
    add_filter_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    from duiqi.embed.base import Encoder
    from duiqi.export import read_pairs, write_pairs
    from duiqi.score import FilterRun, load_model, needs_similarity

    pairs = list(read_pairs(args.input))
    config = config_from_args(args)
    model = load_model(args.model)
    encoder: Encoder | None = None
    if args.rescore or any(needs_similarity(p) and (p.quality is None) for p in pairs):
        from duiqi.embed import get_encoder

        encoder = get_encoder(args.encoder)
    run_ = FilterRun(config, encoder=encoder, model=model, rescore=args.rescore)
    outcome = run_(pairs)
    settings: dict[str, Any] = {"command": "filter", **run_.settings()}
    if encoder is not None:
        settings["encoder"] = encoder.name
    write_pairs(outcome.kept, args.output, settings=settings)
    finish_filter_run(run_, outcome, len(pairs), rejects=args.rejects, report=args.report, settings=settings,
                      title=f"duiqi filter report: {args.input}", label="duiqi filter")
    return 0


def finish_filter_run(run_: Any, outcome: Any, n_in: int, *, rejects: str | None, report: str | None,
                      settings: dict[str, Any], title: str, label: str) -> None:
    """What ``filter`` and ``align --filter`` do after filtering: the rejects file (JSONL, with reasons),
    the report, and a one-line summary on stderr."""
    import json
    import sys

    from duiqi.atomic import atomic_write
    from duiqi.score import write_report

    if rejects:
        with atomic_write(rejects) as fh:
            for r in outcome.rejected:
                fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    if report:
        write_report(run_.report(settings, title=title), report)
    top = ", ".join(f"{k} {v}" for k, v in outcome.first.items() if v)
    print(f"{label}: {n_in} pairs, kept {len(outcome.kept)}, rejected {len(outcome.rejected)}"
          + (f" ({top})" if top else ""), file=sys.stderr)
