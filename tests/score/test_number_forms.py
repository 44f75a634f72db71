"""Numbers and dates written the way each language writes them (issue 13): pairs that translate each
other must agree, pairs whose numbers differ must not. Sentences written for these tests in the style
of news / official / financial text."""

from __future__ import annotations

import pytest

from duiqi.records import Pair
from duiqi.score import filter_pairs
from duiqi.text.numbers import number_mismatch, numbers, parse_zh_numeral

AGREE = [
    # scales: 万 / 亿 / 万亿 against thousand / million / billion / trillion
    ("美国国债总额已超过34万亿美元。", "US national debt has passed $34 trillion."),
    ("全国社会物流总额达347.6万亿元。", "Total social logistics reached 347.6 trillion yuan."),
    ("该项目投资5.3亿美元。", "The project cost $530 million."),
    ("该公司去年亏损50亿欧元。", "The company lost €5bn last year."),
    ("全市常住人口3200万。", "The city has a resident population of 32 million."),
    ("全年接待游客1.2万人次。", "It received 12,000 visitors over the year."),
    ("这笔交易价值约3千亿日元。", "The deal is worth about 300 billion yen."),
    ("他们筹集了五万美元。", "They raised $50k."),
    # Chinese numerals
    ("三万亿元的刺激计划", "a three trillion yuan stimulus plan"),
    ("二〇二二年，全省粮食总产量创历史新高。", "In 2022, the province's grain output hit a record high."),
    ("会议持续了十二天。", "The meeting lasted twelve days."),
    ("这座桥长三百五十米。", "The bridge is 350 metres long."),
    # ranges and decades
    ("1981年至1987年，他担任该校校长。", "He was the school's president from 1981-87."),
    ("2019—2021年的数据显示出同样的趋势。", "Data for 2019-21 show the same trend."),
    ("这种风格在80年代很流行。", "This style was popular in the 1980s."),
    ("他三十多岁时移居上海。", "He moved to Shanghai in his thirties."),
    ("我是在20世纪70年代长大的。", "I grew up in the 1970s."),
    ("这四十年的故事从那一天开始。", "The story spans four decades, and it began that day."),
    # approximate counts with a scale
    ("这光来自一百多亿年前。", "The light came from more than ten billion years ago."),
    ("全市新增人口100多万。", "The city gained more than a million residents."),
    # percentages
    ("出口增长了百分之三十。", "Exports rose by 30 per cent."),
    ("约三成受访者表示满意。", "About 30% of respondents said they were satisfied."),
    ("失业率下降了0.5个百分点。", "Unemployment fell by 0.5 percentage points."),
    # ordinals
    ("这是他第三次访问中国。", "This is his third visit to China."),
    ("第21届冬奥会在温哥华举行。", "The 21st Winter Olympics were held in Vancouver."),
    # currencies and dates, times
    ("门票售价200元。", "Tickets cost ¥200."),
    ("2023年7月1日起施行。", "It takes effect on July 1, 2023."),
    ("会议于下午3点开始。", "The meeting starts at 15:00."),
]

#: Forms that carry only weak values (may match, never required to): ``三成``, ``第三``, ``一百多亿``.
WEAK_ONLY = {"约三成受访者表示满意。", "这是他第三次访问中国。", "这光来自一百多亿年前。", "全市新增人口100多万。"}

DISAGREE = [
    ("美国国债总额已超过34万亿美元。", "US national debt has passed $34 billion."),
    ("该项目投资5.3亿美元。", "The project cost $53 million."),
    ("1981年至1987年，他担任该校校长。", "He was the school's president from 1981-89."),
    ("出口增长了百分之三十。", "Exports rose by 40 per cent."),
    ("二〇二二年，全省粮食总产量创历史新高。", "In 2021, the province's grain output hit a record high."),
    ("全市常住人口3200万。", "The city has a resident population of 3.2 million."),
]


@pytest.mark.parametrize(("zh", "en"), AGREE)
def test_numbers_written_differently_agree(zh: str, en: str) -> None:
    missing, total = number_mismatch(numbers(zh), numbers(en))
    assert missing == 0, (numbers(zh), numbers(en))
    assert total > 0 or zh in WEAK_ONLY  # approximate / word forms: nothing to disagree on


@pytest.mark.parametrize(("zh", "en"), DISAGREE)
def test_different_numbers_disagree(zh: str, en: str) -> None:
    missing, _ = number_mismatch(numbers(zh), numbers(en))
    assert missing > 0, (numbers(zh), numbers(en))


@pytest.mark.parametrize(("text", "value"), [("三万亿", 3e12), ("一万二千", 12000), ("两千零五", 2005),
                                             ("三百五十", 350), ("二〇二二", 2022), ("十亿", 1e9)])
def test_chinese_numerals(text: str, value: float) -> None:
    assert parse_zh_numeral(text) == value


def test_currency_scale_letters_only_after_a_currency_sign() -> None:
    assert numbers("a 5m long wall")[0] == frozenset({"5"})
    assert numbers("a $5m deal")[0] == frozenset({"5000000"})


def test_issue_cases_pass_the_number_filter() -> None:
    """``34万亿美元 ↔ $34 trillion`` (the example in the report) and ``1981年至1987年 ↔ from 1981-87``
    were rejected for their numbers."""
    pairs = [Pair("全球公共债务达34万亿美元。", "Global public debt reached $34 trillion.", "zh", "en", 0.72),
             Pair("1981年至1987年，他在北京工作。", "From 1981-87 he worked in Beijing.", "zh", "en", 0.70)]
    out = filter_pairs(pairs)
    assert [r.reasons for r in out.rejected] == []
    assert all(p.quality is not None and p.quality >= 0.7 for p in out.kept)


@pytest.mark.slow
def test_issue_cases_with_the_real_encoder() -> None:
    """The issue's two number cases, similarity from the bundled USE encoder: good pairs, kept."""
    from duiqi.embed import get_encoder
    from duiqi.score import FilterConfig, score_pairs

    pairs = [Pair("美国国债总额已超过34万亿美元。", "US national debt has passed $34 trillion.", "zh", "en", 0.0),
             Pair("1981年至1987年，他担任该校校长。", "He was the school's president from 1981-87.", "zh", "en", 0.0)]
    scored = score_pairs(pairs, get_encoder("use"))
    assert all(p.quality is not None and p.quality >= FilterConfig().min_quality for p in scored), scored  # type: ignore[operator]
    assert not filter_pairs(scored).rejected
