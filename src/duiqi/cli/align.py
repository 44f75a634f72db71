"""``duiqi align SRC TGT``: sentence-align a document and its translation.

With one positional input, ``duiqi align DOC`` aligns a mixed bilingual document (Chinese and English
interleaved) through the document pipeline (:class:`duiqi.pipeline.Pipeline`).

Every pair leaving ``align`` carries ``quality`` and ``margin`` (the pipeline's score step,
:class:`duiqi.steps.ScoreStep`). ``--filter`` adds the filter step (defaults of
:class:`duiqi.score.FilterConfig`, thresholds as in ``duiqi filter``); ``--rejects`` keeps the pairs it
rejected with their reasons, ``--report`` writes a JSON/HTML run report.
"""

from __future__ import annotations

import argparse
from typing import Any

from duiqi import embed  # embed.get_encoder looked up per call (tests substitute it)
from duiqi.align import AlignConfig, align_documents
from duiqi.align.config import preset
from duiqi.align.core import detect_lang
from duiqi.cli.common import input_document
from duiqi.cli.filter import add_filter_options, filter_config, finish_filter_run
from duiqi.cli.options import (
    add_output_options,
    check_jsonl_path,
    check_report_path,
    config_settings,
    output_format,
    verbosity,
    writer_options,
)
from duiqi.cli.stages import Stages
from duiqi.errors import ConfigError, DuiqiError
from duiqi.export import write_pairs
from duiqi.lang import LanguagePair, known_languages
from duiqi.langtags import check_lang_option
from duiqi.pipeline import Pipeline, PipelineConfig
from duiqi.records import OTHER
from duiqi.score import FilterOutcome, ReportBuilder, write_report
from duiqi.segment import detect_language
from duiqi.segment.langid import LATIN_LANGS, Py3LangidIdentifier
from duiqi.steps import DocumentEmbeddings, FilterStep, ScoreStep, finish

#: Texts the document pipeline computes per sentence, for align's ETA: each sentence once (USE composes
#: multi-sentence spans from the sentences' states), plus the joined sides the score step encodes (1.05 on
#: the example page, 1.00 on MAC-Dev 001; benchmarks/bench_encoder_calls.py). The sentence aligner encodes
#: every span up to ``max_align``, so its factor is ``max_align`` (within 1 %).
PIPELINE_TEXTS_PER_SENTENCE = 1.05


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "align",
        help="align sentences of a document and its translation (or of one mixed bilingual document)",
        description=(
            "Align SRC and TGT (a document and its translation) into sentence pairs. With a single "
            "input DOC, align the Chinese and English parts of a mixed bilingual document."
        ),
    )
    p.add_argument("src", metavar="SRC", help="source document, or the one mixed bilingual document")
    p.add_argument("tgt", metavar="TGT", nargs="?", default=None,
                   help="target document (the translation of SRC); leave out for a mixed document")

    add_output_options(p)
    p.add_argument("--pre-split", action="store_true",
                   help="inputs already hold one sentence per line (default: split them)")
    p.add_argument("--src-lang", default=None, metavar="TAG",
                   help="source language, a BCP 47 tag such as zh or fr (default: detected)")
    p.add_argument("--tgt-lang", default=None, metavar="TAG",
                   help="target language, a BCP 47 tag such as en or de (default: detected)")
    p.add_argument("--encoder", default="use", help="sentence encoder: use (default), st:<model>, fake")
    p.add_argument(
        "--aux-encoder", default=None,
        help="optional second encoder mixed into the similarity (e.g. e5, slower; +0.5 F1 on MAC-Dev; "
             "default: none)",
    )

    d = AlignConfig()
    p.add_argument("--max-align", type=int, default=None, metavar="N",
                   help=f"most sentences on one side of a bead (default: {d.max_align})")
    p.add_argument("--max-total", type=int, default=None, metavar="N",
                   help=f"most sentences in a bead, both sides (default: {d.max_total})")
    p.add_argument("--deletion", type=float, default=None, metavar="X",
                   help=f"score of a 1-0/0-1 bead (default: {d.deletion:g})")
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
    p.add_argument(
        "--inline-pairs", action="store_true",
        help="one mixed document: lines holding both languages (glossary lines, bilingual headings, '>' glosses) "
             "also yield their two halves as pairs flagged 'inline' (default: kept out)",
    )
    p.add_argument(
        "--keep-unaligned", action="store_true",
        help="also write 1-0/0-1 beads as pairs with one empty side (always kept in --format beads; "
             "default: left out)",
    )
    p.add_argument("--filter", action="store_true",
                   help="apply the rule filters and the quality threshold (options below; as `duiqi filter`; "
                        "default: every aligned pair is written)")
    p.add_argument("--rejects", metavar="FILE", default=None,
                   help="write pairs left out by --filter or a threshold as JSONL records with their 'reasons' "
                        "(default: not written)")
    p.add_argument("--report", metavar="FILE", default=None,
                   help="write a run report: .html (self-contained, charts) or .json (default: none)")

    add_filter_options(p, min_score_alias="min_similarity", standalone=False)
    p.set_defaults(func=run)


def _config(args: argparse.Namespace) -> Any:
    from dataclasses import replace

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
    except ConfigError as exc:
        raise ConfigError(f"bad alignment setting: {exc}") from None


def _guess_lang(text: str) -> str | None:
    """The language of a document when it has a profile (:mod:`duiqi.lang`): ``zh``/``en`` when the text
    is mostly one of them, else what the Latin-script identifier names (``de``, ``fr``...); ``None`` when
    neither (decided later, per sentence)."""
    lang, _ = detect_language(text[:20000])
    if lang in ("zh", "en"):
        return lang
    if lang != OTHER:
        return None
    code = Py3LangidIdentifier(prefer=None).identify(text[:20000])
    return code if code in known_languages() else None


def _mixed(args: argparse.Namespace, encoder: Any, filters: Any) -> tuple[Any, dict[str, Any]]:
    """The one-document (mixed bilingual) mode: the document pipeline on one document; its outcome
    (kept and rejected pairs) and the settings it ran with (the signature's fields)."""
    from dataclasses import replace

    doc = input_document(args.inputs[0])  # any format duiqi reads (txt, HTML, DOCX, PDF), or -
    try:
        cfg = PipelineConfig(encoder=args.encoder, align=_config(args),
                             pair=LanguagePair.from_options(args.src_lang, args.tgt_lang),
                             inline_pairs=args.inline_pairs, filters=filters)
    except ConfigError as exc:
        raise ConfigError(f"one-document mode: {exc}") from None
    pipeline = Pipeline(cfg, encoder=encoder)
    outcome = pipeline.run(replace(doc, id=_doc_name(args)))
    return outcome, pipeline.settings()


def _doc_name(args: argparse.Namespace) -> str:
    """``doc`` of every pair: the input as given on the command line (as ``duiqi run`` names files)."""
    return "stdin" if args.inputs[0] == "-" else str(args.inputs[0])


def _check_langs(args: argparse.Namespace, fmt: str) -> None:
    """``--src-lang``/``--tgt-lang`` must be BCP 47 tags; refused before any work."""
    args.src_lang = check_lang_option(args.src_lang, "--src-lang")
    args.tgt_lang = check_lang_option(args.tgt_lang, "--tgt-lang")


#: Languages whose sentences duiqi can split (Chinese rules, Latin-script rules); others need --pre-split.
def _splittable(lang: str) -> bool:
    return lang in ("zh", "other") or lang in LATIN_LANGS


def _sentence_langs(args: argparse.Namespace, src_text: str, tgt_text: str, fmt: str,
                    paths: tuple[str, str]) -> tuple[str, str]:
    """The languages of the two sides for the sentence aligner: given, or detected; a language duiqi
    cannot split (Japanese, Korean) without --pre-split, or one that is not known when the output
    needs a tag (TMX, Moses), is an error naming it."""
    names = {"ja": "Japanese", "ko": "Korean"}
    langs = []
    for given, text, path, option in ((args.src_lang, src_text, paths[0], "--src-lang"),
                                      (args.tgt_lang, tgt_text, paths[1], "--tgt-lang")):
        lang = given or detect_lang(text.splitlines())
        if not args.pre_split and not _splittable(lang.split("-")[0]):
            raise DuiqiError(
                f"{path}: {names.get(lang, lang)} ({lang}) text: duiqi splits sentences of Chinese and "
                "Latin-script languages only; give --pre-split with one sentence per line to align it")
        if lang == "other" and fmt in ("tmx", "moses"):
            raise DuiqiError(f"{path}: the language is not zh or en and was not recognised; {fmt} output "
                             f"needs it: name it with {option} (a BCP 47 tag such as fr)")
        langs.append(lang)
    return langs[0], langs[1]


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    args.inputs = [args.src] + ([args.tgt] if args.tgt is not None else [])
    fmt = output_format(args)  # before any input is read: unknown extension, missing pyarrow...
    check_report_path(args.report)
    check_jsonl_path(args.rejects, "--rejects")
    _check_langs(args, fmt)
    filters = filter_config(args)
    if args.rejects and filters is None:
        raise DuiqiError("--rejects needs --filter or a threshold (--min-quality/--min-similarity); "
                         "without one no pair is rejected")
    config = _config(args)
    # "align" runs the pipeline's steps after reading (align, score, filter); "filter" reports what the
    # filter step did (and writes --rejects/--report)
    stages = Stages("duiqi align", ["read", "align", "filter", "write"], verbosity=verbosity(args))
    encoder = embed.get_encoder(args.encoder)
    # joined spans: mean-pooled, or composed from the sentences' states (USE), are not encoded again
    composed = config.compose_spans != "off" and getattr(encoder, "pooler", None) is not None
    sentence_factor = 1.0 if config.span_embedding == "mean" or composed else float(config.max_align)
    pipeline_factor = PIPELINE_TEXTS_PER_SENTENCE
    doc_name = _doc_name(args)
    if len(args.inputs) == 1:
        with stages.stage("read"):
            stages.note(documents=1)
        with stages.stage("align", unit="texts encoded"), \
                stages.watch_encoder(encoder, span_factor=pipeline_factor):
            outcome, ran = _mixed(args, encoder, filters)
            stages.note(pairs=len(outcome.pairs) + len(outcome.rejected))
    else:
        src_path, tgt_path = args.inputs
        with stages.stage("read"):
            src_doc, tgt_doc = input_document(src_path), input_document(tgt_path)
            stages.note(documents=2, characters=len(src_doc.text) + len(tgt_doc.text))
        src_lang = args.src_lang or _guess_lang(src_doc.text)
        tgt_lang = args.tgt_lang or _guess_lang(tgt_doc.text)
        documents = bool(not args.pre_split and src_lang and tgt_lang and src_lang != tgt_lang
                         and {src_lang, tgt_lang} <= set(known_languages()))
        factor = pipeline_factor if documents else sentence_factor
        with stages.stage("align", unit="texts encoded"), stages.watch_encoder(encoder, span_factor=factor):
            if documents and src_lang and tgt_lang:
                # A document and its translation, in two profiled languages (zh/en, de/fr...): the document
                # pipeline repairs both, matches their sections first (they may come in another order),
                # aligns inside them, scores and (with --filter) filters the pairs.

                pipeline = Pipeline(PipelineConfig(encoder=args.encoder, align=config, src_lang=src_lang,
                                                   tgt_lang=tgt_lang, filters=filters), encoder=encoder)
                outcome = pipeline.run_pair(replace(src_doc, id=doc_name), tgt_doc)
                ran = pipeline.settings()
            else:  # pre-split input, or a language without a profile: the sentence aligner on the texts as they are
                outcome, ran = _sentences(args, src_doc.text, tgt_doc.text, encoder, config, filters, fmt,
                                          keep_unaligned=fmt == "beads" or args.keep_unaligned)
            stages.note(pairs=len(outcome.pairs) + len(outcome.rejected))
    pairs = [p if p.doc == doc_name else replace(p, doc=doc_name) for p in outcome.pairs]
    if fmt != "beads" and not args.keep_unaligned:
        pairs = [p for p in pairs if p.src and p.tgt]
    # the signature: the fields of what ran (the pipeline, or the sentence aligner), then the run's own
    settings = {**ran, "pre_split": args.pre_split, **config_settings(args)}
    with stages.stage("filter"):
        stages.clear_line()
        _report_filter(args, pairs, outcome, settings, filters, verbosity(args))
        stages.note(kept=len(pairs), rejected=len(outcome.rejected))
    with stages.stage("write"):
        n = write_pairs(pairs, args.output, fmt, settings=settings, **writer_options(args))
        stages.note(pairs=n)
    return 0


def _sentences(args: argparse.Namespace, src_text: str, tgt_text: str, encoder: Any, config: Any, filters: Any,
               fmt: str, keep_unaligned: bool) -> tuple[Any, dict[str, Any]]:
    """Pre-split input or another language pair: the sentence aligner on the texts as they are, then the
    same score and filter steps as the document pipeline; its outcome and the settings it ran with."""
    src_path, tgt_path = args.inputs
    s_lang, t_lang = _sentence_langs(args, src_text, tgt_text, fmt, (src_path, tgt_path))
    aux = embed.get_encoder(args.aux_encoder) if args.aux_encoder else None
    view = DocumentEmbeddings(encoder)  # the document's embeddings, handed on to the score step
    pairs = align_documents(src_text, tgt_text, src_lang=s_lang, tgt_lang=t_lang, pre_split=args.pre_split,
                            encoder=view, config=config, doc=_doc_name(args), aux=aux)
    ran = {"encoder": encoder.name, "mode": "parallel", **config.settings()}
    if aux is not None:
        ran["aux_encoder"] = aux.name
    else:
        ran.pop("align.aux_weight", None)
    score = ScoreStep()
    scored = finish(pairs, score, None, view).pairs  # unaligned sentences count as context for the margins
    if not keep_unaligned:
        scored = [p for p in scored if p.src and p.tgt]
    step = FilterStep(filters) if filters is not None else None
    ran.update(score.settings())
    if step is not None:
        ran.update(step.settings())
    return finish(scored, None, step), ran


def _report_filter(args: argparse.Namespace, pairs: list[Any], outcome: Any, settings: dict[str, Any],
                   filters: Any, verbosity: int = 1) -> None:
    """``--rejects`` (the filter step's rejects, with their reasons), ``--report`` and the one-line summary."""
    title = f"duiqi align report: {args.inputs[0]}"
    builder = ReportBuilder()
    builder.add(pairs, outcome.rejected)
    if filters is None:
        if args.report:
            write_report(builder.build(settings=settings, title=title), args.report)
        return

    class _Run:
        @staticmethod
        def report(settings: dict[str, Any], title: str) -> dict[str, Any]:
            return builder.build(settings=settings, title=title)

    result = FilterOutcome(pairs, outcome.rejected, outcome.counts, outcome.first)
    finish_filter_run(_Run(), result, len(pairs) + len(outcome.rejected), rejects=args.rejects,
                      report=args.report, settings=settings, title=title,
                      label="duiqi align --filter" if args.filter else "duiqi align", verbosity=verbosity)
