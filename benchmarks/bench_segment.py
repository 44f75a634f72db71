"""Sentence-boundary F1 on MAC-Dev (zh and en) and language-id speed.

Reads ``../shared/data/dev/mac-dev`` (or ``$DUIQI_SHARED/data/dev/mac-dev``): ``NNN.zh`` / ``NNN.en``
one sentence per line and ``NNN.*.para`` a paragraph id per sentence. The sentences of a paragraph are
joined back into one text (zh with "", en with " "), split again with
:func:`duiqi.segment.split_sentences`, and the predicted sentence starts *inside* paragraphs are
compared with the gold ones (paragraph starts are given, so they are not counted).

Target: boundary F1 >= 0.98 for zh and for en.

    .venv/bin/python benchmarks/bench_segment.py [--errors N] [--semicolon]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

TARGET = 0.98


def _shared() -> Path:
    env = os.environ.get("DUIQI_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared"


def paragraphs(folder: Path, name: str, lang: str) -> list[list[str]]:
    sents = (folder / f"{name}.{lang}").read_text(encoding="utf-8").splitlines()
    paras = (folder / f"{name}.{lang}.para").read_text(encoding="utf-8").splitlines()
    out: list[list[str]] = []
    last = None
    for sent, pid in zip(sents, paras, strict=True):
        if pid != last:
            out.append([])
            last = pid
        out[-1].append(sent.strip())
    return out


def _pysbd_splitter(lang: str):  # type: ignore[no-untyped-def]
    import pysbd

    seg = pysbd.Segmenter(language=lang, clean=False)

    def split(text: str, _lang: str, semicolon: bool = False) -> list[tuple[int, int]]:
        spans, cur = [], 0
        for sent in seg.segment(text):
            st = sent.strip()
            a = text.find(st, cur) if st else -1
            if a >= 0:
                spans.append((a, a + len(st)))
                cur = a + len(st)
        return spans

    return split


def evaluate(folder: Path, lang: str, semicolon: bool, show: int,
             splitter: str = "duiqi") -> tuple[float, float, float, int]:
    from duiqi.segment import split_sentences

    if splitter == "pysbd":
        split_sentences = _pysbd_splitter(lang)
    tp = fp = fn = 0
    shown = 0
    names = sorted(p.stem for p in folder.glob(f"*.{lang}"))
    for name in names:
        for para in paragraphs(folder, name, lang):
            para = [s for s in para if s]
            sep = "" if lang == "zh" else " "
            text = sep.join(para)
            gold: set[int] = set()
            pos = 0
            for s in para[:-1]:
                pos += len(s) + len(sep)
                gold.add(pos)
            pred = {a for a, _ in split_sentences(text, lang, semicolon=semicolon)[1:]}
            tp += len(gold & pred)
            fp += len(pred - gold)
            fn += len(gold - pred)
            for b in sorted((pred - gold) | (gold - pred)):
                if shown < show:
                    tag = "FP" if b in pred else "FN"
                    print(f"  {lang} {name} {tag}: …{text[max(0, b - 40):b]}‖{text[b:b + 30]}…")
                    shown += 1
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, tp + fn


def langid_speed() -> None:
    from duiqi.records import Document
    from duiqi.segment import blocks

    example = Path(__file__).resolve().parents[1] / "examples" / "chongqing-foreign-affairs-2022.txt"
    text = example.read_text(encoding="utf-8")
    doc = Document(id="bench", text=(text + "\n") * 30)
    blocks(doc)  # warm up (loads the language-id model)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        bl = blocks(doc)
        times.append(time.perf_counter() - t)
    dt = min(times)
    print(f"blocks(): {len(bl)} blocks in {dt:.3f} s (best of 5) = {len(bl) / dt:,.0f} blocks/s "
          f"({len(doc.text) / dt / 1e6:.2f} M chars/s), language id + kinds + mixed-line splitting; "
          f"example page x30")


def _lines(path: Path, skip_first: bool = False) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in (lines[1:] if skip_first else lines) if ln.strip()]


def langid_accuracy(data: Path) -> None:
    """Share of whole lines whose (unsplit) language is the expected one."""
    from duiqi.segment import detect_language

    sets: list[tuple[str, list[str], str]] = []
    mac = data / "mac-dev"
    if mac.is_dir():
        sets.append(("MAC-Dev zh sentences", [ln for f in sorted(mac.glob("*.zh")) for ln in _lines(f)], "zh"))
        sets.append(("MAC-Dev en sentences", [ln for f in sorted(mac.glob("*.en")) for ln in _lines(f)], "en"))
    tat = data / "tatoeba-cmn-eng"
    if tat.is_dir():
        sets.append(("Tatoeba zh (short)", _lines(tat / "tatoeba.cmn-eng.cmn"), "zh"))
        sets.append(("Tatoeba en (short)", _lines(tat / "tatoeba.cmn-eng.eng"), "en"))
    tb = data / "textberg-de-fr"
    if tb.is_dir():
        sets.append(("Text+Berg de lines", _lines(tb / "dev.de"), "other"))
        sets.append(("Text+Berg fr lines", _lines(tb / "dev.fr"), "other"))
    wmt = data / "wmt24-en-zh"
    if wmt.is_dir():
        sets.append(("WMT24 en paragraphs", _lines(wmt / "sources_en-zh.txt", True), "en"))
        sets.append(("WMT24 zh paragraphs", _lines(wmt / "references_en-zh.refA.txt", True), "zh"))
    if not sets:
        print("language-id accuracy: no shared data found, not measured", file=sys.stderr)
    for name, lines, want in sets:
        t = time.perf_counter()
        got = [detect_language(ln)[0] for ln in lines]
        dt = time.perf_counter() - t
        ok = sum(g == want for g in got)
        wrong = Counter(g for g in got if g != want)
        print(f"language id, {name}: {ok}/{len(lines)} = {ok / len(lines):.4f} tagged {want} "
              f"(others: {dict(wrong)}; {len(lines) / dt:,.0f} lines/s)")


def mixed_split_accuracy(data: Path, limit: int = 600) -> None:
    """WMT24 zh reference + en source glued on one line (both orders): does blocks() cut them apart exactly?"""
    from duiqi.records import Document
    from duiqi.segment import blocks

    wmt = data / "wmt24-en-zh"
    if not wmt.is_dir():
        print("mixed-line splitting: WMT24 not found, not measured", file=sys.stderr)
        return
    en = _lines(wmt / "sources_en-zh.txt", True)
    zh = _lines(wmt / "references_en-zh.refA.txt", True)
    pairs = [(z, e) for z, e in zip(zh, en, strict=False) if z and e][:limit]
    for order in ("zh+en", "en+zh"):
        ok = 0
        t = time.perf_counter()
        for z, e in pairs:
            first, second = (z, e) if order == "zh+en" else (e, z)
            line = first + " " + second if order == "en+zh" or not first.endswith(("。", "！", "？", "”")) else first + second
            want = [("zh", z), ("en", e)] if order == "zh+en" else [("en", e), ("zh", z)]
            got = [(b.lang, b.text) for b in blocks(Document("m", line))]
            ok += got == want
        dt = time.perf_counter() - t
        print(f"mixed-line split, WMT24 {order} on one line: {ok}/{len(pairs)} = {ok / len(pairs):.4f} cut exactly "
              f"into [{order.replace('+', ', ')}] ({len(pairs) / dt:,.0f} lines/s)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong boundaries per language")
    ap.add_argument("--semicolon", action="store_true", help="also end Chinese sentences at ；")
    ap.add_argument("--compare-pysbd", action="store_true", help="also score pysbd (if installed) on MAC-Dev")
    args = ap.parse_args()
    folder = _shared() / "data" / "dev" / "mac-dev"
    ok = True
    if not folder.is_dir():
        print(f"MAC-Dev not found at {folder} (set DUIQI_SHARED): boundary F1 not measured", file=sys.stderr)
    else:
        for lang in ("zh", "en"):
            t = time.perf_counter()
            p, r, f1, ngold = evaluate(folder, lang, args.semicolon, args.errors)
            dt = time.perf_counter() - t
            verdict = "meets" if f1 >= TARGET else "BELOW"
            ok = ok and f1 >= TARGET
            print(f"MAC-Dev {lang}: boundary P={p:.4f} R={r:.4f} F1={f1:.4f} over {ngold} gold in-paragraph "
                  f"boundaries ({dt:.2f} s) — target {TARGET} {verdict}")
        if args.compare_pysbd:
            for lang in ("zh", "en"):
                t = time.perf_counter()
                p, r, f1, ngold = evaluate(folder, lang, False, 0, splitter="pysbd")
                print(f"MAC-Dev {lang} with pysbd (for comparison): boundary P={p:.4f} R={r:.4f} F1={f1:.4f} "
                      f"({time.perf_counter() - t:.2f} s)")
    langid_accuracy(folder.parent)
    mixed_split_accuracy(folder.parent)
    langid_speed()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
