"""Language tags: duiqi's internal codes (``zh``, ``en``, ``de``...) as valid BCP 47 tags for outputs.

``other``, ``mixed`` and ``none`` are duiqi's own markers (see :mod:`duiqi.records`), never written to
a file that promises a language tag (TMX ``xml:lang``): :func:`bcp47` refuses them with an error that
says which side and how to name it.
"""

from __future__ import annotations

import re

from duiqi.errors import DuiqiError

#: RFC 5646 ``langtag`` (language[-script][-region](-variant)*(-extension)*[-privateuse]), grandfathered
#: and bare private-use tags excluded: enough to refuse anything that is not a tag.
_LANGTAG = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4}|[A-Za-z]{5,8})"  # language (+ extlang)
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?$"  # private use
)

#: The tag written for duiqi's internal code, where it differs (Chinese output is simplified, mainland).
_OUTPUT_TAG = {"zh": "zh-CN"}

#: duiqi's markers that are not languages.
NOT_LANGUAGES = frozenset({"other", "mixed", "none", "und", ""})


def is_valid_tag(tag: str) -> bool:
    """True when ``tag`` is a well-formed BCP 47 language tag (``und`` counts: it is well-formed)."""
    return bool(_LANGTAG.match(tag))


def _canonical_case(tag: str) -> str:
    """RFC 5646 case conventions: ``zh-hant-tw`` -> ``zh-Hant-TW``."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        if out[-1].lower() == "x" or len(out[-1]) == 1:  # extension/private use: lower case throughout
            out.append(p.lower())
        elif len(p) == 4 and p.isalpha():
            out.append(p.title())
        elif len(p) == 2 and p.isalpha():
            out.append(p.upper())
        else:
            out.append(p.lower())
    return "-".join(out)


def bcp47(lang: str, *, what: str = "language") -> str:
    """The BCP 47 tag for duiqi's code ``lang`` (``zh`` -> ``zh-CN``, ``en`` -> ``en``, ``pt-br`` ->
    ``pt-BR``). Raises :class:`DuiqiError` naming ``what`` for a marker (``other``, ``mixed``...) or
    for anything that is not a tag."""
    if lang in NOT_LANGUAGES:
        raise DuiqiError(
            f"the {what} is {lang or 'empty'!r}, not a language duiqi recognised; name it with a BCP 47 tag "
            "(e.g. --src-lang fr / --tgt-lang de)"
        )
    if lang in _OUTPUT_TAG:
        return _OUTPUT_TAG[lang]
    if not is_valid_tag(lang):
        raise DuiqiError(f"the {what} {lang!r} is not a BCP 47 language tag (e.g. zh, en, fr, pt-BR)")
    return _canonical_case(lang)


def check_lang_option(value: str | None, option: str) -> str | None:
    """A ``--src-lang``/``--tgt-lang`` value: ``None`` or a well-formed tag (lower-cased primary subtag)."""
    if value is None:
        return None
    if value in NOT_LANGUAGES or not is_valid_tag(value):
        raise DuiqiError(f"{option} {value!r} is not a BCP 47 language tag (e.g. zh, en, fr)")
    return value.split("-")[0].lower() if value.lower().startswith(("zh-", "en-")) else value
