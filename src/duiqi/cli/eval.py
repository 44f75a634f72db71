"""``duiqi eval GOLD PRED``: strict and lax precision/recall/F1 of bead alignments."""

from __future__ import annotations

import argparse
from typing import Any

from duiqi.align.evaluate import evaluate_paths


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "eval",
        help="score predicted bead alignments against gold ones (strict and lax P/R/F1)",
        description=(
            "Compare bead files ('[0,1]:[2]' a line, 0-based, source ids first) or folders of them "
            "(matched by file name). Strict = exact bead match; lax = overlap on both sides. "
            "Precision counts every predicted bead; recall ignores gold 1-0/0-1 beads."
        ),
    )
    p.add_argument("gold", metavar="GOLD", help="gold bead file or folder")
    p.add_argument("pred", metavar="PRED", help="predicted bead file or folder")
    p.add_argument("--per-file", action="store_true", help="also print one line per file")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json

    total, per_file = evaluate_paths(args.gold, args.pred)
    if args.json:
        out: dict[str, Any] = {"total": total.as_dict()}
        if args.per_file:
            out["files"] = {name: s.as_dict() for name, s in per_file}
        print(json.dumps(out, indent=2))
        return 0
    if args.per_file:
        for name, s in per_file:
            print(f"{name}\tstrict P {s.strict_p:.4f} R {s.strict_r:.4f} F1 {s.strict_f1:.4f}\t"
                  f"lax P {s.lax_p:.4f} R {s.lax_r:.4f} F1 {s.lax_f1:.4f}")
    print(f"strict\tP {total.strict_p:.4f}\tR {total.strict_r:.4f}\tF1 {total.strict_f1:.4f}")
    print(f"lax\tP {total.lax_p:.4f}\tR {total.lax_r:.4f}\tF1 {total.lax_f1:.4f}")
    return 0
