"""``duiqi repair``: repair a noisy text file (encoding detected), write the text, explain the edits."""

from __future__ import annotations

import argparse
import sys

from duiqi.atomic import check_output
from duiqi.cli.common import open_output
from duiqi.cli.options import say
from duiqi.errors import InputError
from duiqi.io.decode import read_text
from duiqi.repair import RepairOptions, RepairResult, explain, repair

_FIXER_FLAGS = (
    ("html", "HTML entities, hidden empty tags, injected keyword lines"),
    ("mojibake", "ftfy (Chinese-safe) and UTF-8-read-as-GBK reversal"),
    ("gbk", "GBK slips of the pinyin injector"),
    ("pinyin", "SEO pinyin annotations"),
    ("punctuation", "ASCII punctuation next to CJK back to full width"),
    ("spacing", "missing spaces after , . ; between English words"),
    ("nbsp", "'?' for a lost no-break space"),
    ("flags", "flags (lossy-latin, lost-bytes, gbk-slip, ...)"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "repair",
        help="repair crawl noise in a text file (SEO pinyin, GBK slips, mojibake, punctuation)",
        description="Repair a noisy Chinese/English text file. The encoding is detected; the output is UTF-8.",
    )
    p.add_argument("input", nargs="?", default="-", metavar="FILE", help="input file, '-' for stdin (default)")
    p.add_argument("-o", "--output", default="-", metavar="OUT", help="output file (default stdout)")
    p.add_argument("--encoding", default=None, help="force the input encoding (default: detected)")
    p.add_argument("--script", choices=("auto", "simplified", "traditional", "keep"), default="auto",
                   help="auto: simplify only mechanically converted text (default); keep: never convert")
    p.add_argument("--explain", action="store_true",
                   help="list every edit and flag on stderr (takes no value: it never swallows the input FILE)")
    p.add_argument("--explain-to", default=None, metavar="FILE",
                   help="write the list of edits and flags to FILE instead (JSON lines when FILE ends in .jsonl; "
                        "default: not written)")
    for name, what in _FIXER_FLAGS:
        p.add_argument(f"--no-{name}", dest=f"no_{name}", action="store_true", help=f"switch off: {what}")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for out in (args.output, args.explain_to):
        if out is not None:
            check_output(out)
    decoded = read_text(args.input, encoding=args.encoding)
    options = RepairOptions(script=args.script, **{name: not getattr(args, f"no_{name}") for name, _ in _FIXER_FLAGS})
    result = repair(decoded.text, options)
    try:
        with open_output(args.output) as fh:
            fh.write(result.text)
    except OSError as exc:
        raise InputError(args.output, f"cannot write: {exc.strerror or exc}") from None
    explain_to = args.explain_to or ("-" if args.explain else None)
    if explain_to is not None:
        source = "<stdin>" if args.input == "-" else args.input
        if explain_to.endswith(".jsonl"):
            report = _jsonl(result, source, decoded.encoding)
        else:
            lines = [f"# duiqi repair {source} (encoding {decoded.encoding}): {len(result.edits)} edits, "
                     f"{len(result.flags)} flags; signals {dict(result.signals)}", *explain(result)]
            report = "\n".join(lines) + "\n"
        if explain_to == "-":
            sys.stderr.write(report)
        else:
            try:
                with open_output(explain_to) as fh:
                    fh.write(report)
            except OSError as exc:
                raise InputError(explain_to, f"cannot write: {exc.strerror or exc}") from None

    say(args, f"duiqi repair: {len(result.edits)} edits, {len(result.flags)} flags (encoding {decoded.encoding})",
        level=2)
    return 0


def _jsonl(result: RepairResult, source: str, encoding: str) -> str:
    """One JSON object per line: a header, then every edit (with its step) and every flag."""
    import json
    from dataclasses import asdict

    rows: list[dict[str, object]] = [{"type": "document", "source": source, "encoding": encoding,
                                      "signals": dict(result.signals)}]
    for n, step in enumerate(result.plan, 1):
        rows.extend({"type": "edit", "step": n, **asdict(e)} for e in step.edits)
    rows.extend({"type": "flag", **asdict(f), "text": result.text[f.start:f.end]} for f in result.flags)
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
