"""Build mixed bilingual zh/en documents with known gold from parallel documents (benchmark tooling).

Source: a folder of WMT-style parallel documents (default ``/work/shared/data/dev/wmt24-en-zh``:
``sources_en-zh.txt`` = English paragraphs, ``references_en-zh.refA.txt`` = Chinese paragraphs,
``documents_en-zh.docs`` = ``domain<TAB>doc id`` per line; line 1 is a canary and is dropped). Nothing
from it is written into the repository; documents are generated in memory.

Layouts (chosen per document, see :data:`LAYOUTS`):

- ``interleaved`` — zh paragraph, its English, next zh paragraph... (a few lines hold both);
- ``sections``    — 2-4 zh paragraphs, then their English, next section...;
- ``halves``      — the whole Chinese text, then the whole English text;
- ``en-first``    — like ``interleaved`` or ``sections`` but English before Chinese;
- ``partial``     — only about half of the paragraphs are translated;
- ``reordered``   — two monolingual files (``text`` = zh, ``tgt_text`` = en) whose sections
  (2-4 paragraphs) come in a different order.

Every layout also gets untranslated paragraphs (zh only or en only) and distractor lines: dated
captions, bare dates, slogans, English photo credits and *near-duplicate captions* (a dated caption
made from the first clause of a translated paragraph — the trap of the Chongqing example).

Half of the one-file documents are written like study notes (noise ``notes``, see :func:`_notes`): Markdown
emphasis and ``<u>`` in the paragraphs, ``>term 释义`` glosses, fenced two-column glossaries, a bilingual heading,
grammar analyses quoting English, subscription/navigation lines, English paragraphs cut in two lines with a
caption between; none of that is gold.

Noise (NOISE.md) is applied to the input text, per document at random:
Traditional conversion (OpenCC s2t) with SEO pinyin injection (toned contextual readings of a share of
the traditional-only characters, every occurrence of a chosen character), full-width ``，：；（）！？``
folded to ASCII, Latin letters outside GBK turned into ``?`` and spaces after commas dropped in English.

``generate(n_docs, seed, source_dir)`` -> list of :class:`GeneratedDoc`; ``python benchmarks/mixedgen.py
-n 3`` prints a few.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

SHARED = os.environ.get("DUIQI_SHARED", "/work/shared")
DEFAULT_SOURCE = os.path.join(SHARED, "data/dev/wmt24-en-zh")

LAYOUTS = ("interleaved", "sections", "halves", "en-first", "partial", "reordered")
#: Share of (one-file) documents that get the study-note phenomena of real documents (:func:`_notes`).
NOTES_RATE = 0.5


@dataclass(frozen=True, slots=True)
class Unit:
    """One line (paragraph) of a generated document, with where it came from."""

    lang: str
    """``zh`` or ``en``."""
    text: str
    """Clean text (before noise)."""
    pair: int | None
    """Gold pair id when the paragraph is translated in the document, else ``None``."""
    role: str = "para"
    """``para`` (translated), ``untranslated``, ``caption``, ``near-dup``, ``date``, ``slogan``, ``credit``."""


@dataclass(frozen=True, slots=True)
class GeneratedDoc:
    """A generated document: its text(s), its units and gold pairs."""

    id: str
    layout: str
    text: str
    """The mixed document (for ``reordered``: the Chinese file)."""
    units: tuple[Unit, ...]
    """Every line of ``text`` (then of ``tgt_text``) in order."""
    gold: tuple[tuple[str, str], ...]
    """Gold paragraph pairs (zh, en), clean text, indexed by ``Unit.pair``."""
    tgt_text: str | None = None
    """The English file of a ``reordered`` document."""
    noise: tuple[str, ...] = field(default=())
    """Noise applied: ``seo-pinyin``, ``ascii-punct``, ``lossy-latin``, ``comma-space``."""


# --------------------------------------------------------------------------------------- source


@dataclass(frozen=True, slots=True)
class SourceDoc:
    id: str
    en: tuple[str, ...]
    zh: tuple[str, ...]


_HAN = re.compile(r"[\u4e00-\u9fff]")
_EN_WORD = re.compile(r"[A-Za-z]{2,}")


def usable(en: str, zh: str) -> bool:
    """A paragraph pair worth putting in a mixed document: real Chinese and real English prose
    (social-media one-liners such as ``lfg $sqqq`` / ``lfg $sqqq 哈哈`` are left out)."""
    return len(_HAN.findall(zh)) >= 6 and len(_EN_WORD.findall(en)) >= 4


def _lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh]


def load_source(source_dir: str = DEFAULT_SOURCE) -> list[SourceDoc]:
    """Parallel documents of a WMT-style folder (canary dropped, empty paragraphs skipped)."""
    paths = [os.path.join(source_dir, n) for n in
             ("sources_en-zh.txt", "references_en-zh.refA.txt", "documents_en-zh.docs")]
    for p in paths:
        if not os.path.exists(p):
            raise FileNotFoundError(f"benchmark data not found: {p} (needs /work/shared; set DUIQI_SHARED)")
    en, zh, docs = (_lines(p) for p in paths)
    if not (len(en) == len(zh) == len(docs)):
        raise ValueError(f"{source_dir}: files differ in length")
    out: dict[str, tuple[list[str], list[str]]] = {}
    for e, z, d in list(zip(en, zh, docs, strict=True))[1:]:
        doc_id = d.split("\t")[-1]
        e, z = e.strip(), z.strip()
        if not usable(e, z):
            continue
        out.setdefault(doc_id, ([], []))
        out[doc_id][0].append(e)
        out[doc_id][1].append(z)
    return [SourceDoc(k, tuple(v[0]), tuple(v[1])) for k, v in out.items()]


# ---------------------------------------------------------------------------------------- noise

_FULL_TO_ASCII = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})


class Noiser:
    """The noise of NOISE.md, deterministic given the random generator."""

    def __init__(self) -> None:
        import opencc

        self._s2t = opencc.OpenCC("s2t").convert
        self._t2s = opencc.OpenCC("t2s").convert

    def traditional_with_pinyin(self, texts: Sequence[str], rng: random.Random) -> list[str]:
        """s2t, then SEO pinyin after a share of the traditional-only characters (every occurrence)."""
        from pypinyin import Style, pinyin

        trad = [self._s2t(t) for t in texts]
        candidates = sorted({c for t in trad for c in t if self._t2s(c) != c})
        share = rng.uniform(0.1, 0.7)
        chosen = {c for c in candidates if rng.random() < share}
        out = []
        for simp, tr in zip(texts, trad, strict=True):
            if len(simp) != len(tr):
                out.append(tr)
                continue
            readings = pinyin(simp, style=Style.TONE, errors=lambda s: [[""] for _ in s])
            if len(readings) != len(simp):
                out.append(tr)
                continue
            buf = []
            for ch, reading in zip(tr, readings, strict=True):
                buf.append(ch)
                syl = reading[0] if reading else ""
                if ch in chosen and syl and syl.isalpha() and not syl.isascii():
                    buf.append(f"({syl})")
            out.append("".join(buf))
        return out

    @staticmethod
    def ascii_punct(text: str) -> str:
        return text.translate(_FULL_TO_ASCII)

    @staticmethod
    def lossy_latin(text: str) -> str:
        out = []
        for c in text:
            if c.isalpha() and not c.isascii() and not ("\u4e00" <= c <= "\u9fff"):
                try:
                    c.encode("gbk")
                except UnicodeEncodeError:
                    c = "?"
            out.append(c)
        return "".join(out)

    @staticmethod
    def drop_comma_space(text: str, rng: random.Random, p: float = 0.3) -> str:
        return re.sub(r",\s(?=[A-Za-z])", lambda m: "," if rng.random() < p else m.group(0), text)


# ------------------------------------------------------------------------------------ distractors

_SLOGANS = ("坚持改革开放，推动高质量发展。", "共建美好家园", "不忘初心，牢记使命。", "携手共进，合作共赢！",
            "热烈庆祝新年", "欢迎光临", "版权所有，转载请注明出处。", "点击查看更多精彩内容")
_CREDITS = ("Photo: Xinhua", "(Photo courtesy of the organisers)", "Source: official website",
            "Editor: Li Ming", "All rights reserved.")


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2015, 2024)}年{rng.randint(1, 12)}月"


def _first_clause(zh: str) -> str:
    m = re.match(r"(.{6,40}?)[，,。；;！!？?：:]", zh)
    return m.group(1) if m else zh[:20]


def distractor(rng: random.Random, translated_zh: Sequence[str]) -> Unit:
    kind = rng.choice(["caption", "near-dup", "near-dup", "date", "slogan", "credit"])
    if kind == "near-dup" and translated_zh:
        return Unit("zh", f"{_date(rng)}，{_first_clause(rng.choice(list(translated_zh)))}。", None, "near-dup")
    if kind == "caption":
        who = rng.choice(["市政府外办", "代表团", "有关负责人", "外国驻华使节", "专家学者"])
        what = rng.choice(["参观考察", "出席开幕式", "举行座谈会", "访问当地企业", "参加交流活动"])
        return Unit("zh", f"{_date(rng)}，{who}{what}。", None, "caption")
    if kind == "date":
        return Unit("zh", f"{_date(rng)}{rng.randint(1, 28)}日", None, "date")
    if kind == "credit":
        return Unit("en", rng.choice(_CREDITS), None, "credit")
    return Unit("zh", rng.choice(_SLOGANS), None, "slogan")


# ------------------------------------------------------------------ notes as people write them (issue 12)

_NAV = ("点击这里订阅 | Click here to subscribe!", "上一篇 Previous | 下一篇 Next", "分享到微信 Share on WeChat",
        "返回顶部 Back to top", "扫码关注我们 Follow us")
_LABELS = ("主句", "状语", "宾语从句", "定语从句", "谓语部分")
_LATIN_WORDS = re.compile(r"[A-Za-z][A-Za-z'-]+")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,8}")


def _mark_en(text: str, rng: random.Random) -> str:
    """``**bold**`` or backticks around a few English words."""
    words = list(_LATIN_WORDS.finditer(text))
    for m in sorted(rng.sample(words, k=min(len(words), rng.randint(1, 3))), key=lambda m: -m.start()):
        mark = rng.choice(["**", "`"])
        text = text[:m.start()] + mark + m.group() + mark + text[m.end():]
    return text


def _mark_zh(text: str, rng: random.Random) -> str:
    """``**粗体**`` or ``<u>下划线</u>`` around a few Chinese words."""
    runs = list(_HAN_RUN.finditer(text))
    for m in sorted(rng.sample(runs, k=min(len(runs), rng.randint(1, 3))), key=lambda m: -m.start()):
        a = m.start() + rng.randint(0, max(0, len(m.group()) - 2))
        b = min(m.end(), a + rng.randint(2, 4))
        o, c = rng.choice([("**", "**"), ("<u>", "</u>")])
        text = text[:a] + o + text[a:b] + c + text[b:]
    return text


def _sentences_of(text: str) -> set[str]:
    """The sentences of ``text``, letters and digits only, lower-cased (a gloss must quote less than one)."""
    return {"".join(c for c in part if c.isalnum()).lower()
            for part in re.split(r"(?<=[.!?。！？…])\s*", text) if part.strip()}


def _en_fragment(en: str, rng: random.Random, lo: int = 2, hi: int = 6) -> str:
    """A few consecutive words of ``en``, never a whole sentence of it."""
    words = _LATIN_WORDS.findall(en)
    whole = _sentences_of(en)
    for _ in range(6):
        if len(words) < lo:
            break
        k = rng.randint(lo, min(hi, len(words)))
        start = rng.randrange(0, len(words) - k + 1)
        frag = " ".join(words[start:start + k])
        if "".join(c for c in frag if c.isalnum()).lower() not in whole:
            return frag
    return "translation"


def _zh_fragment(zh: str, rng: random.Random) -> str:
    """A few Chinese characters from inside ``zh`` (a strict part of a run, never a whole sentence)."""
    runs = [r for r in _HAN_RUN.findall(zh) if len(r) >= 4]
    if not runs:
        return "译文"
    run = rng.choice(runs)
    a = rng.randint(1, len(run) - 3)
    return run[a:a + rng.randint(2, len(run) - 1 - a)]


def _notes(lines: list[list[Unit]], rng: random.Random) -> list[list[Unit]]:
    """Study-note phenomena around the paragraphs (none of it is gold): Markdown emphasis and ``<u>`` in the
    paragraphs; ``>term 释义`` gloss lines after an English paragraph; fenced two-column glossaries;
    a bilingual heading; grammar analyses (list items quoting English with a Chinese gloss, continuation
    lines); subscription and navigation lines; an English paragraph cut in two lines, sometimes with a
    caption between the halves."""
    out: list[list[Unit]] = []
    paired = [u for line in lines for u in line if u.pair is not None]
    zh_texts = [u.text for u in paired if u.lang == "zh"] or ["中文"]
    en_texts = [u.text for u in paired if u.lang == "en"] or ["English text"]
    if rng.random() < 0.5:
        out.append([Unit("zh", "# " + _zh_fragment(rng.choice(zh_texts), rng), None, "gloss"),
                    Unit("en", _en_fragment(rng.choice(en_texts), rng, 2, 4).title(), None, "gloss")])
    for line in lines:
        new = []
        for u in line:
            if u.pair is not None and u.role == "para" and rng.random() < 0.6:
                u = Unit(u.lang, (_mark_en if u.lang == "en" else _mark_zh)(u.text, rng), u.pair, u.role)
            new.append(u)
        line = new
        if len(line) == 1 and line[0].lang == "en" and line[0].pair is not None and rng.random() < 0.25:
            parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", line[0].text)
            if len(parts) >= 2:
                cut = rng.randint(1, len(parts) - 1)
                u = line[0]
                out.append([Unit("en", " ".join(parts[:cut]), u.pair, u.role)])
                if rng.random() < 0.4:
                    out.append([Unit("en", rng.choice(_CREDITS), None, "credit")])
                out.append([Unit("en", " ".join(parts[cut:]), u.pair, u.role)])
                line = []
        if line:
            out.append(line)
        en = next((u for u in line if u.lang == "en" and u.pair is not None), None)
        if en is not None and rng.random() < 0.4:
            for _ in range(rng.randint(1, 3)):
                out.append([Unit("en", ">" + _en_fragment(en.text, rng, 1, 3), None, "gloss"),
                            Unit("zh", _zh_fragment(rng.choice(zh_texts), rng) + "；" + _zh_fragment(
                                rng.choice(zh_texts), rng), None, "gloss")])
        zh = next((u for u in line if u.lang == "zh" and u.pair is not None), None)
        if zh is not None and rng.random() < 0.2:
            src = next((x.text for x in paired if x.pair == zh.pair and x.lang == "en"), rng.choice(en_texts))
            out.append([Unit("zh", "**句子结构分析**", None, "analysis")])
            for _ in range(rng.randint(2, 3)):
                label = rng.choice(_LABELS)
                if rng.random() < 0.5:
                    out.append([Unit("zh", f"- **{label}**：", None, "analysis"),
                                Unit("en", f"*{_en_fragment(src, rng, 3, 8)}*", None, "analysis"),
                                Unit("zh", f"（{_zh_fragment(zh.text, rng)}）", None, "analysis")])
                else:
                    out.append([Unit("zh", f"* **{label}**：", None, "analysis"),
                                Unit("en", f"*{_en_fragment(src, rng, 3, 8)}*", None, "analysis")])
                    out.append([Unit("zh", f"  （{_zh_fragment(zh.text, rng)}{_zh_fragment(zh.text, rng)}）",
                                     None, "analysis")])
        if rng.random() < 0.08:
            out.append([Unit("en", "```", None, "markup")])
            for _ in range(rng.randint(2, 4)):
                out.append([Unit("en", _en_fragment(rng.choice(en_texts), rng, 1, 3).ljust(20), None, "gloss"),
                            Unit("zh", _zh_fragment(rng.choice(zh_texts), rng), None, "gloss")])
            out.append([Unit("en", "```", None, "markup")])
        if rng.random() < 0.05:
            zh_nav, _, en_nav = rng.choice(_NAV).partition(" ")
            out.append([Unit("zh", zh_nav, None, "nav"), Unit("en", en_nav, None, "nav")])
    return out


# ---------------------------------------------------------------------------------------- layouts


def _sections(n: int, rng: random.Random) -> list[list[int]]:
    out: list[list[int]] = []
    k = 0
    while k < n:
        size = rng.randint(2, 4)
        out.append(list(range(k, min(n, k + size))))
        k += size
    return out


def _lines_for(layout: str, zh: list[Unit], en: list[Unit | None], rng: random.Random,
               en_first: bool = False) -> list[list[Unit]]:
    """Lines of the document: each a list of units (two units on one line = a mixed line)."""
    n = len(zh)
    lines: list[list[Unit]] = []

    def pair_lines(i: int) -> list[list[Unit]]:
        e = en[i]
        if e is None:
            return [[zh[i]]]
        if layout == "interleaved" and rng.random() < 0.1:
            return [[e, zh[i]]] if en_first else [[zh[i], e]]
        return [[e], [zh[i]]] if en_first else [[zh[i]], [e]]

    if layout in ("interleaved", "partial") and (layout != "partial" or rng.random() < 0.5):
        for i in range(n):
            lines.extend(pair_lines(i))
    elif layout in ("sections", "partial", "en-first"):
        for sec in _sections(n, rng):
            zh_part = [[zh[i]] for i in sec]
            en_part = [[e] for i in sec if (e := en[i]) is not None]
            lines.extend(en_part + zh_part if en_first else zh_part + en_part)
    elif layout == "halves":
        zh_part = [[zh[i]] for i in range(n)]
        en_part = [[e] for e in en if e is not None]
        lines.extend(en_part + zh_part if en_first else zh_part + en_part)
    else:
        raise ValueError(layout)
    return lines


def _insert_distractors(lines: list[list[Unit]], rng: random.Random, rate: float,
                        translated_zh: Sequence[str]) -> list[list[Unit]]:
    out: list[list[Unit]] = []
    for line in lines:
        out.append(line)
        if rng.random() < rate:
            out.append([distractor(rng, translated_zh)])
    if rng.random() < rate:
        out.insert(0, [distractor(rng, translated_zh)])
    return out


def _render(lines: Sequence[Sequence[Unit]], noisy: dict[int, str]) -> str:
    """Text of the lines; ``noisy`` maps id(unit) to its noised text."""
    return "\n".join(" ".join(noisy.get(id(u), u.text) for u in line) for line in lines) + "\n"


def _pick_paragraphs(docs: Sequence[SourceDoc], rng: random.Random, lo: int = 4, hi: int = 14) -> tuple[str, list[str], list[str]]:
    """One source document's paragraphs (short documents are joined with the next ones)."""
    doc = rng.choice(list(docs))
    name, en, zh = doc.id, list(doc.en), list(doc.zh)
    used = {doc.id}
    while len(en) < lo:
        more = rng.choice(list(docs))
        if more.id in used and len(used) < len(docs):
            continue  # the same text twice would make the gold ambiguous
        used.add(more.id)
        name += "+" + more.id
        en += list(more.en)
        zh += list(more.zh)
    if len(en) > hi:
        start = rng.randint(0, len(en) - hi)
        en, zh = en[start:start + hi], zh[start:start + hi]
    return name, en, zh


def generate_one(docs: Sequence[SourceDoc], rng: random.Random, noiser: Noiser, index: int,
                 layout: str | None = None) -> GeneratedDoc:
    layout = layout or LAYOUTS[index % len(LAYOUTS)]
    name, en_texts, zh_texts = _pick_paragraphs(docs, rng)
    n = len(en_texts)
    untranslated_rate = 0.5 if layout == "partial" else 0.15
    pair_ids: list[int | None] = []
    gold: list[tuple[str, str]] = []
    keep_untranslated = set(rng.sample(range(n), k=min(n - 2, sum(rng.random() < untranslated_rate for _ in range(n)))))
    for k in range(n):
        if k in keep_untranslated:
            pair_ids.append(None)
        else:
            pair_ids.append(len(gold))
            gold.append((zh_texts[k], en_texts[k]))
    zh_units = [Unit("zh", zh_texts[k], pair_ids[k], "para" if pair_ids[k] is not None else "untranslated")
                for k in range(n)]
    en_units: list[Unit | None] = [Unit("en", en_texts[k], pair_ids[k]) if pair_ids[k] is not None else None
                                   for k in range(n)]
    # a few English paragraphs without Chinese (the translation went the other way round)
    if layout != "reordered" and n > 4 and rng.random() < 0.3:
        k = rng.randrange(n)
        if pair_ids[k] is not None:
            zh_units[k] = Unit("zh", "", None, "dropped")
            en_units[k] = Unit("en", en_texts[k], None, "untranslated")
            gold[pair_ids[k]] = ("", "")  # keeps ids stable; an empty gold pair is never counted
    translated_zh = [u.text for u in zh_units if u.pair is not None]
    noise: list[str] = []
    notes = False
    en_first = layout == "en-first"
    if layout == "reordered":
        sections = _sections(n, rng)
        zh_lines = [[u] for u in zh_units if u.text]
        order = list(range(len(sections)))
        while len(order) > 1 and order == sorted(order):
            rng.shuffle(order)
        en_lines = [[e] for s in order for i in sections[s] if (e := en_units[i]) is not None]
        zh_lines = _insert_distractors(zh_lines, rng, 0.15, translated_zh)
        lines_sets = [zh_lines, en_lines]
    else:
        inner = rng.choice(["interleaved", "sections"]) if layout == "en-first" else layout
        zh_kept = [u if u.text else None for u in zh_units]
        lines = _lines_for(inner, [u for u in zh_kept if u is not None],
                           [e for u, e in zip(zh_kept, en_units, strict=True) if u is not None],
                           rng, en_first)
        # English-only paragraphs go where their Chinese would have been
        for k, u in enumerate(zh_units):
            if not u.text and (e := en_units[k]) is not None:
                lines.insert(min(len(lines), 2 * k), [e])
        lines = _insert_distractors(lines, rng, 0.2, translated_zh)
        if rng.random() < NOTES_RATE:
            lines = _notes(lines, rng)
            notes = True
        lines_sets = [lines]
    all_units = [u for ls in lines_sets for line in ls for u in line]
    noisy: dict[int, str] = {}
    zh_all = [u for u in all_units if u.lang == "zh"]
    en_all = [u for u in all_units if u.lang == "en"]
    if rng.random() < 0.5:
        noise.append("seo-pinyin")
        for u, t in zip(zh_all, noiser.traditional_with_pinyin([u.text for u in zh_all], rng), strict=True):
            noisy[id(u)] = t
    if rng.random() < 0.6:
        noise.append("ascii-punct")
        for u in zh_all:
            noisy[id(u)] = noiser.ascii_punct(noisy.get(id(u), u.text))
    if rng.random() < 0.6:
        noise.append("lossy-latin")
        for u in all_units:
            noisy[id(u)] = noiser.lossy_latin(noisy.get(id(u), u.text))
    if rng.random() < 0.5:
        noise.append("comma-space")
        for u in en_all:
            noisy[id(u)] = noiser.drop_comma_space(noisy.get(id(u), u.text), rng)
    if notes:
        noise.append("notes")
    texts = [_render(ls, noisy) for ls in lines_sets]
    return GeneratedDoc(
        id=f"gen{index:05d}:{layout}:{name}",
        layout=layout,
        text=texts[0],
        units=tuple(all_units),
        gold=tuple(gold),
        tgt_text=texts[1] if len(texts) > 1 else None,
        noise=tuple(noise),
    )


def generate(n_docs: int, seed: int = 0, source_dir: str = DEFAULT_SOURCE,
             layouts: Sequence[str] = LAYOUTS) -> list[GeneratedDoc]:
    """``n_docs`` generated documents, layouts in turn (deterministic for a seed)."""
    return list(iter_generate(n_docs, seed, source_dir, layouts))


def iter_generate(n_docs: int, seed: int = 0, source_dir: str = DEFAULT_SOURCE,
                  layouts: Sequence[str] = LAYOUTS) -> Iterator[GeneratedDoc]:
    """Like :func:`generate`, one document at a time (for 10,000-document corpora)."""
    docs = load_source(source_dir)
    noiser = Noiser()
    for k in range(n_docs):
        rng = random.Random(f"{seed}:{k}")
        yield generate_one(docs, rng, noiser, k, layouts[k % len(layouts)])


def main(argv: Sequence[str] | None = None, out: Callable[[str], object] = print) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--source", default=DEFAULT_SOURCE)
    ap.add_argument("--layouts", default=",".join(LAYOUTS),
                    help="comma-separated layouts to cycle through (a 'reordered' document is two files: its "
                         "English is in tgt_text, so leave it out for one-document corpus runs)")
    ap.add_argument("--jsonl", metavar="FILE",
                    help="write the documents as JSONL (id, text, layout, noise, tgt_text, gold) instead of printing")
    args = ap.parse_args(argv)
    layouts = [x for x in args.layouts.split(",") if x]
    unknown = sorted(set(layouts) - set(LAYOUTS))
    if unknown or not layouts:
        ap.error(f"unknown layouts {unknown}; known: {', '.join(LAYOUTS)}")
    if not os.path.isdir(args.source):
        out(f"benchmark data not found: {args.source} (needs /work/shared; set DUIQI_SHARED)")
        return 0
    if args.jsonl:
        import json

        with open(args.jsonl, "w", encoding="utf-8") as fh:
            for d in iter_generate(args.n, args.seed, args.source, layouts):
                row = {"id": d.id, "text": d.text, "layout": d.layout, "noise": list(d.noise),
                       "tgt_text": d.tgt_text, "gold": [list(g) for g in d.gold if g[0]]}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        out(f"wrote {args.n} documents to {args.jsonl}")
        return 0
    for d in generate(args.n, args.seed, args.source, layouts):
        out(f"=== {d.id} layout={d.layout} noise={','.join(d.noise)} gold={sum(1 for g in d.gold if g[0])}")
        out(d.text)
        if d.tgt_text:
            out("--- tgt ---")
            out(d.tgt_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
