"""Numbers: their values however written, so that the two sides of a pair can be compared.

- :func:`numbers` (quality features and filters): the (strong, weak) values of a text as canonical
  strings (digits, ``1.2万``, ``十二``, ``百分之三十``, ``twelve thousand``, month names, year ranges,
  decades, times); :func:`number_mismatch` compares two sides.
- :func:`parse_zh_numeral`: the value of a Chinese numeral (``一万二千`` 12000).
- :func:`anchor_number` (the aligner's anchor tokens): a digit string without thousands separators and
  leading zeros (``1,200.50`` -> ``1200.50``, ``007`` -> ``7``): a plain token, no value.
- :func:`zh_digit_string` / :func:`zh_small_number`: ``二〇二二`` -> ``2022`` digit by digit, ``十二`` -> ``12``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import regex

from duiqi.text.dates import EN_MONTHS

ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
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
        if all(c in ZH_DIGITS for c in s):
            return float(int("".join(str(ZH_DIGITS[c]) for c in s)))
        return None
    total = 0.0
    section = 0.0
    digit: float | None = None
    prev_big = False
    for c in s:
        if c in ZH_DIGITS:
            digit = float(ZH_DIGITS[c])
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
    return (parse_zh_numeral(body), any(c in _ZH_POWERS for c in body), any(c in ZH_DIGITS for c in body),
            bool(_ZH_APPROX_RE.search(body)) and "〇" not in body and "零" not in body)


def _zh_values(text: str, strong: set[str], weak: set[str]) -> None:
    for m in _ZH_TENTHS_RE.finditer(text) if "成" in text else ():  # 三成 = 30 %
        c = m.group(1)
        weak.add(str(10 * (int(c) if c.isdigit() else ZH_DIGITS[c])))
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
        month = EN_MONTHS.get(lw)
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
_EN_NUMBER_WORDS = frozenset({*_EN_UNITS, *_EN_SCALES, *EN_MONTHS, *_EN_DECADES})  # "decades" needs a unit too


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


#: A number written with digits (thousands separators ``,`` or ``.``; a decimal part).
ANCHOR_NUMBER_RE = regex.compile(r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?")
_THOUSANDS = regex.compile(r"[.,](?=\d{3}\b)")


def anchor_number(digits: str) -> str:
    """A :data:`ANCHOR_NUMBER_RE` match as a token: thousands separators dropped, a decimal comma read
    as a point, leading zeros dropped (``0`` for zero)."""
    digits = _THOUSANDS.sub("", digits).replace(",", ".")
    return digits.lstrip("0") if digits.strip("0") else "0"


_YEAR_DIGITS = {**ZH_DIGITS, "○": 0}


def zh_digit_string(numeral: str) -> str:
    """Chinese digits read one by one (``二〇二二`` -> ``2022``, ``〇〇一二`` -> ``0012``; ``○`` U+25CB,
    often typed for ``〇``, is zero too)."""
    return "".join(str(_YEAR_DIGITS[c]) for c in numeral)


def zh_small_number(numeral: str) -> str:
    """The integer of a small number (digits, or a Chinese numeral such as ``七`` or ``十二``) as a string."""
    if numeral.isdigit():
        return str(int(numeral))
    value = parse_zh_numeral(numeral)
    if value is None:
        raise ValueError(f"not a number: {numeral!r}")
    return str(int(value))
