"""Hand-made pairs for the score tests (written for these tests; no shared data)."""

from __future__ import annotations

import pytest

from duiqi.records import Pair


def P(src: str, tgt: str, score: float, **kw: object) -> Pair:
    return Pair(src, tgt, "zh", "en", score, **kw)  # type: ignore[arg-type]


GOOD = [
    P("2022年7月，重庆市外事办公室接待了十二个代表团。",
      "In July 2022, the Chongqing Foreign Affairs Office received twelve delegations.", 0.78),
    P("新馆面积为12000平方米，投资1.2亿元。",
      "The new hall covers 12,000 square metres and cost 120 million yuan.", 0.71),
    P("我们明天去北京参加会议。", "We are going to Beijing tomorrow for a meeting.", 0.74),
    P("他在联合国工作了三十年。", "He worked at the United Nations for thirty years.", 0.69),
    P("出口增长了百分之三十。", "Exports grew by 30%.", 0.66),
    P("请访问 www.example.org 了解详情。", "Please visit www.example.org for details.", 0.72),
    P("GDP 增长超过预期。", "GDP growth exceeded expectations.", 0.70),
    P("今天天气很好。", "The weather is nice today.", 0.81),
]

BAD = {
    "shuffled": P("我们明天去北京参加会议。", "Exports grew by 30%.", 0.05),
    "numbers": P("新馆面积为12000平方米。", "The new hall covers 15,000 square metres.", 0.72),
    "copy": P("The weather is nice today.", "The weather is nice today.", 1.0),
    "wrong-language": P("我们明天去北京参加会议。", "我们明天去北京参加会议了吗？", 0.9),
    "partial": P("2022年7月，重庆市外事办公室接待了十二个代表团，并举办了三十多场交流活动，签署了五项合作协议。",
                 "In July 2022,", 0.45),
    "garbled": P("请访问我们的网站了解详情。", "Please visit our ???? ?? ??????? ??? ?????.", 0.4),
}


@pytest.fixture
def good_pairs() -> list[Pair]:
    return list(GOOD)


@pytest.fixture
def bad_pairs() -> dict[str, Pair]:
    return dict(BAD)
