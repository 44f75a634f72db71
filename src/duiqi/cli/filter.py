"""``duiqi filter IN.jsonl -o OUT.jsonl [--rejects REJ.jsonl] [--min-quality X] [--report R.html]``.

Scores what is missing (the quality model needs no encoder when pairs carry their similarity;
pairs without one are encoded with ``--encoder``), applies the rule filters, removes duplicates,
writes kept pairs, rejected pairs with their ``reasons``, and a JSON or HTML report.
"""

from __future__ import annotations

import argparse
from typing import Any

from duiqi import embed  # embed.get_encoder looked up per call (tests substitute it)
from duiqi.atomic import atomic_write
from duiqi.cli.options import (
    DeprecatedAlias,
    add_output_options,
    check_jsonl_path,
    check_report_path,
    config_settings,
    output_format,
    verbosity,
    writer_options,
)
from duiqi.embed.base import CachedEncoder, Encoder
from duiqi.export import read_pairs, write_pairs
from duiqi.export.readers import read_signature
from duiqi.score import FilterConfig, FilterRun, load_model, needs_similarity, write_report
from duiqi.score.filters import DEFAULT_MIN_QUALITY

DESCRIPTION = """\
Score sentence pairs where a score is missing (the quality model needs no encoder when pairs carry their
similarity; pairs without one are encoded with --encoder), apply the rule filters and remove duplicates.
Writes the kept pairs, the rejected pairs with their reasons (--rejects) and a report (--report).
"""


def _none_or_float(value: str) -> float | None:
    try:
        return None if value.lower() in ("none", "off") else float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or 'off': {value!r}") from None


def _none_or_int(value: str) -> int | None:
    try:
        return None if value.lower() in ("none", "off") else int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number or 'off': {value!r}") from None


#: The two thresholds, one name and one meaning in every command (align, filter, run).
THRESHOLD_HELP = {
    "min_quality": "drop pairs whose calibrated quality (0-1; 0.5 = as likely a translation as not) is below X",
    "min_similarity": "drop pairs whose raw alignment similarity (the aligner's score) is below X",
}


def add_filter_options(parser: argparse.ArgumentParser, *, min_score_alias: bool | str = True,
                       standalone: bool = True) -> None:
    """The filter thresholds as options (shared with ``duiqi align`` and ``duiqi run``).

    ``--min-quality`` and ``--min-similarity`` mean the same in every command. ``standalone``
    (``duiqi filter``): every filter applies, ``--min-quality`` defaults to 0.7. Otherwise (align, run) the
    rule filters apply with ``--filter``, and a threshold given without ``--filter`` applies alone.
    ``min_score_alias`` keeps the old ``--min-score`` spelling as a deprecated alias: ``True`` of
    ``--min-quality``, ``"min_similarity"`` of ``--min-similarity``, ``False`` none. Read them back with
    :func:`config_from_args` / :func:`filter_config`.
    """
    d = FilterConfig()

    def shown(v: object) -> str:
        return "off" if v is None else f"{v:g}" if isinstance(v, float) else str(v)

    when = "" if standalone else "with --filter; "
    g = parser.add_argument_group(
        "filters ('off' switches one off)" if standalone else
        "filters (with --filter; --min-quality/--min-similarity also alone; 'off' switches one off)")
    g.add_argument("--min-quality", dest="min_quality", type=_none_or_float, default=argparse.SUPPRESS,
                   metavar="X",
                   help=f"{THRESHOLD_HELP['min_quality']} (default: {when}{DEFAULT_MIN_QUALITY:g}, chosen for "
                        "precision" + ("" if standalone else "; without --filter: off") + ")")
    g.add_argument("--min-similarity", dest="min_similarity", type=_none_or_float, default=argparse.SUPPRESS,
                   metavar="X", help=f"{THRESHOLD_HELP['min_similarity']} (default: off)")
    if min_score_alias:
        target = "min_similarity" if min_score_alias == "min_similarity" else "min_quality"
        new = "--" + target.replace("_", "-")
        g.add_argument("--min-score", dest=target, type=_none_or_float, default=argparse.SUPPRESS, metavar="X",
                       action=DeprecatedAlias, new=new, help=f"deprecated spelling of {new} (same default)")
    g.add_argument("--min-units", type=_none_or_int, default=d.min_units, metavar="N",
                   help=f"too-short: {when}fewer length units (CJK characters / words) on either side "
                        f"(default: {shown(d.min_units)})")
    g.add_argument("--max-units", type=_none_or_int, default=d.max_units, metavar="N",
                   help=f"too-long: {when}more units on either side (default: {shown(d.max_units)})")
    g.add_argument("--max-ratio", type=_none_or_float, default=d.max_ratio, metavar="X",
                   help=f"ratio: {when}length ratio off its usual zh-en value by more than this factor "
                        f"(default: {shown(d.max_ratio)})")
    g.add_argument("--max-number-missing", type=_none_or_float, default=d.max_number_missing, metavar="X",
                   help=f"numbers: {when}share of numbers missing on the other side above X "
                        f"(default: {shown(d.max_number_missing)})")
    g.add_argument("--max-overlap", type=_none_or_float, default=d.max_overlap, metavar="X",
                   help=f"same-text: {when}token overlap of the two sides (an untranslated copy) above X "
                        f"(default: {shown(d.max_overlap)})")
    g.add_argument("--min-lang-share", type=_none_or_float, default=d.min_lang_share, metavar="X",
                   help=f"wrong-language: {when}share of a side in its language's script below X "
                        f"(default: {shown(d.min_lang_share)})")
    g.add_argument("--max-noise", type=_none_or_float, default=d.max_noise, metavar="X",
                   help=f"noise: {when}share of characters that look like crawl damage above X "
                        f"(default: {shown(d.max_noise)})")
    g.add_argument("--keep-url-mismatch", action="store_true",
                   help="do not reject pairs whose URLs/e-mail addresses differ (default: reject them)")
    g.add_argument("--keep-noise-flags", action="store_true",
                   help="do not reject pairs flagged as noisy (default: reject them)")
    g.add_argument("--keep-boilerplate", action="store_true",
                   help="do not reject subscription/copyright/share/menu lines (boilerplate) (default: reject them)")
    g.add_argument("--no-dedup", action="store_true", help="keep duplicate pairs (default: drop them)")
    g.add_argument("--dedup-on", choices=("pair", "src", "tgt"), default=d.dedup_on,
                   help="what counts as a duplicate: the same pair, the same source or the same target "
                        f"(default: {d.dedup_on})")


def thresholds_given(args: argparse.Namespace) -> bool:
    """True when ``--min-quality`` or ``--min-similarity`` was given (on the command line or in a config)."""
    return hasattr(args, "min_quality") or hasattr(args, "min_similarity")


def config_from_args(args: argparse.Namespace, *, rules: bool = True) -> Any:
    """A :class:`duiqi.score.FilterConfig` from :func:`add_filter_options` options; with ``rules`` false
    only the two thresholds (every rule filter and de-duplication off)."""
    min_quality = getattr(args, "min_quality", DEFAULT_MIN_QUALITY if rules else None)
    min_similarity = getattr(args, "min_similarity", None)
    if not rules:
        return FilterConfig.thresholds(min_similarity=min_similarity, min_quality=min_quality)
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
        min_similarity=min_similarity,
        min_quality=min_quality,
        boilerplate=not args.keep_boilerplate,
        dedup=not args.no_dedup,
        dedup_on=args.dedup_on,
    )


def filter_config(args: argparse.Namespace) -> Any:
    """For align/run: every filter with ``--filter``; the given thresholds alone without it; else ``None``."""
    if getattr(args, "filter", False):
        return config_from_args(args)
    if thresholds_given(args):
        return config_from_args(args, rules=False)
    return None


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "filter",
        help="score and filter sentence pairs (JSONL/TSV/Parquet), with rejects and a report",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", metavar="PAIRS", help="pairs file (.jsonl, .tsv, .parquet)")
    add_output_options(p, what="kept pairs")
    p.add_argument("--rejects", metavar="FILE", default=None,
                   help="write rejected pairs as JSONL records with a 'reasons' field (default: not written)")
    p.add_argument("--report", metavar="FILE", default=None,
                   help="write a report: .html (charts) or .json (default: none)")
    p.add_argument("--encoder", default="use",
                   help="encoder for pairs that have no similarity yet (default: use; 'fake' for tests)")
    p.add_argument("--rescore", action="store_true",
                   help="recompute similarity (with the encoder) and quality for every pair (default: only "
                        "where missing)")
    p.add_argument("--model", metavar="FILE", default=None, help="quality model JSON (default: the packaged one)")
    add_filter_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    fmt = output_format(args)
    check_report_path(args.report)
    check_jsonl_path(args.rejects, "--rejects")
    config = config_from_args(args)
    pairs = list(read_pairs(args.input))
    model = load_model(args.model)
    encoder: Encoder | None = None
    if args.rescore or any(needs_similarity(p) and (p.quality is None) for p in pairs):
        encoder = CachedEncoder(embed.get_encoder(args.encoder))  # this file's texts, each encoded once
    run_ = FilterRun(config, encoder=encoder, model=model, rescore=args.rescore)
    outcome = run_(pairs)
    settings: dict[str, Any] = {"command": "filter", **run_.settings(), **config_settings(args)}
    if encoder is not None:
        settings["encoder"] = encoder.name
    source = read_signature(args.input)
    if source is not None:  # the pairs' own provenance: a hash in the signature, the full form in the sidecar
        import hashlib

        settings["input_signature"] = hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
    write_pairs(outcome.kept, args.output, fmt, settings=settings, **writer_options(args),
                sidecar_extra={"input": {"path": args.input, "signature": source}})
    finish_filter_run(run_, outcome, len(pairs), rejects=args.rejects, report=args.report, settings=settings,
                      title=f"duiqi filter report: {args.input}", label="duiqi filter", verbosity=verbosity(args))
    return 0


def finish_filter_run(run_: Any, outcome: Any, n_in: int, *, rejects: str | None, report: str | None,
                      settings: dict[str, Any], title: str, label: str, verbosity: int = 1) -> None:
    """What ``filter`` and ``align --filter`` do after filtering: the rejects file (JSONL, with reasons),
    the report, and a one-line summary on stderr."""
    import json
    import sys

    if rejects:
        with atomic_write(rejects) as fh:
            for r in outcome.rejected:
                fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    if report:
        write_report(run_.report(settings, title=title), report)
    top = ", ".join(f"{k} {v}" for k, v in outcome.first.items() if v)
    if verbosity < 1:
        return
    if verbosity > 1 and outcome.counts:  # -v: every filter a pair failed, not only its first
        failed = ", ".join(f"{k} {v}" for k, v in outcome.counts.items() if v)
        print(f"{label}: pairs failing each filter: {failed or 'none'}", file=sys.stderr)
    print(f"{label}: {n_in} pairs, kept {len(outcome.kept)}, rejected {len(outcome.rejected)}"
          + (f" ({top})" if top else ""), file=sys.stderr)
