"""Sentence alignment: many-to-many beads between a document and its translation.

``align_sentences(src, tgt, encoder=..., config=AlignConfig())`` -> beads (monotone, covering every
sentence once); ``align_documents(src_text, tgt_text, ...)`` -> pairs; :mod:`duiqi.align.evaluate`
scores bead files (strict / lax precision, recall, F1).
"""

from duiqi.align.config import AlignConfig
from duiqi.align.core import align_documents, align_sentences, detect_lang, split_text
from duiqi.align.evaluate import Scores, evaluate, evaluate_paths, read_beads

__all__ = [
    "AlignConfig",
    "Scores",
    "align_documents",
    "align_sentences",
    "detect_lang",
    "evaluate",
    "evaluate_paths",
    "read_beads",
    "split_text",
]
