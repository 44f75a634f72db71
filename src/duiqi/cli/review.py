"""``duiqi review``: check and correct an alignment in the browser, then export it.

``duiqi review SRC TGT`` / ``duiqi review DOC`` align as ``duiqi align`` does; ``duiqi review
pairs.jsonl`` reviews pairs already aligned; ``duiqi review SRC TGT --beads FILE`` reviews a bead file
over pre-split sentence files; ``duiqi review out.review.json`` reopens a review. The page is served
on 127.0.0.1 only; the work is saved to ``OUT.review.json`` beside the output ``-o OUT.tmx``.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from duiqi import embed  # embed.get_encoder looked up per call (tests substitute it)
from duiqi.align import AlignConfig
from duiqi.atomic import release_input
from duiqi.cli.common import input_document  # reads any format duiqi reads, one-line errors
from duiqi.errors import DuiqiError, InputError
from duiqi.review import build
from duiqi.review.export import export
from duiqi.review.project import load_project, project_path_for, save_project
from duiqi.review.server import ReviewServer


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "review",
        help="check and correct an alignment in the browser (doubtful beads first), then export TMX/TSV/...",
        description=(
            "Align SRC and TGT (or one mixed document), or open pairs (JSONL), a bead file (--beads) or a "
            "saved review (*.review.json), and serve a review page on 127.0.0.1. The work is saved to "
            "OUT.review.json beside the output; exports (TMX, TSV, JSONL, Moses, gold beads) go beside it."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="SRC TGT, a mixed document, a pairs .jsonl file or a .review.json project")
    p.add_argument("-o", "--output", default=None,
                   help="main output (e.g. reviewed.tmx); the project is OUT.review.json, other exports "
                        "OUT.tsv, OUT.jsonl, OUT.<lang>, OUT.gold.beads (default: INPUT-review.tmx here)")
    p.add_argument("--beads", default=None, metavar="FILE",
                   help="with SRC TGT (one sentence a line): review this bead file instead of aligning (default: align)")
    p.add_argument("--pre-split", action="store_true", help="inputs already hold one sentence per line")
    p.add_argument("--src-lang", default=None, help="source language (default: detected)")
    p.add_argument("--tgt-lang", default=None, help="target language (default: detected)")
    p.add_argument("--encoder", default="use", help="sentence encoder for aligning: use (default), fake, ...")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="print the address, do not open a browser")
    p.add_argument("--export", default=None, metavar="FORMATS",
                   help="do not serve: write these exports (comma-separated: tmx,tsv,jsonl,moses,gold) and exit "
                        "(default: serve the page; export from there)")
    p.add_argument("--overwrite", action="store_true",
                   help="start a new review even when OUT.review.json exists (default: reopen it)")
    p.set_defaults(func=run)


def _stem_and_project(args: argparse.Namespace) -> tuple[str, str]:
    first = args.inputs[0]
    if args.output:
        out = args.output
    elif first.endswith(".review.json"):
        out = first
    else:
        name = os.path.basename(first.rstrip("/")) or "review"
        out = os.path.splitext(name)[0] + "-review.tmx"
    project = project_path_for(out)
    stem = project[: -len(".review.json")]
    return stem, project


def _build(args: argparse.Namespace) -> Any:
    inputs = args.inputs
    if args.beads:
        if len(inputs) != 2:
            raise DuiqiError("--beads needs SRC and TGT (one sentence a line)")
        return build.project_from_beads(inputs[0], inputs[1], args.beads, src_lang=args.src_lang,
                                        tgt_lang=args.tgt_lang)
    if len(inputs) == 1 and inputs[0].lower().endswith((".jsonl", ".json")):
        return build.project_from_jsonl(inputs[0])
    encoder = embed.get_encoder(args.encoder)
    if len(inputs) == 1:
        return build.project_from_mixed(input_document(inputs[0]), encoder=encoder, config=AlignConfig(),
                                        src_lang=args.src_lang, tgt_lang=args.tgt_lang)
    return build.project_from_pair(input_document(inputs[0]), input_document(inputs[1]), encoder=encoder,
                                   config=AlignConfig(), src_lang=args.src_lang, tgt_lang=args.tgt_lang,
                                   pre_split=args.pre_split)


def run(args: argparse.Namespace) -> int:
    import sys

    if len(args.inputs) > 2:
        raise DuiqiError(f"review takes one or two inputs, got {len(args.inputs)}")
    stem, project_path = _stem_and_project(args)
    reopening = args.inputs[0].endswith(".review.json")
    if reopening:
        if len(args.inputs) != 1:
            raise DuiqiError("give a .review.json project alone")
        project = load_project(args.inputs[0])
        project_path = args.inputs[0] if not args.output else project_path
        if project_path == args.inputs[0]:  # continuing a project: the one input it edits in place

            release_input(project_path)
    elif os.path.exists(project_path) and not args.overwrite:
        project = load_project(project_path)
        if [os.path.abspath(p) for p in project.inputs] != [os.path.abspath(p) for p in
                                                              [*args.inputs, *([args.beads] if args.beads else [])]]:
            raise InputError(project_path, "exists and reviews other inputs; give another -o or --overwrite")
        print(f"duiqi review: reopening {project_path}", file=sys.stderr)
    else:
        project = _build(args)
        project.inputs = [*args.inputs, *([args.beads] if args.beads else [])]
    save_project(project, project_path)
    if args.export:
        formats = [f.strip() for f in args.export.split(",") if f.strip()]
        for fmt in formats:
            for path in export(project, fmt, stem):
                print(path)
        return 0
    return serve(project, project_path, stem, port=args.port, browser=not args.no_browser)


def serve(project: Any, project_path: str, stem: str, *, port: int = 0, browser: bool = True) -> int:
    import sys

    try:
        server = ReviewServer(project, project_path, stem, port=port)
    except OSError as exc:
        raise DuiqiError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    c = project.counts()
    print(f"duiqi review: {c['beads']} beads ({c['checked']} checked) at {server.url}  "
          f"(project {project_path}; Ctrl+C to stop)", flush=True)
    if browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("duiqi review: stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0
