"""Injection simulated on our own sentences: the SEO pinyin gate must catch it at any rate, and leave the
same text alone when the glosses are a textbook's (random characters, invariant ones included)."""

from __future__ import annotations

import random

import pytest
from pypinyin import Style, lazy_pinyin

from duiqi.repair import _chars, repair
from duiqi.text.scripts import is_ideograph

# Written for these tests.
PARAGRAPHS = [
    "这座城市近年来大力发展现代服务业，吸引了许多外国企业在这里设立区域总部。",
    "研究人员对三千名学生进行了问卷调查，结果显示，大多数学生每天阅读的时间不足一个小时。",
    "会议期间，双方就经济、贸易、教育和旅游等领域的合作交换了意见，并签署了多项协议。",
    "随着网络技术的普及，越来越多的老年人开始使用手机支付，生活变得更加方便。",
    "该项目计划在三年内完成，总投资约为二十亿元，建成后将为当地带来大量就业机会。",
]
TEXT = "\n".join(PARAGRAPHS)


def inject(text: str, rate: float, rnd: random.Random) -> tuple[str, int]:
    per = lazy_pinyin(text, style=Style.TONE, errors=lambda x: list(x))
    trad_text = _chars.convert(text, "s2t")
    assert len(per) == len(text) == len(trad_text)
    trad = _chars.traditional_only()
    chosen = {c for c in sorted(set(trad_text)) if c in trad and rnd.random() < rate}
    out, n = [], 0
    for ch, p in zip(trad_text, per, strict=True):
        out.append(ch)
        if ch in chosen and p != ch:
            out.append(f"({p})")
            n += 1
    return "".join(out), n


@pytest.mark.parametrize("rate", [0.15, 0.3, 0.5, 0.8, 1.0])
def test_injection_is_removed(rate: float) -> None:
    injected, n = inject(TEXT, rate, random.Random(int(rate * 100)))
    assert n > 0
    result = repair(injected)
    assert "(" not in result.text
    assert result.text == _chars.convert(_chars.convert(TEXT, "s2t"), "t2s")
    assert result.signals["seo_pinyin"] is True


@pytest.mark.parametrize("seed", range(5))
def test_textbook_glosses_on_any_character_are_left_alone(seed: int) -> None:
    rnd = random.Random(seed)
    per = lazy_pinyin(TEXT, style=Style.TONE, errors=lambda x: list(x))
    for text in (TEXT, _chars.convert(TEXT, "s2t")):
        glossed = "".join(f"{ch}({p})" if is_ideograph(ch) and rnd.random() < 0.2 else ch
                          for ch, p in zip(text, per, strict=True))
        assert repair(glossed).text == glossed


@pytest.mark.parametrize("config", ["s2t", "s2hk", "s2tw", "s2twp"])
def test_genuine_traditional_of_every_region_is_kept(config: str) -> None:
    text = _chars.convert(TEXT, config)
    result = repair(text)
    assert result.text == text
    assert result.signals["script"] == "kept"
