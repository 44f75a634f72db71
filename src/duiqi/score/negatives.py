"""Synthetic negatives made from true pairs, to fit and evaluate the quality model.

A positive is a bead: the source sentences and the target sentences that translate each other, in
document order (so neighbours are known). Kinds of negatives, each a plausible way an aligner or a
crawl goes wrong:

- ``shuffled``   a source with the target of a random far-away bead;
- ``neighbour``  a source with the target of the previous/next bead (near miss);
- ``partial``    one side cut: a strict subset of its sentences, or its first/last 35–65 %;
- ``numbers``    one side's numbers changed (``2022`` → ``2023``, ``十二`` → ``十三``);
- ``copy``       the same text on both sides (untranslated copy);
- ``wrong-lang`` a side replaced by a sentence in the other language;
- ``garbled``    one side damaged (``?`` replacements, mojibake);
- ``clause``     a partial translation: one clause of a side dropped, both ends kept (harder than a cut);
- ``scale``      a number's scale changed (``万`` ↔ ``亿``, ``million`` ↔ ``billion``) or a number swapped for
                 another of the same pair;
- ``salad``      the English side's words put out of order in short windows (machine-translation-like
                 word salad);
- ``boilerplate`` a translated navigation/subscription/copyright line (from a written list of such
                 pairs; :data:`BOILERPLATE_FIT` for fitting, :data:`BOILERPLATE_HELD` for evaluation).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from duiqi.text.scripts import HAN_RE

KINDS: tuple[str, ...] = ("shuffled", "neighbour", "partial", "numbers", "copy", "wrong-lang", "garbled",
                          "clause", "scale", "salad", "boilerplate")

#: Share of each kind in a generated negative set (renormalised over kinds that can be made).
DEFAULT_MIX: dict[str, float] = {
    "shuffled": 0.16,
    "neighbour": 0.18,
    "partial": 0.16,
    "numbers": 0.08,
    "copy": 0.05,
    "wrong-lang": 0.05,
    "garbled": 0.06,
    "clause": 0.12,
    "scale": 0.04,
    "salad": 0.06,
    "boilerplate": 0.04,
}

#: Translated boilerplate lines used as negatives when fitting (written for duiqi).
BOILERPLATE_FIT: tuple[tuple[str, str], ...] = (
    ("点击这里订阅", "Click here to subscribe!"), ("订阅我们的新闻通讯", "Subscribe to our newsletter"),
    ("关注我们的微信公众号", "Follow us on WeChat"), ("分享到微博", "Share on Weibo"),
    ("版权所有 © 2023 中国日报网", "Copyright © 2023 China Daily. All rights reserved."),
    ("返回顶部", "Back to top"), ("上一篇", "Previous article"), ("阅读全文", "Read the full article"),
    ("登录 | 注册", "Log in | Register"), ("隐私政策", "Privacy policy"), ("联系我们", "Contact us"),
    ("首页 | 新闻 | 体育 | 财经", "Home | News | Sport | Business"), ("责任编辑：李明", "Editor: Li Ming"),
    ("本网站使用cookies以改善您的体验。", "This website uses cookies to improve your experience."),
    ("更多新闻", "More news"), ("扫描二维码关注我们", "Scan the QR code to follow us"),
)
#: Other translated boilerplate lines, for evaluation only (never seen in fitting).
BOILERPLATE_HELD: tuple[tuple[str, str], ...] = (
    ("立即订阅", "Subscribe now"), ("分享到微信", "Share to WeChat"), ("下一篇", "Next article"),
    ("版权所有，未经许可不得转载", "All rights reserved. Do not reproduce without permission."),
    ("查看更多", "See more"), ("关于我们", "About us"), ("忘记密码？", "Forgot your password?"),
    ("使用条款", "Terms of use"), ("来源：新华社", "Source: Xinhua"), ("返回首页", "Return to homepage"),
    ("首页 · 国际 · 科技 · 文化", "Home · World · Tech · Culture"), ("打印本页", "Print this page"),
)


@dataclass(frozen=True, slots=True)
class Bead2:
    """A positive: sentences on each side, the document it is from, its position there."""

    src: tuple[str, ...]
    tgt: tuple[str, ...]
    doc: str
    pos: int
    src_sep: str = ""
    tgt_sep: str = " "

    @property
    def src_text(self) -> str:
        return self.src_sep.join(self.src)

    @property
    def tgt_text(self) -> str:
        return self.tgt_sep.join(self.tgt)


@dataclass(frozen=True, slots=True)
class Example:
    src: str
    tgt: str
    label: int
    kind: str
    doc: str
    src_rest: str = ""
    """For a ``partial`` negative: the part cut off the source (still somewhere in the document)."""
    tgt_rest: str = ""
    """For a ``partial`` negative: the part cut off the target."""


_DIGIT_RE = regex.compile(r"\d+")
_ZH_NUM_RE = regex.compile(r"[一二三四五六七八九十百千万亿两〇]+")
_ZH_NEXT = str.maketrans("一二三四五六七八九两", "二三四五六七八九一三")


def _cut(text: str, keep: float, head: bool, sep: str) -> str:
    if sep:
        words = text.split(sep)
        k = max(1, round(len(words) * keep))
        if k >= len(words):
            k = len(words) - 1
        return sep.join(words[:k] if head else words[-k:])
    k = max(1, min(len(text) - 1, round(len(text) * keep)))
    return text[:k] if head else text[-k:]


def partial(b: Bead2, rng: random.Random) -> tuple[str, str] | None:
    """Cut one side of ``b`` (sentences if it has several, else 35–65 % of it)."""
    side = rng.choice(("src", "tgt"))
    sents = b.src if side == "src" else b.tgt
    sep = b.src_sep if side == "src" else b.tgt_sep
    text = sep.join(sents)
    if len(sents) >= 2:
        k = rng.randint(1, len(sents) - 1)
        cut = sep.join(sents[:k] if rng.random() < 0.5 else sents[-k:])
    else:
        unit_sep = sep if sep else ""
        if (unit_sep and len(text.split(unit_sep)) < 4) or (not unit_sep and len(text) < 6):
            return None
        cut = _cut(text, rng.uniform(0.35, 0.65), rng.random() < 0.6, unit_sep)
    if not cut.strip() or cut == text:
        return None
    return (cut, b.tgt_text) if side == "src" else (b.src_text, cut)


def change_numbers(text: str, rng: random.Random) -> str | None:
    """``text`` with one number changed, or ``None`` when it has none."""
    digits = list(_DIGIT_RE.finditer(text))
    if digits:
        m = rng.choice(digits)
        old = m.group()
        new = str(int(old) + rng.choice((1, 2, 3, 7, 10, -1)) if int(old) > 1 else int(old) + rng.randint(2, 9))
        if new == old or new.startswith("-"):
            new = old + "0"
        return text[: m.start()] + new + text[m.end() :]
    zh = [m for m in _ZH_NUM_RE.finditer(text) if len(m.group()) >= 2]
    if zh:
        m = rng.choice(zh)
        new = m.group().translate(_ZH_NEXT)
        if new != m.group():
            return text[: m.start()] + new + text[m.end() :]
    return None


_ZH_CLAUSE_RE = regex.compile(r"(?<=[，；,;])")
_EN_CLAUSE_RE = regex.compile(r"(?<=[,;])\s+")
_UNIT_RE = regex.compile(r"\p{Han}|[\p{L}\p{N}]+")


def drop_clause(text: str, rng: random.Random) -> str | None:
    """``text`` with one of its clauses (not the first/last only when there are three or more) left out."""
    han = bool(HAN_RE.search(text))
    parts = [p for p in (_ZH_CLAUSE_RE.split(text) if han else _EN_CLAUSE_RE.split(text)) if p.strip()]
    if len(parts) < 2:
        return None
    k = rng.randrange(1, len(parts)) if len(parts) >= 3 and rng.random() < 0.6 else rng.randrange(len(parts))
    dropped = parts[k]
    if len(_UNIT_RE.findall(dropped)) < 3:
        return None
    rest = parts[:k] + parts[k + 1 :]
    out = ("" if han else " ").join(rest).strip()
    if k == len(parts) - 1:  # the last clause carried the full stop
        end = regex.search(r"[。.!！?？]+$", dropped)
        out = regex.sub(r"[，,;；]\s*$", "", out) + (end.group() if end else "")
    return out if out and out != text else None


_SCALES = (("万亿", "亿"), ("亿", "万"), ("万", "亿"), ("trillion", "billion"), ("billion", "million"),
           ("million", "billion"), ("thousand", "million"))


def change_scale(text: str, rng: random.Random) -> str | None:
    """``text`` with a scale word swapped (``3亿`` → ``3万``, ``5 billion`` → ``5 million``), or two of
    its numbers swapped; ``None`` when neither is possible."""
    for a, b in rng.sample(_SCALES, len(_SCALES)):
        m = regex.search(r"(?<=\d\s*)" + a, text)
        if m:
            return text[: m.start()] + b + text[m.end() :]
    digits = [m for m in _DIGIT_RE.finditer(text)]
    values = {m.group() for m in digits}
    if len(values) >= 2:
        a_m, b_m = rng.sample(digits, 2)
        if a_m.group() != b_m.group():
            first, second = sorted((a_m, b_m), key=lambda m: m.start())
            return (text[: first.start()] + second.group() + text[first.end() : second.start()] + first.group()
                    + text[second.end() :])
    return None


def word_salad(text: str, rng: random.Random) -> str | None:
    """``text`` (Latin script) with its words reordered in windows of three to five."""
    words = text.split()
    if len(words) < 4:
        return None
    out: list[str] = []
    i = 0
    while i < len(words):
        w = rng.randint(3, 5)
        chunk = words[i : i + w]
        rng.shuffle(chunk)
        out.extend(chunk)
        i += w
    res = " ".join(out)
    return res if res != text else None


def garble(text: str, rng: random.Random) -> str:
    """Damage ``text``: a run of ``?`` replacements, or a mojibake stretch."""
    if len(text) < 4:
        return "?" * len(text)
    a = rng.randint(0, len(text) // 3)
    b = min(len(text), a + max(2, int(len(text) * rng.uniform(0.3, 0.7))))
    if rng.random() < 0.5 or text[a:b].isascii():
        mid = "".join("?" if not c.isspace() else c for c in text[a:b])
    else:
        mid = text[a:b].encode("utf-8").decode("latin-1")
    return text[:a] + mid + text[b:]


def make_negatives(
    beads: Sequence[Bead2],
    n: int,
    *,
    seed: int = 0,
    mix: dict[str, float] | None = None,
    boilerplate: Sequence[tuple[str, str]] = BOILERPLATE_FIT,
) -> list[Example]:
    """``n`` negatives from ``beads`` (deterministic for a seed), mixed as ``mix`` says.

    ``boilerplate`` lists the translated boilerplate lines the ``boilerplate`` kind draws from."""
    rng = random.Random(seed)
    mix = dict(DEFAULT_MIX if mix is None else mix)
    by_doc: dict[str, list[Bead2]] = {}
    for b in beads:
        by_doc.setdefault(b.doc, []).append(b)
    for docs in by_doc.values():
        docs.sort(key=lambda b: b.pos)
    with_numbers = [b for b in beads if change_numbers(b.src_text, rng) and change_numbers(b.tgt_text, rng)]
    kinds = [k for k in KINDS if mix.get(k, 0) > 0 and (k != "numbers" or with_numbers)
             and (k != "boilerplate" or boilerplate)]
    weights = [mix[k] for k in kinds]
    out: list[Example] = []
    tries = 0
    while len(out) < n and tries < n * 20:
        tries += 1
        kind = rng.choices(kinds, weights)[0]
        b = rng.choice(beads)
        pair: tuple[str, str] | None = None
        if kind == "shuffled":
            o = rng.choice(beads)
            if o.doc != b.doc or abs(o.pos - b.pos) > 3:
                pair = (b.src_text, o.tgt_text)
        elif kind == "neighbour":
            sib = by_doc[b.doc]
            i = sib.index(b)
            j = i + rng.choice((-1, 1))
            if 0 <= j < len(sib):
                pair = (b.src_text, sib[j].tgt_text)
        elif kind == "partial":
            pair = partial(b, rng)
        elif kind == "numbers":
            b = rng.choice(with_numbers)
            if rng.random() < 0.5:
                new = change_numbers(b.src_text, rng)
                pair = (new, b.tgt_text) if new else None
            else:
                new = change_numbers(b.tgt_text, rng)
                pair = (b.src_text, new) if new else None
        elif kind == "copy":
            pair = (b.src_text, b.src_text) if rng.random() < 0.5 else (b.tgt_text, b.tgt_text)
        elif kind == "wrong-lang":
            o = rng.choice(beads)
            pair = (b.src_text, o.src_text) if rng.random() < 0.5 else (o.tgt_text, b.tgt_text)
        elif kind == "garbled":
            if rng.random() < 0.5:
                pair = (garble(b.src_text, rng), b.tgt_text)
            else:
                pair = (b.src_text, garble(b.tgt_text, rng))
        elif kind == "clause":
            if rng.random() < 0.5:
                new = drop_clause(b.src_text, rng)
                pair = (new, b.tgt_text) if new else None
            else:
                new = drop_clause(b.tgt_text, rng)
                pair = (b.src_text, new) if new else None
        elif kind == "scale":
            if rng.random() < 0.5:
                new = change_scale(b.src_text, rng)
                pair = (new, b.tgt_text) if new else None
            else:
                new = change_scale(b.tgt_text, rng)
                pair = (b.src_text, new) if new else None
        elif kind == "salad":
            new = word_salad(b.tgt_text, rng)
            pair = (b.src_text, new) if new else None
        elif kind == "boilerplate":
            pair = rng.choice(list(boilerplate))
        if pair is None or not pair[0].strip() or not pair[1].strip():
            continue
        if kind == "partial":
            out.append(Example(pair[0], pair[1], 0, kind, b.doc, _rest(b.src_text, pair[0]), _rest(b.tgt_text, pair[1])))
        else:
            out.append(Example(pair[0], pair[1], 0, kind, b.doc))
    return out


def _rest(full: str, cut: str) -> str:
    """What ``cut`` (a head or tail of ``full``) left out; empty when nothing was cut."""
    if cut == full:
        return ""
    if full.startswith(cut):
        return full[len(cut):].strip()
    if full.endswith(cut):
        return full[: len(full) - len(cut)].strip()
    return ""


_END_PUNCT_RE = regex.compile(r"[.。!！?？…]+[\"'”’」』)）]*\s*$")


def style_variation(
    examples: Sequence[Example], share: float, *, seed: int = 0, lower: float = 0.4
) -> list[Example]:
    """``examples`` with a ``share`` of them (either class alike) given surface variation real text has
    and the development data lacks: the English side's final punctuation dropped (headlines, posts),
    or its first letter lower-cased (casual writing). Fitting on it keeps the cut-detection features
    (``end_mismatch``, ``lower_start``) from reading every such pair as truncated."""
    rng = random.Random(seed)
    out = []
    for e in examples:
        if rng.random() >= share:
            out.append(e)
            continue
        tgt = e.tgt
        if rng.random() >= lower:
            cut = _END_PUNCT_RE.sub("", tgt)
            tgt = cut if cut.strip() else tgt
        else:
            tgt = tgt[:1].lower() + tgt[1:]
        out.append(Example(e.src, tgt, e.label, e.kind, e.doc, e.src_rest, e.tgt_rest))
    return out


def positives(beads: Sequence[Bead2]) -> list[Example]:
    return [Example(b.src_text, b.tgt_text, 1, "positive", b.doc) for b in beads]
