"""Repair crawled Chinese/English text: pure fixers, a replayable plan, flags for what is lost.

>>> from duiqi.repair import repair, apply_plan
>>> r = repair("充分發(fā)揮領(lǐng)事機(jī)構(gòu)的作用,共建渠道")
>>> r.text
'充分发挥领事机构的作用，共建渠道'
>>> apply_plan("充分發(fā)揮領(lǐng)事機(jī)構(gòu)的作用,共建渠道", r.plan) == r.text
True

Fixers, in the order they run (each one a module with the rules it follows):

==============  =====================================================================  ==============
step            what                                                                    option
==============  =====================================================================  ==============
``html``        HTML entities, hidden empty tags of hijacked pages, spam keyword lines   ``html``
``mojibake``    UTF-8 read as GBK (``鍙戝睍``), as cp1252 (ftfy, Chinese-safe)             ``mojibake``
``gbk``         injector slips: phantom pinyin ``?fàn)``, letters ``F(xiàn)``             ``gbk``
``pinyin``      SEO pinyin ``發(fā)展`` (document gate), toneless spam flagged          ``pinyin``
``script``      OpenCC t2s where the conversion was mechanical (``auto``)               ``script``
``width``       ASCII ``,:;!?()`` next to CJK back to full width; ``ＷＴＯ`` -> ``WTO``    ``punctuation``
``spacing``     ``Wilson,Ambassador`` -> ``Wilson, Ambassador``                           ``spacing``
``nbsp``        ``?`` that stood for a no-break space                                     ``nbsp``
``flags``       ``lossy-latin`` (``Du?an``), ``lost-bytes`` (``锟斤拷``, U+FFFD)             ``flags``
==============  =====================================================================  ==============

Flags raised on the way: ``pinyin-spam``, ``gbk-slip``, ``mojibake-lost``, ``lossy-latin``,
``lost-bytes``; each carries ``start``/``end`` in the repaired text (``r.flags``). Every fixer can be
switched off (``repair(text, pinyin=False, script="keep")``); see :class:`RepairOptions`. The plan
(``r.plan``) lists every edit in the coordinates of its step and replays with :func:`apply_plan`.
"""

from __future__ import annotations

from collections.abc import Callable

from duiqi.errors import ConfigError
from duiqi.repair.model import Edit, Flag, RepairOptions, RepairResult, Script, Step
from duiqi.repair.pipeline import EXPLANATIONS, PIPELINE, apply_plan, explain, repair_text
from duiqi.repair.qmark import restore_lossy_latin

__all__ = [
    "EXPLANATIONS",
    "Edit",
    "Flag",
    "RepairOptions",
    "RepairResult",
    "Step",
    "apply_plan",
    "explain",
    "fixer",
    "repair",
    "restore_lossy_latin",
]


def repair(text: str, options: RepairOptions | None = None, **kwargs: object) -> RepairResult:
    """Repair ``text``. Options are :class:`RepairOptions` fields (``script='keep'``, ``pinyin=False``...)."""
    if options is None:
        options = RepairOptions.from_kwargs(**kwargs)
    elif kwargs:
        raise TypeError("pass either options= or keyword options, not both")
    if not isinstance(text, str):
        raise TypeError(f"repair() needs str, not {type(text).__name__}; decode bytes with duiqi.io first")
    return repair_text(text, options)


def fixer(name: str, script: Script = "simplified") -> Callable[[str], str]:
    """One fixer alone as a pure ``str -> str`` function (all others off), e.g. ``fixer('pinyin')``.

    For ``fixer('script')`` the ``script`` argument says which conversion (default: simplified).
    """
    from dataclasses import replace

    names = {n: opt for n, opt, _ in PIPELINE}
    if name not in names:
        raise ConfigError(f"unknown fixer {name!r}; known: {', '.join(names)}")
    option = names[name]
    if option == "script":
        opts = replace(RepairOptions.all_off(), script=script)
    else:
        opts = replace(RepairOptions.all_off(), **{option: True})  # type: ignore[arg-type]

    def run(text: str) -> str:
        return repair(text, opts).text

    run.__name__ = f"fix_{name}"
    run.__doc__ = EXPLANATIONS.get(name, name)
    return run
