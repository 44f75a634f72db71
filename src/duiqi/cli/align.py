"""``duiqi align SRC TGT``: sentence-align a document and its translation.

With one positional input, ``duiqi align DOC`` aligns a mixed bilingual document (Chinese and English
interleaved) through :func:`duiqi.align.mixed.align_mixed`.

Every pair leaving ``align`` carries ``quality`` (:func:`duiqi.score.score_pairs` with document
context: each side encoded once as joined text -- the similarity the quality model was fitted on --
and the pair's ``margin`` against the document's other sentences). ``--filter`` applies the rule
filters (defaults of :class:`duiqi.score.FilterConfig`, thresholds as in ``duiqi filter``),
``--rejects`` keeps rejected pairs with their reasons, ``--report`` writes a JSON/HTML run report.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "align",
        help="align sentences of a document and its translation (or of one mixed bilingual document)",
        description=(
            "Align SRC and TGT (a document and its translation) into sentence pairs. With a single "
            "input DOC, align the Chinese and English parts of a mixed bilingual document."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="SRC [TGT]", help="source and target documents, or one mixed document")
    p.add_argument("-o", "--output", default=None, help="output file (default: standard output)")
    p.add_argument(
        "--format", default=None, choices=["jsonl", "tsv", "tmx", "beads", "parquet"],
        help="output format (default: from the output extension, else jsonl)",
    )
    p.add_argument("--pre-split", action="store_true", help="inputs already hold one sentence per line")
    p.add_argument("--src-lang", default=None, help="source language (default: detected)")
    p.add_argument("--tgt-lang", default=None, help="target language (default: detected)")
    p.add_argument("--encoder", default="use", help="sentence encoder: use (default), st:<model>, fake")
    p.add_argument(
        "--aux-encoder", default=None,
        help="optional second encoder mixed into the similarity (e.g. e5, slower; +0.5 F1 on MAC-Dev)",
    )
    p.add_argument("--max-align", type=int, default=None, help="most sentences on one side of a bead")
    p.add_argument("--max-total", type=int, default=None, help="most sentences in a bead, both sides")
    p.add_argument("--deletion", type=float, default=None, help="score of a 1-0/0-1 bead")
    p.add_argument(
        "--mode", choices=["default", "fast"], default="default",
        help="fast: multi-sentence spans composed from the sentence encodings without re-running the seams "
             "(each sentence encoded once; MAC-Dev strict F1 0.893 against 0.899)",
    )
    p.add_argument(
        "--span-embedding", choices=["both", "concat", "mean", "refine"], default=None,
        help="multi-sentence spans: joined text blended with mean-pooled sentences (both, default), joined "
             "text only (concat), mean-pooling only (mean, fastest), or mean first and joined text near "
             "doubtful beads (refine)",
    )
    p.add_argument(  # mixed-document mode (helper-4)
        "--min-score", type=float, default=None, metavar="X",
        help="keep only pairs whose alignment score is at least X",
    )
    p.add_argument(
        "--keep-unaligned", action="store_true",
        help="also write 1-0/0-1 beads as pairs with one empty side (always kept in --format beads)",
    )
    p.add_argument("--filter", action="store_true",
                   help="apply the rule filters and the quality threshold (options below; as `duiqi filter`)")
    p.add_argument("--rejects", metavar="FILE", default=None,
                   help="with --filter: write rejected pairs as JSONL records with their 'reasons'")
    p.add_argument("--report", metavar="FILE", default=None,
                   help="write a run report: .html (self-contained, charts) or .json")
    from duiqi.cli.filter import add_filter_options

    add_filter_options(p, min_score_alias=False)
    p.set_defaults(func=run)


def _config(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from duiqi.align.config import preset

    cfg = preset(getattr(args, "mode", "default"))
    changes = {
        "max_align": args.max_align,
        "max_total": args.max_total,
        "deletion": args.deletion,
        "span_embedding": args.span_embedding,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    try:
        return replace(cfg, **changes)
    except ValueError as exc:
        from duiqi.errors import DuiqiError

        raise DuiqiError(f"bad alignment setting: {exc}") from exc


def _read(path: str) -> str:
    import sys

    from duiqi.errors import InputError
    from duiqi.io.decode import decode_bytes, read_text

    if path == "-":
        return decode_bytes(sys.stdin.buffer.read(), "-").text
    try:
        return read_text(path).text
    except FileNotFoundError as exc:
        raise InputError(path, "no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(path, "is a folder, not a file") from exc


def _document(path: str) -> Any:
    """A :class:`duiqi.records.Document` from any format duiqi reads (``-``: standard input, as text)."""
    from duiqi.errors import DuiqiError
    from duiqi.records import Document

    if path == "-":
        doc = Document(id="stdin", text=_read(path), source="-")
    else:
        from duiqi.io import read_document

        doc = read_document(path)
    if not doc.text.strip():
        raise DuiqiError(f"{path}: the document is empty")
    return doc


def _guess_lang(text: str) -> str | None:
    """``zh``/``en`` when the text is mostly one of them, else ``None`` (decided later, per sentence)."""
    from duiqi.segment import detect_language

    lang, _ = detect_language(text[:20000])
    return lang if lang in ("zh", "en") else None


def _mixed(args: argparse.Namespace) -> list[Any]:
    """Hook for the one-document (mixed bilingual) mode: ``duiqi.align.mixed.align_mixed``."""
    import importlib
    import os

    from duiqi.embed import get_encoder
    from duiqi.errors import DuiqiError, InputError

    try:
        mixed = importlib.import_module("duiqi.align.mixed")
    except ImportError as exc:
        raise DuiqiError(
            "one-document (mixed bilingual) alignment is not available in this build; give SRC and TGT"
        ) from exc
    align_mixed = getattr(mixed, "align_mixed", None)
    if align_mixed is None:
        raise DuiqiError("one-document (mixed bilingual) alignment is not available in this build")
    path = args.inputs[0]
    if path == "-":
        text = _read(path)
    else:  # any format duiqi reads (txt, HTML, DOCX, PDF) -- helper-4
        from duiqi.io import read_document

        if os.path.isdir(path):
            raise InputError(path, "is a folder, not a file")
        if not os.path.exists(path):
            raise InputError(path, "no such file")
        text = read_document(path).text
    return list(
        align_mixed(
            text,
            encoder=get_encoder(args.encoder),
            config=_config(args),
            doc=args.inputs[0],
            src_lang=args.src_lang,
            tgt_lang=args.tgt_lang,
        )
    )


def run(args: argparse.Namespace) -> int:
    from duiqi.align import align_documents
    from duiqi.embed import get_encoder
    from duiqi.errors import DuiqiError
    from duiqi.export import format_from_path, write_pairs

    if len(args.inputs) > 2:
        raise DuiqiError(f"align takes one or two inputs, got {len(args.inputs)}")
    if args.rejects and not args.filter:
        raise DuiqiError("--rejects needs --filter (without it no pair is rejected)")
    fmt = args.format or format_from_path(args.output)
    config = _config(args)
    if len(args.inputs) == 1:
        pairs = _mixed(args)
        mode = "mixed"
    else:
        src_path, tgt_path = args.inputs
        src_doc, tgt_doc = _document(src_path), _document(tgt_path)
        encoder = get_encoder(args.encoder)
        src_lang = args.src_lang or _guess_lang(src_doc.text)
        tgt_lang = args.tgt_lang or _guess_lang(tgt_doc.text)
        if not args.pre_split and src_lang and tgt_lang and {src_lang, tgt_lang} == {"zh", "en"}:
            # A Chinese document and its English (or the reverse): the document pipeline repairs both,
            # matches their sections first (they may come in another order) and aligns inside them.
            from duiqi.pipeline import Pipeline, PipelineConfig

            pipeline = Pipeline(PipelineConfig(encoder=args.encoder, align=config, src_lang=src_lang,
                                               tgt_lang=tgt_lang), encoder=encoder)
            pairs = pipeline.process_pair(src_doc, tgt_doc)
            mode = "parallel-documents"
        else:  # pre-split input, or another language pair: the sentence aligner on the texts as they are
            aux = get_encoder(args.aux_encoder) if args.aux_encoder else None
            pairs = align_documents(
                src_doc.text,
                tgt_doc.text,
                src_lang=args.src_lang,
                tgt_lang=args.tgt_lang,
                pre_split=args.pre_split,
                encoder=encoder,
                config=config,
                doc=src_path,
                aux=aux,
            )
            mode = "parallel"
    encoder = get_encoder(args.encoder)
    pairs = _score(pairs, encoder)
    if fmt != "beads" and not args.keep_unaligned:
        pairs = [p for p in pairs if p.src and p.tgt]
    if args.min_score is not None:
        pairs = [p for p in pairs if p.score >= args.min_score]
    encoder_name = encoder.name
    settings = {"encoder": encoder_name, "mode": mode, "pre_split": args.pre_split, **config.settings()}
    if args.aux_encoder:
        settings["aux_encoder"] = get_encoder(args.aux_encoder).name
    else:
        settings.pop("align.aux_weight", None)
    if mode in ("mixed", "parallel-documents"):  # the document pipeline's own settings
        from duiqi.align.mixed import MixedConfig

        settings.update(MixedConfig().settings(), min_score=args.min_score if args.min_score is not None else "none")
    pairs = _filter(args, pairs, settings)
    write_pairs(pairs, args.output, fmt, settings=settings)
    return 0


def _score(pairs: list[Any], encoder: Any) -> list[Any]:
    """Every pair gets ``quality`` and ``margin`` (unaligned sentences count as context)."""
    from duiqi.score import score_pairs

    return score_pairs(pairs, encoder, context=True)


def _filter(args: argparse.Namespace, pairs: list[Any], settings: dict[str, Any]) -> list[Any]:
    """``--filter`` / ``--rejects`` / ``--report``: the kept pairs (all of them without ``--filter``);
    adds the filter settings to ``settings`` (the output signature)."""
    from duiqi.cli.filter import config_from_args, finish_filter_run
    from duiqi.score import FilterRun, ReportBuilder, default_model, write_report

    settings["quality_model"] = default_model().name
    if not args.filter:
        if args.report:
            builder = ReportBuilder()
            builder.add(pairs, [])
            write_report(builder.build(settings=settings, title=f"duiqi align report: {args.inputs[0]}"),
                         args.report)
        return pairs
    run_ = FilterRun(config_from_args(args), encoder=None)
    outcome = run_(pairs)
    settings.update(run_.settings())
    finish_filter_run(run_, outcome, len(pairs), rejects=args.rejects, report=args.report, settings=settings,
                      title=f"duiqi align report: {args.inputs[0]}", label="duiqi align --filter")
    return outcome.kept
