"""Records of the repair stage: options, edits, flags, the replayable plan and the result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Literal

from duiqi.errors import ConfigError

Script = Literal["auto", "simplified", "traditional", "keep"]
SCRIPTS: tuple[str, ...] = ("auto", "simplified", "traditional", "keep")


@dataclass(frozen=True, slots=True)
class RepairOptions:
    """Which fixers run. Every fixer can be switched off; ``script='keep'`` leaves the script alone.

    The defaults are safe for Chinese: nothing is folded to half width, quotes stay curly,
    and pinyin is only removed where the whole document shows the SEO-injection signature.
    """

    script: Script = "auto"
    html: bool = True  # HTML entities, hidden empty tags, injected keyword lines
    mojibake: bool = True  # ftfy (Chinese-safe options) + UTF-8-read-as-GBK reversal
    gbk: bool = True  # GBK slips next to injected pinyin: phantom pinyin, letter substitution
    pinyin: bool = True  # SEO pinyin annotations (document gate), toneless spam flagged
    punctuation: bool = True  # ASCII , : ; ( ) ! ? next to CJK back to full width (NFKC signature)
    spacing: bool = True  # missing space after , . ; between English words
    nbsp: bool = True  # '?' standing for a lost NBSP in CJK text -> space
    flags: bool = True  # flags only (lossy-latin, lost-bytes, ...): never edits the text

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ConfigError(f"script must be one of {', '.join(SCRIPTS)}, not {self.script!r}")

    @classmethod
    def from_kwargs(cls, **options: object) -> RepairOptions:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"unknown repair option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**options)  # type: ignore[arg-type]

    @classmethod
    def all_off(cls) -> RepairOptions:
        return cls(script="keep", html=False, mojibake=False, gbk=False, pinyin=False, punctuation=False,
                   spacing=False, nbsp=False, flags=False)


@dataclass(frozen=True, slots=True)
class Edit:
    """One replacement made by a fixer: ``text[start:end] == before`` became ``after``.

    Positions are in the text the fixer received (the input of its step in the plan).
    """

    fixer: str
    start: int
    end: int
    before: str
    after: str
    note: str = ""

    @property
    def kind(self) -> str:
        """Alias of ``fixer``."""
        return self.fixer

    @property
    def position(self) -> int:
        """Alias of ``start``."""
        return self.start


@dataclass(frozen=True, slots=True)
class Flag:
    """Something that could not (or must not) be repaired, at ``[start, end)`` of the OUTPUT text."""

    kind: str
    start: int
    end: int
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """One fixer run in the plan, with its edits in the coordinates of the step's input."""

    fixer: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class RepairResult:
    """The repaired text, every edit (as a replayable plan) and the flags on the output."""

    text: str
    plan: tuple[Step, ...]
    flags: tuple[Flag, ...]
    signals: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    """Document-level decisions (SEO gate statistics, script decision and reason, passes)."""

    def __post_init__(self) -> None:
        if not isinstance(self.signals, MappingProxyType):
            object.__setattr__(self, "signals", MappingProxyType(dict(self.signals)))

    @property
    def edits(self) -> tuple[Edit, ...]:
        return tuple(e for step in self.plan for e in step.edits)

    @property
    def changed(self) -> bool:
        return any(step.edits for step in self.plan)
