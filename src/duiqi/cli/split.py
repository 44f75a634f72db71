"""``duiqi split FILE``: read, repair and segment a document; one JSON record per sentence.

Each record: ``doc`` (document id), ``block`` (block index), ``sent`` (sentence index on its language
side), ``lang``, ``script``, ``kind``, ``start``/``end`` (offsets into the repaired text, or the raw
text with ``--no-repair``) and ``text``. With ``-o`` the output is written atomically and a
``<OUT>.meta.json`` sidecar records the signature and counts.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from duiqi import __version__
from duiqi.atomic import atomic_write, is_regular_output
from duiqi.cli.common import open_output
from duiqi.cli.options import DeprecatedAlias, check_jsonl_path, config_settings, say
from duiqi.io import iter_documents
from duiqi.segment.document import segment_document
from duiqi.signature import package_version, signature


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "split",
        help="read, repair and split a document into language-tagged sentences (JSONL)",
        description="Read FILE (txt/Markdown, HTML, DOCX, PDF or JSONL), repair it, split it into "
        "language-tagged blocks and sentences, and write one JSON record per sentence.",
    )
    p.add_argument("file", metavar="FILE", help="input file (- for standard input)")

    p.add_argument("-o", "--output", default=None, metavar="OUT",
                   help="output JSONL file (default: standard output)")
    p.add_argument("--no-repair", action="store_true",
                   help="split the text as read, without repair (default: repair first)")
    formats = ["txt", "html", "docx", "pdf", "jsonl"]
    p.add_argument("--input-format", dest="fmt", default=None, choices=formats,
                   help="format of FILE (default: from the extension, else sniffed)")
    p.add_argument("--format", dest="fmt", default=None, choices=formats, action=DeprecatedAlias,
                   new="--input-format", help="deprecated spelling of --input-format (default: sniffed)")
    p.add_argument("--encoding", default=None, help="force the input text encoding (default: detected)")
    p.add_argument("--text-field", default="text", help="JSONL input: field holding the text (default: text)")
    p.add_argument("--id-field", default="id", help="JSONL input: field holding the document id (default: id)")
    p.add_argument("--semicolon", action="store_true",
                   help="also end Chinese sentences at ； (default: only at 。！？ and the like)")
    p.add_argument("--script", default=None, choices=["auto", "simplified", "traditional", "keep"],
                   help="Chinese script of the repaired text (repair option; default: repair's own)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_jsonl_path(args.output, "split -o")

    repair_options: dict[str, Any] = {}
    if args.script is not None:
        repair_options["script"] = args.script

    settings: dict[str, Any] = {
        **config_settings(args),
        "stage": "split",
        "repair": not args.no_repair,
        "semicolon": args.semicolon,
        "langid": f"py3langid@{package_version('py3langid')}",
    }
    if repair_options:
        settings.update({f"repair_{k}": v for k, v in repair_options.items()})
    docs = iter_documents(args.file, fmt=args.fmt, encoding=args.encoding,
                          text_field=args.text_field, id_field=args.id_field)
    n_docs = n_sents = 0
    langs: dict[str, int] = {}
    with open_output(args.output) as out:
        for doc in docs:
            seg = segment_document(doc, repair=not args.no_repair, semicolon=args.semicolon,
                                   repair_options=repair_options)
            kinds = {b.index: b.kind for b in seg.blocks}
            n_docs += 1
            for s in seg.sentences:
                record = {
                    "doc": s.doc_id, "block": s.block_index, "sent": s.index, "lang": s.lang,
                    "script": s.script, "kind": kinds[s.block_index], "start": s.start, "end": s.end,
                    "text": s.text,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                n_sents += 1
                langs[s.lang] = langs.get(s.lang, 0) + 1

    if is_regular_output(args.output):  # no sidecar beside stdout, a device or a FIFO

        info = {"signature": signature(settings), "settings": settings, "documents": n_docs,
                "sentences": n_sents, "languages": langs, "duiqi": __version__}
        with atomic_write(args.output + ".meta.json") as fh:
            json.dump(info, fh, ensure_ascii=False, indent=2)
            fh.write("\n")

    say(args, f"duiqi split: {n_docs} document(s), {n_sents} sentences ("
        + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())) + ")", level=2)
    return 0
