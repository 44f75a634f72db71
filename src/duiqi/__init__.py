"""duiqi (对齐): noisy bilingual Chinese-English documents in, clean sentence-aligned pairs out.

Stages, one subpackage each: ``io`` (read) -> ``repair`` -> ``segment`` -> ``embed`` + ``align``
-> ``score`` (score and filter) -> ``export`` (write); ``run`` does it at corpus scale.
The records flowing through them are in :mod:`duiqi.records`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from duiqi.repair.model import RepairResult

__version__ = "0.1.0"

__all__ = ["__version__", "repair"]


def repair(text: str, **options: Any) -> RepairResult:
    """Repair crawl noise in ``text``; see :func:`duiqi.repair.repair` (imported lazily).

    Once ``duiqi.repair`` is imported, this name is the subpackage itself, which is callable the same way.
    """
    from duiqi.repair import repair as _repair

    return _repair(text, **options)
