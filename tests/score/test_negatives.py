from __future__ import annotations

import random

from duiqi.score.negatives import KINDS, Bead2, change_numbers, garble, make_negatives, partial, positives

BEADS = [
    Bead2(("2022年7月，我们去了北京。",), ("In July 2022 we went to Beijing.",), "d", 0),
    Bead2(("他们接待了十二个代表团。", "会议很成功。"), ("They received twelve delegations.",), "d", 1),
    Bead2(("今天天气很好。",), ("The weather is nice today.",), "d", 2),
    Bead2(("我们明天去上海参加会议。",), ("Tomorrow we go to Shanghai for a meeting.",), "d", 3),
    Bead2(("出口增长了30%。",), ("Exports grew by 30%.",), "e", 0),
    Bead2(("他在联合国工作了三十年。",), ("He worked at the United Nations for thirty years.",), "e", 1),
]


def test_make_negatives_is_deterministic_and_mixed() -> None:
    a = make_negatives(BEADS, 300, seed=1)
    b = make_negatives(BEADS, 300, seed=1)
    assert a == b and len(a) == 300
    assert {e.label for e in a} == {0}
    assert {e.kind for e in a} == set(KINDS)
    pos = {(p.src, p.tgt) for p in positives(BEADS)}
    assert not [e for e in a if (e.src, e.tgt) in pos]


def test_generators() -> None:
    rng = random.Random(0)
    assert change_numbers("In July 2022 we went.", rng) != "In July 2022 we went."
    assert change_numbers("他们接待了十二个代表团。", rng) == "他们接待了十三个代表团。"
    assert change_numbers("no numbers", rng) is None
    g = garble("The weather is nice today.", rng)
    assert g != "The weather is nice today." and "?" in g
    cut = partial(BEADS[1], random.Random(3))
    assert cut is not None and cut != (BEADS[1].src_text, BEADS[1].tgt_text)


def test_style_variation_changes_a_share_of_both_classes() -> None:
    from duiqi.score.negatives import Example, style_variation

    ex = [Example("你好。", "Hello there.", i % 2, "positive" if i % 2 else "shuffled", "d") for i in range(400)]
    out = style_variation(ex, 0.25, seed=1)
    changed = [(a, b) for a, b in zip(ex, out, strict=True) if a.tgt != b.tgt]
    assert 60 < len(changed) < 140
    assert {a.label for a, _ in changed} == {0, 1}
    assert all(b.tgt in ("Hello there", "hello there.") for _, b in changed)
    assert style_variation(ex, 0.25, seed=1) == out
