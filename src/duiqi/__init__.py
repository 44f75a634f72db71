"""duiqi (对齐): noisy bilingual Chinese-English documents in, clean sentence-aligned pairs out.

Stages, one subpackage each: ``io`` (read) -> ``repair`` -> ``segment`` -> ``embed`` + ``align``
-> ``score`` (score and filter) -> ``export`` (write); ``run`` does it at corpus scale.
The records flowing through them are in :mod:`duiqi.records`.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
