"""Segmentation: documents to language-tagged blocks and sentences.

- :func:`blocks` — a :class:`~duiqi.records.Document` to ordered :class:`~duiqi.records.Block` records
  (lines/paragraphs, mixed-language lines split into single-language runs), each with ``lang``
  (``zh``/``en``/``other``/``mixed``/``none``), ``script`` (``hans``/``hant``) and ``kind``.
- :func:`split_sentences` — sentence spans of one text.
- :func:`sentences` — blocks to :class:`~duiqi.records.Sentence` records (index = position on the
  sentence's language side, in document order).
"""

from duiqi.segment.blocks import blocks, detect_language, paragraph_spans
from duiqi.segment.kinds import block_kind
from duiqi.segment.langid import (
    LatinIdentifier,
    PairIdentifier,
    Py3LangidIdentifier,
    StopwordIdentifier,
    chinese_script,
    latin_lang,
)
from duiqi.segment.sentences import join_lines, sentences, split_sentences

__all__ = [
    "LatinIdentifier",
    "PairIdentifier",
    "Py3LangidIdentifier",
    "StopwordIdentifier",
    "block_kind",
    "blocks",
    "chinese_script",
    "detect_language",
    "join_lines",
    "latin_lang",
    "paragraph_spans",
    "sentences",
    "split_sentences",
]
