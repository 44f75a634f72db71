"""duiqi.text is the one home of month tables, stop-word lists and URL patterns: no other module of
src/duiqi writes one again (a scan of every string literal and literal collection), and the helpers the
move introduced keep the old callers' exact behaviour."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from duiqi.text import dates, numbers, scripts, urls

SRC = Path(__file__).resolve().parents[2] / "src" / "duiqi"
HOME = SRC / "text"

_MONTH_WORDS = frozenset(dates.EN_MONTHS)
_STOP_PROBE = frozenset(["the", "of", "and", "to", "in", "is", "that", "with", "for", "was", "are", "by", "from", "this", "have", "not", "but", "be"])


def _literal_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string constant that is not a bare expression statement (docstrings), and of
    every list/tuple/set literal of strings and every dict literal's string keys, joined."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            skip.add(id(node.value))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            parts = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(parts) > 1:
                out.append((node.lineno, " ".join(parts)))
        elif isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if len(keys) > 1:
                out.append((node.lineno, " ".join(keys)))
    return out


def offences(source: str) -> list[str]:
    """What in ``source`` is a month table (6+ English month names), a stop-word list (8+ common English
    function words) or a URL pattern (``https?://``)."""
    found = []
    for line, text in _literal_texts(ast.parse(source)):
        words = set(re.findall(r"[a-z]+", text.lower()))
        if len(words & _MONTH_WORDS) >= 6:
            found.append(f"line {line}: a month table")
        if len(words & _STOP_PROBE) >= 8:
            found.append(f"line {line}: a stop-word list")
        if "https?://" in text:
            found.append(f"line {line}: a URL pattern")
    return found


def test_the_scan_finds_each_kind() -> None:
    src = '''
MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6}
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?)"
STOP = frozenset(["a", "the", "of", "and", "to", "in", "is", "that", "with", "for"])
WORDS = "the of and to in is that it was for on are with as"
URL = re.compile(r"(?:https?://|www\\.)[^\\s]+")
def f():
    """Docstrings may say the of and to in is that with for was are by, January to June, https?://."""
'''
    found = offences(src)
    assert [f.split(": ")[1] for f in found] == [
        "a month table", "a month table", "a stop-word list", "a stop-word list", "a URL pattern"
    ], found


def test_no_module_outside_duiqi_text_writes_them_again() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if HOME in path.parents:
            continue
        found += [f"{path.relative_to(SRC)} {o}" for o in offences(path.read_text(encoding="utf-8"))]
    assert not found, "belongs in duiqi.text:\n" + "\n".join(found)


def test_duiqi_text_holds_them() -> None:
    """The scan is not vacuous: the home package itself trips it for each kind."""
    kinds = {o.split(": ")[1] for p in HOME.glob("*.py") for o in offences(p.read_text(encoding="utf-8"))}
    assert kinds == {"a month table", "a stop-word list", "a URL pattern"}


@pytest.mark.parametrize("word", [*dates.EN_MONTHS, *(w + "." for w in dates.EN_MONTHS), "SEPT.", "June"])
def test_month_name_pattern_is_the_table(word: str) -> None:
    assert re.fullmatch(dates.MONTH_NAME, word, re.IGNORECASE)


@pytest.mark.parametrize("word", ["ma", "junee", "septe", "decem", "mayo", "sept..", "j"])
def test_month_name_pattern_refuses_other_words(word: str) -> None:
    assert not re.fullmatch(dates.MONTH_NAME, word, re.IGNORECASE)


def test_chinese_dates_and_anchor_numbers() -> None:
    assert [numbers.zh_digit_string(m.group()) for m in dates.ZH_YEAR_RE.finditer("二〇二二年、二○二三年、〇〇一二年")] == [
        "2022", "2023", "0012"
    ]
    assert [numbers.zh_small_number(m.group(1)) for m in dates.ZH_MONTH_RE.finditer("七月 十月 十二月 07月")] == [
        "7", "10", "12", "7"
    ]
    assert [numbers.anchor_number(m.group()) for m in numbers.ANCHOR_NUMBER_RE.finditer("1,200.50 007 000 1.234,5")] == [
        "1200.50", "7", "0", "1234.5"
    ]
    with pytest.raises(ValueError):
        numbers.zh_small_number("半")


def test_each_url_variant_ends_where_its_caller_needs() -> None:
    text = "见https://a.cn/x、y；z]w。"
    assert urls.urls(text) == {"https://a.cn/x、y"}  # quality features: ends at ；
    assert [m.group() for m in urls.ANCHOR_URL_RE.finditer(text)] == ["https://a.cn/x"]  # anchors: ends at 、
    assert urls.urls("mail A.B@Example.com.") == {"a.b@example.com"}


def test_cjk_wide_and_ideograph() -> None:
    assert scripts.is_ideograph("中") and not scripts.is_ideograph("々") and scripts.is_han("々")
    assert scripts.is_cjk_wide("，") and scripts.is_cjk_wide("中") and not scripts.is_cjk_wide("a")
    assert not scripts.is_cjk_wide("Ａ") and scripts.is_cjk_wide("Ａ", fullwidth_alnum=True)
    assert scripts.is_cjk_text("这是一部iPhone") and not scripts.is_cjk_text("the iPhone 中")
