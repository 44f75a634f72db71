from __future__ import annotations

from duiqi.records import Pair
from duiqi.score import Deduplicator, dedup_key
from duiqi.score.dedup import normalise


def P(src: str, tgt: str) -> Pair:
    return Pair(src, tgt, "zh", "en", 0.5)


def test_normalise() -> None:
    assert normalise("Ｈｅｌｌｏ， World!  第３页") == normalise("hello world 第12页") == "helloworld第0页"
    assert normalise("Page 3", digits=False) == "page3"


def test_near_duplicates_share_a_key() -> None:
    a = P("今天天气很好。", "The weather is nice today.")
    b = P("今天天气很好", "the weather is nice today")
    c = P("今天天气很好。", "The weather is nice tomorrow.")
    assert dedup_key(a) == dedup_key(b) != dedup_key(c)
    assert dedup_key(a, "src") == dedup_key(c, "src")
    assert 0 <= dedup_key(a) < 2**64


def test_seen_across_flushes() -> None:
    d = Deduplicator(buffer=3)
    pairs = [P(f"句子{i}", f"sentence {'x' * i}") for i in range(10)]
    assert [d.seen(p) for p in pairs] == [False] * 10
    assert len(d) == 10
    assert d.nbytes == 9 * 8  # nine keys merged into the uint64 array, one still buffered
    assert all(d.seen(p) for p in pairs)
    assert d.duplicates == 10 and d.checked == 20
    assert list(d.unique([P("新", "new"), P("新", "New!")])) == [P("新", "new")]
