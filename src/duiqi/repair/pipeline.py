"""The repair pipeline: fixers in the order that works (NOISE.md §5), a replayable plan, flags.

Order: ``html`` (entities, hidden tags, keyword lines) -> ``mojibake`` (must precede any script
conversion: the byte relation of UTF-8-read-as-GBK breaks once characters are converted) -> document
analysis on that text -> ``gbk`` slips -> ``pinyin`` (SEO annotations) -> ``script`` -> ``width`` ->
``spacing`` -> ``nbsp`` -> ``flags``. The whole sequence is repeated until it makes no edit (at most
three passes), which makes :func:`repair` idempotent by construction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from duiqi.repair import gbk, html, mojibake, pinyin, punct, qmark, script
from duiqi.repair._edits import Outcome, apply_edits, map_flags
from duiqi.repair.model import Flag, RepairOptions, RepairResult, Step

MAX_PASSES = 3

EXPLANATIONS: dict[str, str] = {
    html.NAME: html.EXPLANATION,
    mojibake.NAME: mojibake.EXPLANATION,
    gbk.NAME: gbk.EXPLANATION,
    pinyin.NAME: pinyin.EXPLANATION,
    script.NAME: script.EXPLANATION,
    punct.NAME_WIDTH: punct.EXPLANATION_WIDTH,
    punct.NAME_SPACING: punct.EXPLANATION_SPACING,
    qmark.NAME: qmark.EXPLANATION,
    "flags": "flags only: what could not be repaired (no edit)",
}


@dataclass
class _Pass:
    """State shared by the fixers of one pass (document signals decided on the pass input)."""

    options: RepairOptions
    signals: dict[str, object] = field(default_factory=dict)
    seo: bool = False
    hijacked: bool = False
    analyzed: tuple[str, pinyin.PinyinAnalysis] | None = None


def _run_html(text: str, st: _Pass) -> Outcome:
    out = html.fix(text)
    removed_structure = any(e.note.startswith(("hidden", "injected")) for e in out.edits)
    st.hijacked = st.hijacked or removed_structure
    return out


def _run_mojibake(text: str, st: _Pass) -> Outcome:
    out = mojibake.fix(text)
    return out if st.options.flags else Outcome(out.text, out.edits)


def _analyze(text: str, st: _Pass) -> None:
    if st.options.pinyin or st.options.gbk or st.options.script == "auto":
        analysis = pinyin.analyze(text)
        st.analyzed = (text, analysis)
        st.seo = analysis.seo
        st.signals.update(analysis.summary())


def _run_gbk(text: str, st: _Pass) -> Outcome:
    return gbk.fix(text, st.seo, flags=st.options.flags)


def _run_pinyin(text: str, st: _Pass) -> Outcome:
    cached = st.analyzed[1] if st.analyzed is not None and st.analyzed[0] is text else None
    return pinyin.fix(text, seo=st.seo, flags=st.options.flags, analysis=cached)


def _run_script(text: str, st: _Pass) -> Outcome:
    config, reason = script.decide(text, st.options.script, st.seo, st.hijacked)
    st.signals["script"] = config or "kept"
    st.signals["script_reason"] = reason
    return script.fix(text, config)


def _run_width(text: str, st: _Pass) -> Outcome:
    return punct.fix_width(text, mechanical=st.seo)


def _run_spacing(text: str, st: _Pass) -> Outcome:
    return punct.fix_spacing(text)


def _run_nbsp(text: str, st: _Pass) -> Outcome:
    return qmark.fix_nbsp(text)


def _run_flags(text: str, st: _Pass) -> Outcome:
    return qmark.fix_flags(text)


_Runner = Callable[[str, _Pass], Outcome]

# (step name, option that enables it, runner)
PIPELINE: tuple[tuple[str, str, _Runner], ...] = (
    (html.NAME, "html", _run_html),
    (mojibake.NAME, "mojibake", _run_mojibake),
    (gbk.NAME, "gbk", _run_gbk),
    (pinyin.NAME, "pinyin", _run_pinyin),
    (script.NAME, "script", _run_script),
    (punct.NAME_WIDTH, "punctuation", _run_width),
    (punct.NAME_SPACING, "spacing", _run_spacing),
    (qmark.NAME, "nbsp", _run_nbsp),
    ("flags", "flags", _run_flags),
)


def _enabled(options: RepairOptions, option: str) -> bool:
    if option == "script":
        return options.script != "keep"
    return bool(getattr(options, option))


def _one_pass(text: str, options: RepairOptions) -> tuple[str, list[Step], list[Flag], dict[str, object]]:
    st = _Pass(options)
    steps: list[Step] = []
    flags: list[Flag] = []
    for name, option, run in PIPELINE:
        if name == gbk.NAME:
            _analyze(text, st)
        if not _enabled(options, option):
            continue
        out = run(text, st)
        # flags arrive in this step's input coordinates: map them (and earlier ones) through its edits
        flags = map_flags([*flags, *out.flags], out.edits) if out.edits else [*flags, *out.flags]
        if out.edits:
            steps.append(Step(name, out.edits))
        text = out.text
    return text, steps, flags, st.signals


#: Texts longer than this are repaired paragraph-chunk by chunk (each chunk a document of its own for the
#: document-level decisions), which bounds the working memory of the fixers; the result is one text and one
#: replayable plan, as for a short text.
CHUNK_CHARS = 1_000_000


def _chunks(text: str, size: int) -> list[str]:
    """``text`` cut after line ends into pieces of about ``size`` characters (a paragraph break ``\n\n``
    is preferred within the last tenth of a piece; a text without line ends is cut at ``size``)."""
    out: list[str] = []
    pos = 0
    n = len(text)
    while n - pos > size:
        end = pos + size
        cut = text.rfind("\n\n", end - size // 10, end)
        if cut < 0:
            cut = text.rfind("\n", pos + size // 2, end)
        cut = end if cut < 0 else cut + 1
        out.append(text[pos:cut])
        pos = cut
    out.append(text[pos:])
    return out


def repair_text(text: str, options: RepairOptions) -> RepairResult:
    if len(text) <= CHUNK_CHARS:
        return _repair_one(text, options)
    from dataclasses import replace

    plan: list[Step] = []
    flags: list[Flag] = []
    signals: dict[str, object] = {}
    done = 0  # length of the repaired chunks before the current one (their final text)
    texts: list[str] = []
    for n, chunk in enumerate(_chunks(text, CHUNK_CHARS)):
        result = _repair_one(chunk, options)
        for step in result.plan:
            plan.append(Step(step.fixer, tuple(replace(e, start=e.start + done, end=e.end + done)
                                               for e in step.edits)))
        flags.extend(replace(f, start=f.start + done, end=f.end + done) for f in result.flags)
        if n == 0:
            signals = dict(result.signals)
        done += len(result.text)
        texts.append(result.text)
    signals["chunks"] = len(texts)
    return RepairResult("".join(texts), tuple(plan), tuple(flags), signals)


def _repair_one(text: str, options: RepairOptions) -> RepairResult:
    plan: list[Step] = []
    flags: list[Flag] = []
    signals: dict[str, object] = {}
    for i in range(MAX_PASSES):
        new, steps, pass_flags, pass_signals = _one_pass(text, options)
        if i == 0:
            signals = pass_signals
        if not steps:
            flags = _dedupe([*flags, *pass_flags])
            break
        for step in steps:
            flags = map_flags(flags, step.edits)
        # flags of the pass are in `new` coordinates already
        flags = [*flags, *pass_flags]
        plan.extend(steps)
        text = new
    else:
        flags = _dedupe(flags)
    signals["passes"] = i + 1
    return RepairResult(text, tuple(plan), tuple(flags), signals)


def _dedupe(flags: list[Flag]) -> list[Flag]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for f in sorted(flags, key=lambda f: (f.start, f.end, f.kind)):
        key = (f.kind, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def apply_plan(text: str, plan: tuple[Step, ...] | list[Step]) -> str:
    """Replay a plan (from :attr:`RepairResult.plan`) on the same input; raises ValueError on mismatch."""
    for step in plan:
        text = apply_edits(text, step.edits)
    return text


def explain(result: RepairResult) -> list[str]:
    """One line per edit and per flag, for people."""
    lines = []
    for n, step in enumerate(result.plan, 1):
        why = EXPLANATIONS.get(step.fixer, step.fixer)
        lines.append(f"step {n}: {step.fixer} — {why} ({len(step.edits)} edit{'s' * (len(step.edits) != 1)})")
        for e in step.edits:
            note = f"  [{e.note}]" if e.note else ""
            lines.append(f"  {e.fixer}\t{e.start}-{e.end}\t{e.before!r} -> {e.after!r}{note}")
    for f in result.flags:
        lines.append(f"flag {f.kind}\t{f.start}-{f.end}\t{result.text[f.start:f.end]!r}\t{f.detail}")
    return lines
