from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duiqi.align import AlignConfig, align_documents, align_sentences
from duiqi.align.tokens import sentence_tokens, token_matrix
from duiqi.embed import FakeEncoder, get_encoder
from duiqi.records import Bead

ZH = "猫狗鱼鸟马牛羊虎龙蛇兔鸡猪鼠象熊狼鹿鹰蛙"
EN = ["cat", "dog", "fish", "bird", "horse", "cow", "sheep", "tiger", "dragon", "snake", "rabbit", "chicken", "pig", "mouse", "elephant", "bear", "wolf", "deer", "eagle", "frog"]
LEX = {**{z: e for z, e in zip(ZH, EN, strict=True)}, **{e: e for e in EN}}


def lexicon_encoder() -> FakeEncoder:
    return FakeEncoder(dim=512, lexicon={f" {k} " if k.isascii() else k: v for k, v in LEX.items()}, ngrams=False)


def synthetic(
    seed: int, n: int, weights: tuple[int, ...] = (6, 2, 2, 1, 1)
) -> tuple[list[str], list[str], list[Bead]]:
    """Random 'translations': each bead draws distinct animals; en side split 1-1, 1-2, 2-1 or deleted."""
    rng = random.Random(seed)
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Bead] = []
    for _ in range(n):
        words = rng.sample(range(len(ZH)), 4)
        kind = rng.choices(["11", "12", "21", "10", "01"], weights)[0]
        zh = "".join(ZH[w] for w in words)
        en = " " + " ".join(EN[w] for w in words) + " "
        half_zh = ["".join(ZH[w] for w in words[:2]), "".join(ZH[w] for w in words[2:])]
        half_en = [" " + " ".join(EN[w] for w in words[:2]) + " ", " " + " ".join(EN[w] for w in words[2:]) + " "]
        s0, t0 = len(src), len(tgt)
        if kind == "11":
            src.append(zh)
            tgt.append(en)
        elif kind == "12":
            src.append(zh)
            tgt.extend(half_en)
        elif kind == "21":
            src.extend(half_zh)
            tgt.append(en)
        elif kind == "10":
            src.append(zh)
        else:
            tgt.append(en)
        gold.append(Bead(tuple(range(s0, len(src))), tuple(range(t0, len(tgt)))))
    return src, tgt, gold


def assert_valid(beads: list[Bead], n: int, m: int, config: AlignConfig) -> None:
    src_ids = [i for b in beads for i in b.src_ids]
    tgt_ids = [j for b in beads for j in b.tgt_ids]
    assert src_ids == list(range(n)), "every source sentence once, in order"
    assert tgt_ids == list(range(m)), "every target sentence once, in order"
    for b in beads:
        p, q = b.shape
        assert (p, q) in {(1, 0), (0, 1)} or (p, q) in config.bead_types()
        assert list(b.src_ids) == list(range(b.src_ids[0], b.src_ids[0] + p)) if p else True


texts = st.lists(st.text(alphabet="ab cd猫狗。7", min_size=0, max_size=12), min_size=0, max_size=25)


@settings(max_examples=60, deadline=None)
@given(
    src=texts,
    tgt=texts,
    max_align=st.integers(1, 4),
    band=st.integers(1, 5),
    full=st.sampled_from([4_000_000, 40]),
    span=st.sampled_from(["concat", "mean", "both", "refine"]),
)
def test_beads_are_monotone_and_cover_everything(
    src: list[str], tgt: list[str], max_align: int, band: int, full: int, span: str
) -> None:
    config = AlignConfig(max_align=max_align, max_total=max(2, max_align + 1), band=band,
                         full_matrix_cells=full, span_embedding=span)  # type: ignore[arg-type]
    beads = align_sentences(src, tgt, encoder=FakeEncoder(dim=32), config=config)
    assert_valid(beads, len(src), len(tgt), config)


@pytest.mark.parametrize("span", ["concat", "mean", "refine"])
def test_synthetic_alignment_is_recovered(span: str) -> None:
    src, tgt, gold = synthetic(1, 60)
    config = AlignConfig(span_embedding=span)  # type: ignore[arg-type]
    beads = align_sentences(src, tgt, encoder=lexicon_encoder(), config=config)
    assert_valid(beads, len(src), len(tgt), config)
    pred = {(b.src_ids, b.tgt_ids) for b in beads}
    links = [(g.src_ids, g.tgt_ids) for g in gold if g.is_link]
    found = sum(k in pred for k in links)
    assert found >= 0.9 * len(links)


def test_long_document_takes_the_coarse_path() -> None:
    src, tgt, gold = synthetic(7, 400)
    links = [(g.src_ids, g.tgt_ids) for g in gold if g.is_link]
    found = {}
    for cells in (20_000, 10**9):  # coarse-to-fine anchors vs the full similarity matrix
        config = AlignConfig(full_matrix_cells=cells, span_embedding="mean")
        beads = align_sentences(src, tgt, encoder=lexicon_encoder(), config=config)
        assert_valid(beads, len(src), len(tgt), config)
        pred = {(b.src_ids, b.tgt_ids) for b in beads}
        found[cells] = sum(k in pred for k in links)
    assert found[20_000] >= 0.85 * len(links)
    assert found[20_000] >= found[10**9] - 0.02 * len(links)


def test_empty_sides() -> None:
    assert align_sentences([], ["a"], encoder=FakeEncoder()) == [Bead((), (0,))]
    assert align_sentences(["a", "b"], [], encoder=FakeEncoder()) == [Bead((0,), ()), Bead((1,), ())]


def test_link_scores_are_cosines() -> None:
    src, tgt, _ = synthetic(3, 10)
    for b in align_sentences(src, tgt, encoder=lexicon_encoder()):
        assert (-1.0 <= b.score <= 1.0) if b.is_link else b.score == 0.0


def test_tokens_dates_numbers_names() -> None:
    zh = sentence_tokens("2022年7月，重庆与Siemens签署了协议，见 https://example.com/a。", cjk=True)
    en = sentence_tokens("In July 2022 Chongqing signed a deal with Siemens, see https://example.com/a.", cjk=False)
    assert {"n:2022", "n:7", "w:siemens", "u:https://example.com/a"} <= set(zh)
    assert {"n:2022", "n:7", "w:siemens", "u:https://example.com/a"} <= set(en)
    assert "n:2022" in sentence_tokens("二〇二二年七月", cjk=True)
    assert "n:7" in sentence_tokens("二〇二二年七月", cjk=True)
    assert "n:1000" in sentence_tokens("1,000 Franken", cjk=False)
    s, t = token_matrix(["Er kam am 3. Mai nach Bern."], ["Il est arrivé à Berne le 3 mai.", "Rien."])
    assert s.sum() == 2 and t[0].sum() == 2 and t[1].sum() == 0  # 3 and May shared; Bern != Berne


def test_numbers_break_ties_between_similar_sentences() -> None:
    enc = FakeEncoder(dim=64, ngrams=False, lexicon={"x": "x"})
    src = ["x 1999年", "x 2004年", "x 2010年"]
    tgt = ["x in 1999", "x in 2004", "x in 2010"]
    beads = align_sentences(src, tgt, encoder=enc)
    assert [(b.src_ids, b.tgt_ids) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_align_documents_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    src, tgt, _ = synthetic(5, 12)
    pairs = align_documents("\n".join(src), "\n".join(tgt), pre_split=True, encoder=lexicon_encoder(), doc="d1")
    assert {p.doc for p in pairs} == {"d1"}
    assert pairs[0].src_lang == "zh"
    links = [p for p in pairs if "unaligned" not in p.flags]
    assert all(p.src and p.tgt for p in links)
    assert [i for p in pairs for i in p.src_ids] == list(range(len(src)))


@pytest.mark.slow
def test_real_use_encoder_small_zh_en() -> None:
    zh = [
        "今天早上下了一场大雨。",
        "我们在车站等了很久，公共汽车终于来了。",
        "司机说路上发生了事故。",
        "到了公司以后，我先喝了一杯咖啡。",
        "下午的会议讨论了明年的预算。",
    ]
    en = [
        "It rained heavily this morning.",
        "We waited at the station for a long time.",
        "The bus finally came.",
        "The driver said there had been an accident on the road.",
        "After arriving at the office, I first had a cup of coffee.",
        "The afternoon meeting discussed next year's budget.",
    ]
    beads = align_sentences(zh, en, encoder=get_encoder("use"))
    assert [(b.src_ids, b.tgt_ids) for b in beads] == [
        ((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,)),
    ]


def test_refine_encodes_fewer_spans_than_concat() -> None:
    from duiqi.embed import CachedEncoder

    src, tgt, gold = synthetic(11, 80, weights=(20, 1, 1, 0, 0))
    counts = {}
    for span in ("concat", "refine"):
        enc = CachedEncoder(lexicon_encoder())
        beads = align_sentences(src, tgt, encoder=enc, config=AlignConfig(span_embedding=span))  # type: ignore[arg-type]
        links = [(g.src_ids, g.tgt_ids) for g in gold if g.is_link]
        assert sum(k in {(b.src_ids, b.tgt_ids) for b in beads} for k in links) >= 0.9 * len(links)
        counts[span] = enc.encoded
    assert counts["refine"] < counts["concat"]


def test_lexicon_required_but_wrong_pair_is_an_error() -> None:
    from duiqi.errors import DuiqiError

    with pytest.raises(DuiqiError, match="Chinese-English"):
        align_sentences(["Guten Tag."], ["Bonjour."], encoder=FakeEncoder(),
                        config=AlignConfig(lexicon="cedict", lexical_weight=0.2))


def test_aux_encoder_channel_keeps_alignment_valid() -> None:
    src, tgt, gold = synthetic(13, 40)
    beads = align_sentences(src, tgt, encoder=lexicon_encoder(), aux=FakeEncoder(dim=16),
                            config=AlignConfig(aux_weight=0.2))
    assert_valid(beads, len(src), len(tgt), AlignConfig())
    links = [(g.src_ids, g.tgt_ids) for g in gold if g.is_link]
    assert sum(k in {(b.src_ids, b.tgt_ids) for b in beads} for k in links) >= 0.85 * len(links)


def test_coarse_path_survives_a_repeated_document() -> None:
    src, tgt, gold = synthetic(17, 60, weights=(6, 1, 1, 0, 0))
    times = 6
    src6, tgt6 = src * times, tgt * times
    config = AlignConfig(full_matrix_cells=5_000, span_embedding="mean")
    beads = align_sentences(src6, tgt6, encoder=lexicon_encoder(), config=config)
    assert_valid(beads, len(src6), len(tgt6), config)
    pred = {(b.src_ids, b.tgt_ids) for b in beads}
    links = [
        (tuple(i + k * len(src) for i in g.src_ids), tuple(j + k * len(tgt) for j in g.tgt_ids))
        for k in range(times) for g in gold if g.is_link
    ]
    assert sum(x in pred for x in links) >= 0.85 * len(links)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 6)), min_size=1, max_size=20), st.integers(1, 30))
def test_transposed_band_matches_brute_force(steps: list[tuple[int, int]], m: int) -> None:
    import numpy as np

    from duiqi.align.anchors import Band, _monotone, transpose

    lo = np.cumsum([a for a, _ in steps])
    hi = lo + np.asarray([b for _, b in steps])
    band: Band = _monotone(lo, hi, m)
    t = transpose(band, len(lo), m)
    for j in range(m):
        rows = [i for i in range(len(lo)) if band.lo[i] <= j < band.hi[i]]
        if rows:
            assert (t.lo[j], t.hi[j]) == (rows[0], rows[-1] + 1)
        else:
            assert t.hi[j] == t.lo[j]


def test_bead_scores_for_several_shapes_at_once_match_one_by_one() -> None:
    import numpy as np

    from duiqi.align.search import Weights, bead_scores, bead_scores_q, make_features

    rng = np.random.default_rng(1)
    n, m = 30, 35
    f = make_features(rng.integers(5, 50, n), rng.integers(5, 50, m), rng.random(n), rng.random(m),
                      rng.integers(0, 2, (n, 8)).astype(float), rng.integers(0, 2, (m, 8)).astype(float), 1.3)
    for mode in ("sq", "factor"):
        w = Weights(-0.2, 0.1, 0.3, -0.03, 0.15, length_mode=mode, shape_bias=((2, 1, 0.05),))
        ps, js = [1, 2, 3], np.arange(2, 20)
        cos = rng.random((len(js), len(ps)))
        got = bead_scores_q(cos, ps, 2, 12, js, f, w)
        one_by_one = np.stack([bead_scores(cos[:, k], p, 2, 12, js, f, w) for k, p in enumerate(ps)], 1)
        np.testing.assert_allclose(got, one_by_one, rtol=1e-12, atol=1e-12)
