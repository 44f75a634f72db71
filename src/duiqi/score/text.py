"""Cheap text measurements used by the quality features and the rule filters.

All functions are pure ``str -> value``. They are written for speed (one compiled regex pass each)
because scoring + filtering must handle well over 10,000 pairs per second.

- :func:`length_units` counts CJK characters one each and other words one each, so a length ratio
  means the same for zh–en (characters vs words) as for de–fr (words vs words).
- :func:`script_shares` / :func:`expected_share` say how much of a text is in the script its language
  tag expects (wrong language on a side).
- :func:`numbers` extracts numeric values (digits, ``1.2万``, ``十二``, ``百分之三十``, ``twelve thousand``,
  month names) as canonical strings, split into *strong* values (must be found on the other side) and
  *weak* ones (may be how the other side's strong value was written).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import regex

# --- scripts and lengths ------------------------------------------------------------------------

_UNIT_RE = regex.compile(
    r"(?P<han>[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}])|(?P<word>[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)*)"
)
_SCRIPT_RE = regex.compile(
    r"(?P<Han>\p{Han}+)|(?P<Kana>[\p{Hiragana}\p{Katakana}]+)|(?P<Hangul>\p{Hangul}+)"
    r"|(?P<Latin>\p{Latin}+)|(?P<Cyrillic>\p{Cyrillic}+)|(?P<Arabic>\p{Arabic}+)|(?P<Other>[\p{L}--\p{Common}]+)",
    regex.V1,
)

#: Scripts a language tag is expected to be written in.
LANG_SCRIPTS: dict[str, frozenset[str]] = {
    "zh": frozenset({"Han"}),
    "ja": frozenset({"Han", "Kana"}),
    "ko": frozenset({"Hangul", "Han"}),
    "ru": frozenset({"Cyrillic"}),
    "uk": frozenset({"Cyrillic"}),
    "ar": frozenset({"Arabic"}),
}
_CJK_SCRIPTS = frozenset({"Han", "Kana", "Hangul"})


@functools.lru_cache(maxsize=256)
def scripts_for(lang: str) -> frozenset[str]:
    """Scripts expected for ``lang`` (Latin for every language not listed in :data:`LANG_SCRIPTS`)."""
    return LANG_SCRIPTS.get(lang.split("-")[0].lower(), frozenset({"Latin"}))


_SIDE_RE = regex.compile(
    r"(\p{Han}+)|([\p{Hiragana}\p{Katakana}]+)|(\p{Hangul}+)|(\p{Latin}[\p{Latin}\p{M}]*(?:['’]\p{Latin}+)*)"
    r"|(\p{Cyrillic}+)|(\p{Arabic}+)|([\p{L}--\p{Common}]+)|(\p{N}+)",
    regex.V1,
)


_ASCII_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
_ASCII_NUM_RE = re.compile(r"[0-9]+")
_ASCII_DIGIT_RE = re.compile(r"[0-9]")


def side_stats(text: str) -> tuple[int, dict[str, int], set[str]]:
    """One pass over ``text``: (length units, :func:`script_units`, :func:`tokens`).

    Units: each CJK character one, each other letter run (``don't`` one) or number one.
    """
    if text.isascii():
        # lower-casing ASCII text changes no word boundary: the words of text.lower() are the
        # lower-cased words of text
        words = _ASCII_WORD_RE.findall(text.lower())
        n = len(words)
        nums = len(_ASCII_NUM_RE.findall(text)) if _ASCII_DIGIT_RE.search(text) else 0
        return n + nums, ({"Latin": n} if n else {}), set(words)
    units = 0
    scripts: dict[str, int] = {}
    toks: set[str] = set()
    han: list[str] = []  # Han runs (most matches of a Chinese text), counted once at the end
    for m in _SIDE_RE.finditer(text):
        k = m.lastindex or 8
        if k == 1:
            han.append(m.group(1))
            continue
        if k == 8:
            units += 1
            continue
        run = m.group(k)
        name = _SCRIPT_NAMES[k - 1]
        if k <= 3:
            n = len(run)
            units += n
            scripts[name] = scripts.get(name, 0) + n
            toks.update(run)
        else:
            units += 1
            scripts[name] = scripts.get(name, 0) + 1
            toks.add(run.lower())
    if han:
        joined = "".join(han)
        units += len(joined)
        scripts["Han"] = len(joined)
        toks.update(joined)
    return units, scripts, toks


_FUNCTION_WORDS_TEXT: dict[str, str] = {
    "en": "the of and to in is that it was for on are with as his they be at by this have from not but what "
          "all were when we there can an your which their has would will a i you do my me he she",
    "de": "der die das und ist nicht ein eine zu den mit sich des auf für dem im von auch wird sind bei oder "
          "wie aus wir ich sie er",
    "fr": "le la les des et est une un du que qui dans pour pas sur au avec ce il elle sont nous vous mais ou "
          "par je ne se",
    "es": "el la los las y es una un del que en por para con se su al lo como pero más este esta yo",
    "it": "il lo la gli le è una un di che per non con si del della sono ma come anche questo io",
    "pt": "os é um uma da que em para com não se por mais como mas ao dos das eu",
    "nl": "de het een en van dat niet op te zijn met voor er maar ook als bij ik wij hij",
}
_FUNCTION_WORDS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in _FUNCTION_WORDS_TEXT.items()}
_FUNCTION_INDEX: dict[str, tuple[str, ...]] = {}
for _lang, _words in _FUNCTION_WORDS.items():
    for _w in _words:
        _FUNCTION_INDEX[_w] = (*_FUNCTION_INDEX.get(_w, ()), _lang)


_FUNCTION_KEYS = frozenset(_FUNCTION_INDEX)


def latin_language(text: str, min_words: int = 5) -> str | None:
    """Best guess among en/de/fr/es/it/pt/nl from function words, or ``None`` when unsure.

    Sure means at least ``min_words`` distinct words, two function-word hits, and twice the hits of
    the runner-up.
    """
    return guess_from_tokens(side_stats(text)[2], min_words)


def guess_from_tokens(tokens: set[str], min_words: int = 5) -> str | None:
    """:func:`latin_language` from the lower-cased tokens :func:`side_stats` returns."""
    if len(tokens) < min_words:
        return None
    hits = _FUNCTION_KEYS.intersection(tokens)
    if len(hits) < 2:  # no language can reach two hits
        return None
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    index = _FUNCTION_INDEX
    for w in hits:
        for lang in index[w]:
            counts[lang] += 1
    best, lang, second = 0, "", 0
    for name, n in counts.items():
        if n > best:
            best, lang, second = n, name, best
        elif n > second:
            second = n
    if best >= 2 and best >= 2 * second:
        return lang
    return None


def side_share(scripts: dict[str, int], tokens: set[str], lang: str) -> float:
    """:func:`share_of`, and 0.0 when a Latin-script side is surely another Latin-script language."""
    share = share_of(scripts, lang)
    base = lang.split("-")[0].lower()
    if share > 0.5 and base in _FUNCTION_WORDS and scripts.get("Latin", 0) >= 5:
        guess = guess_from_tokens(tokens)
        if guess is not None and guess != base:
            return 0.0
    return share


def share_of(scripts: dict[str, int], lang: str) -> float:
    """Share of letter units in the scripts ``lang`` expects (1.0 when there are none)."""
    total = sum(scripts.values())
    if total == 0:
        return 1.0
    hit = 0  # integer counts: the same sum in any order
    for s in scripts_for(lang):
        hit += scripts.get(s, 0)
    return hit / total


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def length_units(text: str) -> int:
    """CJK characters count one each, every other word (letters/digits run) counts one."""
    return len(_UNIT_RE.findall(text))


_SCRIPT_NAMES = ("Han", "Kana", "Hangul", "Latin", "Cyrillic", "Arabic", "Other")


def script_units(text: str) -> dict[str, int]:
    """Letters per script, in units: each CJK character is one unit, each run of another script one."""
    out: dict[str, int] = {}
    for groups in _SCRIPT_RE.findall(text):
        for name, run in zip(_SCRIPT_NAMES, groups, strict=True):
            if run:
                out[name] = out.get(name, 0) + (len(run) if name in _CJK_SCRIPTS else 1)
                break
    return out


def expected_share(text: str, lang: str) -> float:
    """Share of the letter units of ``text`` written in a script ``lang`` expects (1.0 when no letters)."""
    units = script_units(text)
    total = sum(units.values())
    if total == 0:
        return 1.0
    want = scripts_for(lang)
    return sum(n for s, n in units.items() if s in want) / total


# --- noise --------------------------------------------------------------------------------------

_NOISE_RE = regex.compile(
    r"\uFFFD|锟斤拷|烫烫烫|屯屯屯|Ã[\x80-\xBF\u0080-\u00BF]|â€|Â[\xA0-\xBF ]|[\u00C3\u00C2][\u0080-\u00BF]"
    r"|[\u00C2-\u00F4][\u0080-\u00BF]+|(?<=\p{Han})\?+(?=\p{Han})|\?{2,}|(?<=\s)\?(?=\s)"
    r"|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]|\p{Co}"
)


#: (the standard ``re`` module: the same pattern on ASCII text, several times faster than ``regex`` here)
_ASCII_NOISE_RE = re.compile(r"\?[\s?]|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]")


_SUSPECT_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff\ufffd?锟烫屯\ue000-\uf8ff]")


def noise_chars(text: str) -> int:
    """Characters that look like crawl damage: U+FFFD, mojibake, ``?`` replacements, controls."""
    if text.isascii():
        if not _ASCII_NOISE_RE.search(text):
            return 0
    elif not _SUSPECT_RE.search(text):
        return 0
    return sum(map(len, _NOISE_RE.findall(text)))


# --- copy / overlap -----------------------------------------------------------------------------

_TOKEN_RE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]|\p{L}[\p{L}\p{M}]*")


def tokens(text: str) -> set[str]:
    """Lower-cased letter tokens (CJK characters one by one); digits and punctuation left out."""
    return {t.lower() for t in _TOKEN_RE.findall(text)}


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of :func:`tokens` — near 1 for untranslated copies."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


# --- URLs, e-mails, Latin tokens inside non-Latin text ---------------------------------------------

_URL_RE = regex.compile(
    r"(?:https?://|www\.)[^\s<>\"'，。；）)\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", regex.ASCII | regex.IGNORECASE
)


def urls(text: str) -> set[str]:
    """URLs and e-mail addresses, lower-cased, trailing punctuation dropped."""
    return {u.lower().rstrip(".,;:!?") for u in _URL_RE.findall(text)}


_LATIN_TOKEN_RE = regex.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9&'’.-]*[A-Za-z0-9]")


def latin_tokens(text: str) -> list[str]:
    """ASCII-Latin tokens of two or more characters (``GDP``, ``iPhone``, ``COVID-19``)."""
    return _LATIN_TOKEN_RE.findall(text)


_CAP_RE = regex.compile(r"(?<=[\p{L}\p{N},;:] )\p{Lu}[\p{L}\p{M}-]+")


def names(text: str) -> set[str]:
    """Capitalised words that do not start a sentence (likely names), for Latin-script texts."""
    return set(_CAP_RE.findall(text))


def missing_latin(src: str, src_lang: str, tgt: str, tgt_lang: str) -> tuple[int, int]:
    """(missing, total): Latin tokens / names of one side not found on the other.

    When exactly one side is written in a non-Latin script, its Latin tokens must appear on the
    Latin side (``GDP`` ↔ ``GDP``). When both sides are Latin-script, capitalised non-initial words
    are checked both ways. Other combinations have nothing to check.
    """
    src_latin = "Latin" in scripts_for(src_lang)
    tgt_latin = "Latin" in scripts_for(tgt_lang)
    if src_latin and tgt_latin:
        a, b = names(src), names(tgt)
        if not a and not b:
            return 0, 0
        la, lb = tgt.lower(), src.lower()
        miss = sum(1 for t in a if t.lower() not in la) + sum(1 for t in b if t.lower() not in lb)
        return miss, len(a) + len(b)
    if src_latin == tgt_latin:
        return 0, 0
    other, latin_side = (src, tgt) if tgt_latin else (tgt, src)
    toks = latin_tokens(other)
    if not toks:
        return 0, 0
    low = latin_side.lower()
    miss = sum(1 for t in toks if t.lower().rstrip(".") not in low)
    return miss, len(toks)


# --- numbers ------------------------------------------------------------------------------------

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_POWERS = set(_ZH_SMALL) | set(_ZH_BIG)
_ZH_NOT_NUMBERS = ("万一", "十分", "一一", "千万", "万万", "一百一十", "九十九")

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30,
    "dozen": 12, "half": 0.5, "once": 1, "twice": 2,
}
_ORDINAL_SPECIAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                    "nine": "ninth", "twelve": "twelfth"}
for _w, _v in list(_EN_UNITS.items()):
    if isinstance(_v, int) and 4 <= _v <= 90 and _w not in _ORDINAL_SPECIAL.values():
        _EN_UNITS.setdefault(_ORDINAL_SPECIAL.get(_w) or (_w[:-1] + "ieth" if _w.endswith("y") else _w + "th"), _v)
_EN_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
              "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000,
              "bn": 1_000_000_000, "tn": 1_000_000_000_000}
#: ``the thirties`` (an age or a decade) ↔ ``30多岁`` / ``30年代``: weak values.
_EN_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
               "seventies": 70, "eighties": 80, "nineties": 90}
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

_DIGIT_NUM_RE = regex.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s*([十百千]?(?:万亿|亿|万)|千|百)|\s*-?(hundred|thousand|million|billion|trillion)s?\b"
    r"|\s?(bn|tn|k|m|b)\b)?",
    regex.IGNORECASE,
)
#: ``1981-87``, ``1981–1987``, ``1981/82``: a year range whose second year may be written short.
_YEAR_RANGE_RE = regex.compile(r"(?<![0-9.])((?:1[5-9]|20)[0-9][0-9])\s*(?:-|–|—|/|~|～|至|到)\s*([0-9]{2})(?![0-9%])")
#: ``80年代`` (the 1980s), ``the '80s``: a decade written without its century.
_DECADE_RE = regex.compile(r"(?<![0-9.])([0-9])0\s*(?:年代|后)|['’]([0-9])0s\b")
#: ``15:30``, ``9:00``: a time (24-hour clocks are written 12-hour on the other side, ``下午3点``).
_TIME_RE = regex.compile(r"(?<![0-9.:])([01]?[0-9]|2[0-3])[:：]([0-5][0-9])(?![0-9:])")
_RANGE_HINT_RE = re.compile("[-–—/~～至到]")
_CURRENCY_BEFORE = frozenset("$€£¥￥")
#: Scale suffixes only read as a scale right after a currency sign (``$5m``, not ``5m`` metres).
_CURRENCY_ONLY_SCALES = frozenset({"k", "m", "b"})
_ZH_NUM_RE = regex.compile(r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)(年|月|日|号|%|倍|岁|周年)?")
_ZH_NUMERAL_CHAR_RE = re.compile("[零〇一二两三四五六七八九十百千万亿]")  # re: a plain class, faster than regex
_EN_WORD_RE = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=4096)  # pure; equal keys (1, 1.0, -0.0, 0.0) give equal strings
def _canon(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    value = float(f"{value:.10g}")  # 5.3 * 1e8 is 530000000.00000006
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def _scale_value(word: str) -> float:
    """``万亿`` 1e12, ``千亿`` 1e11, ``万`` 1e4, ``million`` 1e6, ``bn`` 1e9 (product of the parts)."""
    w = word.lower()
    if w in _EN_SCALES:
        return float(_EN_SCALES[w])
    value = 1.0
    for c in w:
        value *= _ZH_BIG.get(c) or _ZH_SMALL.get(c) or 1
    return value


def parse_zh_numeral(s: str) -> float | None:
    """Value of a Chinese numeral (``十二`` 12, ``三百五十`` 350, ``一万二千`` 12000, ``二〇二二`` 2022)."""
    if not s:
        return None
    if not any(c in _ZH_POWERS for c in s):
        if all(c in _ZH_DIGITS for c in s):
            return float(int("".join(str(_ZH_DIGITS[c]) for c in s)))
        return None
    total = 0.0
    section = 0.0
    digit: float | None = None
    prev_big = False
    for c in s:
        if c in _ZH_DIGITS:
            digit = float(_ZH_DIGITS[c])
        elif c in _ZH_SMALL:
            section += (1.0 if digit is None else digit) * _ZH_SMALL[c]
            digit = None
        elif c in _ZH_BIG:
            if prev_big:  # 万亿: the scales multiply
                total *= _ZH_BIG[c]
                continue
            section += digit or 0.0
            total = (total + (section or 1.0)) * _ZH_BIG[c]
            section, digit = 0.0, None
        else:
            return None
        prev_big = c in _ZH_BIG
    return total + section + (digit or 0.0)


def _digit_values(text: str, strong: set[str], weak: set[str]) -> None:
    skip: set[int] = set()  # start offsets of numbers already read as part of a range/decade/time
    ranges = _YEAR_RANGE_RE.finditer(text) if _RANGE_HINT_RE.search(text) else ()
    decades = _DECADE_RE.finditer(text) if ("0年代" in text or "0后" in text or "0s" in text) else ()
    times = _TIME_RE.finditer(text) if (":" in text or "：" in text) else ()
    for m in ranges:
        first, short = m.group(1), m.group(2)
        end = int(first[:2] + short)
        if end > int(first):  # 1981-87 -> 1987 (1981-1987 matches with its 4 digits anyway)
            strong.add(first)
            strong.add(str(end))
            weak.add(short)
            skip.add(m.start(2))
    for m in decades:
        d = m.group(1) or m.group(2)
        for century in ("19", "20"):
            weak.add(century + d + "0")
        weak.add(d + "0")
        skip.add(m.start(1) if m.group(1) else m.start(2))
    for m in times:
        hour, minute = int(m.group(1)), int(m.group(2))
        weak.update({str(hour), str(hour % 12 or 12), str(minute)})
        if minute == 30:
            weak.add("0.5")
        skip.update({m.start(1), m.start(2)})
    for m in _DIGIT_NUM_RE.finditer(text):
        if m.start() in skip:
            continue
        try:
            whole = float(m.group(1).replace(",", ""))
            frac = float(m.group(2)) if m.group(2) else 0.0
        except ValueError:  # a digit of a script newer than this Python's Unicode tables
            continue
        base = whole + frac
        scale_word = (m.group(3) or m.group(4) or m.group(5) or "").lower()
        if scale_word in _CURRENCY_ONLY_SCALES and (m.start() == 0 or text[m.start() - 1] not in _CURRENCY_BEFORE):
            scale_word = ""
        if scale_word:
            strong.add(_canon(base * _scale_value(scale_word)))
            weak.add(_canon(base))
        else:
            strong.add(_canon(base))


_ZH_APPROX_RE = regex.compile(r"[一二两三四五六七八九][一二两三四五六七八九]")
_LIST_NUMBER_RE = regex.compile(r"^\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})(?:[.．)）]\s+|、)")


def _no_list_start(text: str) -> bool:
    """True when :data:`_LIST_NUMBER_RE` cannot match: ``text`` starts with an ASCII letter or a CJK
    ideograph of U+4E00-9FFF other than 一-十 (neither white space nor a digit in any Unicode version)."""
    c = text[:1]
    return bool(c) and ((c.isascii() and c.isalpha()) or ("\u4e00" <= c <= "\u9fff" and c not in "一二三四五六七八九十"))


_ZH_TENTHS_RE = regex.compile(r"([一二两三四五六七八九]|[0-9])成")


#: ``一百多亿``, ``100多万``, ``十余万``: an approximate count followed by a scale (``more than ten billion``).
_ZH_APPROX_SCALE_RE = regex.compile(r"([0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+)\s*(?:多|余|几)(万亿|亿|万|千|百)")
#: ``20世纪`` (``the twentieth century``, often left out when a decade follows: ``20世纪70年代`` ``the 1970s``).
_ZH_CENTURY_RE = regex.compile(r"([0-9]{1,2})\s*世纪")


def _zh_approx(text: str, strong: set[str], weak: set[str]) -> tuple[set[str], set[str]]:
    """Weak values of approximate and century forms, and the values they make strong by mistake."""
    demote: set[str] = set()
    for m in _ZH_APPROX_SCALE_RE.finditer(text):
        head = m.group(1)
        value = float(head) if head[0].isdigit() else parse_zh_numeral(head)
        if value is None:
            continue
        weak.add(_canon(value * _scale_value(m.group(2))))
        demote.add(_canon(value))
    for m in _ZH_CENTURY_RE.finditer(text):
        demote.add(_canon(float(m.group(1))))
    return demote, weak


@functools.lru_cache(maxsize=4096)
def _zh_body(body: str) -> tuple[float | None, bool, bool, bool]:
    """(value, has a power 十百千万亿, has a digit, approximate like 三四) of a Chinese numeral body
    (a pure function of the body, cached: the same few bodies, 一 两 十, recur in every text)."""
    return (parse_zh_numeral(body), any(c in _ZH_POWERS for c in body), any(c in _ZH_DIGITS for c in body),
            bool(_ZH_APPROX_RE.search(body)) and "〇" not in body and "零" not in body)


def _zh_values(text: str, strong: set[str], weak: set[str]) -> None:
    for m in _ZH_TENTHS_RE.finditer(text) if "成" in text else ():  # 三成 = 30 %
        c = m.group(1)
        weak.add(str(10 * (int(c) if c.isdigit() else _ZH_DIGITS[c])))
    if not _ZH_NUMERAL_CHAR_RE.search(text):  # every match of _ZH_NUM_RE holds one of these
        return
    for m in _ZH_NUM_RE.finditer(text):
        body = m.group(2)
        if len(body) > 1 and body.endswith("两") and not m.group(3):
            body = body[:-1]  # 二十两 = twenty taels
        if body in _ZH_NOT_NUMBERS:
            continue
        value, has_power, has_digit, approx = _zh_body(body)
        if value is None:
            continue
        is_year = m.group(3) == "年" and len(body) == 4 and not has_power
        is_month = m.group(3) == "月" and (len(body) == 1 or body in ("十一", "十二")) and 1 <= value <= 12
        if approx and not is_year:
            weak.add(_canon(value))
        elif m.group(1) or is_year or (has_power and has_digit and len(body) >= 2) or is_month:
            strong.add(_canon(value))
        else:
            weak.add(_canon(value))


#: Characters whose lower case holds an ASCII letter: A-Z, U+0130 (İ -> i + dot) and U+212A (Kelvin
#: sign -> k); a text without any has no word for :func:`_en_words` (a test checks every code point).
_LOWERS_TO_ASCII_RE = re.compile("[A-Za-z\u0130\u212a]")


def _en_words(text: str, weak: set[str]) -> None:
    if not _LOWERS_TO_ASCII_RE.search(text):  # text.lower() holds no [a-z]: no word at all
        return
    words = _EN_WORD_RE.findall(text.lower())
    if _EN_NUMBER_WORDS.isdisjoint(words):
        return
    current: float | None = None
    pending = 0.0
    for lw in words:
        month = _MONTHS.get(lw)
        if month is not None and (lw != "may" or "May" in text):
            weak.add(str(month))
        if lw in _EN_DECADES:
            d = _EN_DECADES[lw]
            weak.update({str(d), str(1900 + d), str(2000 + d) if d < 50 else str(d)})
        if lw in _EN_UNITS:
            current = (current or 0.0) + _EN_UNITS[lw]
            weak.add(_canon(_EN_UNITS[lw]))
        elif lw in _EN_SCALES and len(lw) > 2:
            current = (current or 1.0) * _EN_SCALES[lw]
            if _EN_SCALES[lw] >= 1000:
                pending += current
                current = None
            weak.add(_canon(pending + (current or 0.0)))
        elif lw in ("decade", "decades") and current is not None:  # four decades = 40 (years)
            weak.add(_canon(current * 10))
        elif lw == "and" and (current is not None or pending):
            continue
        else:
            if current is not None or pending:
                weak.add(_canon(pending + (current or 0.0)))
            current, pending = None, 0.0
    if current is not None or pending:
        weak.add(_canon(pending + (current or 0.0)))


_ANY_DIGIT = re.compile(r"\d")  # Unicode decimal digits, as regex's \d
_WIDE_RE = re.compile("[\u3000\uff01-\uff5e\u2460-\u24ff]")  # full-width forms, circled digits
_EN_NUMBER_WORDS = frozenset({*_EN_UNITS, *_EN_SCALES, *_MONTHS, *_EN_DECADES})  # "decades" needs a unit too


_FULL_WIDTH_RE = re.compile("[\u3000\uff01-\uff5e]")


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, faster for the usual Chinese line whose only
    compatibility characters are full-width punctuation (``，``, ``：``, ``（``).

    Full-width ASCII forms (U+FF01-FF5E) and the ideographic space decompose, under NFKD, to one
    ASCII character each (combining class 0, so no reordering), so replacing them leaves NFKD and hence
    NFKC unchanged; when the result is already NFKC it is the answer, otherwise the whole text is
    normalised as before.
    """
    out = text
    for ch in set(_FULL_WIDTH_RE.findall(text)):
        out = out.replace(ch, " " if ch == "\u3000" else chr(ord(ch) - 0xFEE0))
    return out if unicodedata.is_normalized("NFKC", out) else unicodedata.normalize("NFKC", text)


def numbers(text: str, tokens: set[str] | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """(strong, weak) numeric values in ``text`` as canonical strings.

    Strong: written with digits (``12,000``, ``1.2万`` → 12000, ``30%`` → 30), or unambiguous Chinese
    numerals (``十二``, ``二〇二二年``, ``百分之三十``, ``七月``). Weak: number words and lone Chinese
    numerals (``一`` is also "a"), month names (``July`` → 7), the unscaled mantissa of ``1.2万``.
    A pair's numbers agree when every strong value of each side is among the other side's values.

    ``tokens`` may pass :func:`side_stats`' tokens of ``text``: an ASCII text without apostrophes whose
    tokens hold no number or month word then skips the word scan (its words are exactly those tokens).
    """
    # an ASCII text's words ([a-z] runs of text.lower()) are its tokens when it has no apostrophe, and
    # the apostrophe-split parts of its tokens otherwise (``don't`` -> ``don``, ``t``)
    no_number_words = tokens is not None and text.isascii() and (
        _EN_NUMBER_WORDS.isdisjoint(tokens) if "'" not in text
        else all(_EN_NUMBER_WORDS.isdisjoint(t.split("'")) for t in tokens))
    if not text.isascii() and _WIDE_RE.search(text):
        text = _nfkc(text)
    m = None if _no_list_start(text) else _LIST_NUMBER_RE.match(text)
    if m:
        text = text[m.end() :]
    strong: set[str] = set()
    weak: set[str] = set()
    if _ANY_DIGIT.search(text):
        _digit_values(text, strong, weak)
    if not text.isascii():
        _zh_values(text, strong, weak)
        if "多" in text or "余" in text or "几" in text or "世纪" in text:
            demote, _ = _zh_approx(text, strong, weak)
            weak |= demote & strong
            strong -= demote
    if not no_number_words:
        _en_words(text, weak)
    return frozenset(strong), frozenset(weak | strong)


def number_mismatch(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]) -> tuple[int, int]:
    """(missing, total strong): strong values of each side not found among the other side's values."""
    sa, wa = a
    sb, wb = b
    missing = len(sa - wb) + len(sb - wa)
    return missing, len(sa) + len(sb)


_TERMINAL = frozenset("。！？!?.…；;:：\"'”’」』）)")
_PUNCT_RE = re.compile(r"[，,。．.！!？?；;：:、]")  # re: faster than regex for a plain class


def ends_terminal(text: str) -> bool:
    """True when ``text`` ends with sentence-final punctuation (or a closing quote/bracket)."""
    t = text.rstrip()
    return bool(t) and t[-1] in _TERMINAL


def punct_count(text: str) -> int:
    """Clause and sentence punctuation marks (Chinese and Latin)."""
    return len(_PUNCT_RE.findall(text))


_FIRST_LETTER_RE = regex.compile(r"\p{L}")
_SENT_END_RE = regex.compile(r"[。！？!?]+|\.(?:\s|$)|…")


_LEADING_HANDLES_RE = regex.compile(r"^\s*(?:(?:[@#]\S+|https?://\S+|www\.\S+)\s*)+")


def starts_lower(text: str) -> bool:
    """True when the first letter of ``text`` is a lower-case letter (a side cut at its start).

    Leading ``@handles``, ``#tags`` and URLs are skipped (``@user34 I can...`` is not cut).
    """
    if "@" in text or "#" in text or "http" in text or "www" in text:  # the literals every handle/URL holds
        text = _LEADING_HANDLES_RE.sub("", text, count=1)
    m = _FIRST_LETTER_RE.search(text)
    return bool(m) and m.group().islower()


def sentence_marks(text: str) -> int:
    """Sentence-final punctuation marks (a rough sentence count)."""
    return len(_SENT_END_RE.findall(text))


# --- word order (word salad) ----------------------------------------------------------------------

_NOT_AFTER_DET = ("the|an?|of|in|on|at|to|and|or|but|is|are|was|were|he|she|they|we|it|i|with|by|for|from|that"
                  "|has|have|had|will|would|can|not")
_FUNCTION_CAPS = "The|An?|In|On|At|It|He|She|We|They|This|That|But|And|For|Of|To|With|There|These|Those|If|When"
_DISORDER_RE = re.compile(
    rf"\b(?i:the|an?)\s+(?i:{_NOT_AFTER_DET})\b"  # the of, a and
    rf"|\b(?i:the|an?)\s*[,.;:!?]"  # the , / ends on a determiner
    rf"|\b[a-z][a-z']*\s+(?:{_FUNCTION_CAPS})\b"  # received The
)


#: Necessary conditions of :data:`_DISORDER_RE`'s alternatives (a determiner slip; a capitalised
#: function word after white space): two cheap searches that spare the full count for most texts.
_DISORDER_DET_RE = re.compile(rf"(?i:\b(?:the|an?)(?:\s+(?:{_NOT_AFTER_DET})\b|\s*[,.;:!?]))")
_DISORDER_CAP_RE = re.compile(rf"\s(?:{_FUNCTION_CAPS})\b")
_DISORDER_DET_LOWER_RE = re.compile(rf"\b(?:the|an?)(?:\s+(?:{_NOT_AFTER_DET})\b|\s*[,.;:!?])")


def disorder(text: str) -> int:
    """Word-order slips of an English text, the marks of word salad: a determiner followed by a
    function word or punctuation (``the of``, ``a ,``, a sentence ending on ``the``), a capitalised
    function word in mid-sentence after a lower-case word (``received The``). 0 for ordinary English
    (and nearly always for text that is not English). One regex pass."""
    if text.count(" ") < 3:
        return 0
    # (?i) on ASCII text is the case-sensitive pattern on its lower case, a faster scan
    det = _DISORDER_DET_LOWER_RE.search(text.lower()) if text.isascii() else _DISORDER_DET_RE.search(text)
    if not det and not _DISORDER_CAP_RE.search(text):
        return 0
    return len(_DISORDER_RE.findall(text))


def nfkc_lower(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def join_nonempty(parts: Iterable[str], sep: str = " ") -> str:
    return sep.join(p for p in parts if p)
