from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duiqi.score import text as T
from duiqi.text import langid as L
from duiqi.text import numbers as N
from duiqi.text import scripts as S
from duiqi.text import urls as U


def agree(a: str, b: str) -> bool:
    return N.number_mismatch(N.numbers(a), N.numbers(b))[0] == 0


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("2022年7月", "July 2022"),
        ("12000平方米", "12,000 square metres"),
        ("十二个代表团", "twelve delegations"),
        ("十二个代表团", "12 delegations"),
        ("1.2万人", "12,000 people"),
        ("1.2万人", "12 thousand people"),
        ("120万", "1.2 million"),
        ("3亿元", "300 million yuan"),
        ("百分之三十", "30%"),
        ("增长30%", "grew by 30 per cent"),
        ("二〇二二年", "in 2022"),
        ("６月１８号", "June 18th"),
        ("二十两银子", "twenty taels of silver"),
        ("第十五队", "the fifteenth team"),
        ("6. 片厂", "The Film Studio"),
    ],
)
def test_numbers_agree(zh: str, en: str) -> None:
    assert agree(zh, en), (N.numbers(zh), N.numbers(en))


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("2022年7月", "August 2022"),
        ("2022年7月", "July 2023"),
        ("12000平方米", "15,000 square metres"),
        ("十二个代表团", "13 delegations"),
        ("1.2万人", "1,200 people"),
        ("百分之三十", "40%"),
    ],
)
def test_numbers_disagree(zh: str, en: str) -> None:
    assert not agree(zh, en)


def test_zh_numerals() -> None:
    assert N.parse_zh_numeral("十二") == 12
    assert N.parse_zh_numeral("三百五十") == 350
    assert N.parse_zh_numeral("一万二千") == 12000
    assert N.parse_zh_numeral("二〇二二") == 2022
    assert N.parse_zh_numeral("一百二十万") == 1_200_000
    assert N.parse_zh_numeral("abc") is None


def test_lone_chinese_numerals_are_weak() -> None:
    strong, weak = N.numbers("一个人")
    assert not strong and "1" in weak
    assert N.numbers("他十分高兴")[0] == frozenset()


def test_length_units_generalise() -> None:
    assert S.length_units("今天天气很好") == 6
    assert S.length_units("The weather is nice today") == 5
    assert S.length_units("GDP 增长 3%") == 4
    assert S.length_units("Das Wetter ist schön") == 4


def test_script_share_and_wrong_language() -> None:
    assert S.expected_share("我们明天去北京", "zh") == 1.0
    assert S.expected_share("我们明天去北京", "en") == 0.0
    assert S.expected_share("GDP 增长", "zh") == pytest.approx(2 / 3)
    assert S.expected_share("Привет, мир", "en") == 0.0
    assert S.expected_share("12, 13.", "en") == 1.0


def test_noise_urls_latin() -> None:
    assert T.noise_chars("一切正常。") == 0
    assert T.noise_chars("All fine? Yes.") == 0
    assert T.noise_chars("中文".encode().decode("latin-1")) > 0
    assert T.noise_chars("锟斤拷") == 3
    assert T.noise_chars("Please ???? ??") >= 4
    assert U.urls("see https://Example.org/a, or a.b@x.cn.") == {"https://example.org/a", "a.b@x.cn"}
    assert T.missing_latin("GDP增长", "zh", "GDP grew", "en") == (0, 1)
    assert T.missing_latin("iPhone很好", "zh", "It is good", "en") == (1, 1)
    assert T.missing_latin("Er traf Anna in Berlin.", "de", "Il a vu Anna à Paris.", "fr") == (2, 4)


def test_cut_side_signals() -> None:
    assert T.ends_terminal("好。") and T.ends_terminal('He said "no."') and not T.ends_terminal("In July 2022,")
    assert T.starts_lower("been fairly successful.") and not T.starts_lower('"Yes," he said.')
    assert T.sentence_marks("一。二！三？") == 3


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_measures_never_fail(text: str) -> None:
    strong, weak = N.numbers(text)
    assert strong <= weak
    assert S.length_units(text) >= 0
    assert 0.0 <= S.expected_share(text, "zh") <= 1.0
    assert T.noise_chars(text) <= len(text)


def test_latin_language_guess() -> None:
    assert L.latin_language("Das Wetter ist heute schön und wir gehen in den Park.") == "de"
    assert L.latin_language("Le temps est beau et nous allons au parc avec les enfants.") == "fr"
    assert L.latin_language("Do you have a better explanation?") == "en"
    assert L.latin_language("A sensible man wouldn't say such a thing in public.") in ("en", None)
    assert L.latin_language("Hello there") is None  # too short to be sure
    _, scripts, toks = S.side_stats("Das Wetter ist heute schön und wir gehen in den Park.")
    assert L.side_share(scripts, toks, "en") == 0.0
    assert L.side_share(scripts, toks, "de") == 1.0


def test_starts_lower_skips_handles_and_urls() -> None:
    from duiqi.score.text import starts_lower

    assert starts_lower("and then he left.")
    assert not starts_lower("@user34 I can almost hear the fanfare.")
    assert not starts_lower("#news http://x.org The minister said")
    assert starts_lower("@user34 yeah bro")


def test_disorder_marks_word_salad_not_english() -> None:
    from duiqi.score.text import disorder

    assert disorder("He worked at the United Nations for thirty years.") == 0
    assert disorder("We must leave it to the good Lord to decide.") == 0
    assert disorder("Delegations the office received The twelve.") == 1
    assert disorder("2022, the office In July twelve delegations, received than held thirty more events.") >= 1
    assert disorder("the of a and the .") >= 3


# --- the fast paths give the same answers as the plain definitions ---------------------------------

_MIXED = st.text(
    alphabet=st.sampled_from(
        [*"０１２３４５６７８９ＡＺａｚ，。：（）！？％～　 ①⑫…年月万亿十二三一两abcThe of,.?!:'\u0301\u00e9\x1c\t\n",
         "ｶ", "ﾞ", "㎞", "¹", "ﬁ", "\u3000", "\uff5e", "\uff01"]
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_fast_nfkc_is_nfkc(text: str) -> None:
    import unicodedata

    _nfkc = N._nfkc

    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


_EN_SALAD = st.lists(
    st.sampled_from(["the", "The", "a", "An", "of", "in", "In", "received", "office", "he", "It", ",", ".", "!",
                     "and", "twelve", "When", "x", "  ", "\t"]),
    max_size=14,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_EN_SALAD)
def test_disorder_prefilter_keeps_the_count(text: str) -> None:
    from duiqi.score.text import _DISORDER_RE, disorder

    assert disorder(text) == (0 if text.count(" ") < 3 else len(_DISORDER_RE.findall(text)))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Ab1 9'-?\x1c\x7f.,The")), max_size=40))
def test_ascii_side_stats_and_noise_match_the_unicode_paths(text: str) -> None:
    import regex

    from duiqi.score.text import noise_chars

    side_stats = S.side_stats

    units, _scripts, toks = side_stats(text)
    words = regex.findall(r"[A-Za-z]+(?:'[A-Za-z]+)*", text)
    assert toks == {w.lower() for w in words}
    assert units == len(words) + len(regex.findall(r"[0-9]+", text))
    slow = regex.compile(r"\?[\s?]|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]")
    if not slow.search(text):
        assert noise_chars(text) == 0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["one", "Two", "May", "may", "march", "5", "1.", "三、", "ｏｎｅ", "don't", "O'Neil",
                                 "m", "k", "$5m", "thirty", "the", "plan", ",", "1,200", "million", "I'm", "o'clock",
                                 "'90s", "five'", "'one", "we'd'", "''", "rock'n'roll", "one's", "May's"]),
                max_size=10).map(" ".join))
def test_numbers_with_tokens_is_numbers(text: str) -> None:
    assert N.numbers(text, S.side_stats(text)[2]) == N.numbers(text)


# --- k13 fast paths: each against its plain definition ---------------------------------------------

_SALAD_MIXED = st.lists(
    st.sampled_from(["the", "THE", "a", "An", "of", "IN", "received", "ſ", "İs", "K", "is", "it", "The", ",", ".",
                     "é", "中", "The", "  ", "\t", "data,", "an", "Was"]),
    max_size=12,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_SALAD_MIXED)
def test_disorder_lower_case_scan_keeps_the_count(text: str) -> None:
    from duiqi.score.text import _DISORDER_RE, disorder

    assert disorder(text) == (0 if text.count(" ") < 3 else len(_DISORDER_RE.findall(text)))


def test_only_listed_characters_lower_to_ascii_letters() -> None:
    import re
    import sys

    _LOWERS_TO_ASCII_RE = N._LOWERS_TO_ASCII_RE

    letter = re.compile("[a-z]")
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        assert bool(letter.search(ch.lower())) == bool(_LOWERS_TO_ASCII_RE.search(ch)), hex(c)


_NUMERAL_MIXED = st.lists(
    st.sampled_from([*"一二两三十百千万亿零〇成年月多余世纪个人的是五9 0.,%İKé", "Kelvin", "May", "one", "thirty",
                     "百分之", "二〇二二年", "34万亿美元", "$34 trillion"]),
    max_size=10,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_NUMERAL_MIXED)
def test_numeral_prefilters_keep_the_values(text: str) -> None:
    """numbers() with its prefilters gives what it gives when the prefilters let every text through."""
    import re

    fast = N.numbers(text), N.numbers(text, S.side_stats(text)[2])
    saved = N._ZH_NUMERAL_CHAR_RE, N._LOWERS_TO_ASCII_RE
    try:
        N._ZH_NUMERAL_CHAR_RE = N._LOWERS_TO_ASCII_RE = re.compile("")  # matches every text
        plain = N.numbers(text), N.numbers(text, S.side_stats(text)[2])
    finally:
        N._ZH_NUMERAL_CHAR_RE, N._LOWERS_TO_ASCII_RE = saved
    assert fast == plain


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["Han", "Kana", "Hangul", "Latin", "Cyrillic", "Arabic", "Other"]),
                       st.integers(0, 50)),
       st.sampled_from(["zh", "ja", "ko", "en", "ru", "de-AT"]))
def test_share_of_is_the_plain_share(scripts: dict[str, int], lang: str) -> None:
    total = sum(scripts.values())
    want = T.scripts_for(lang)
    plain = 1.0 if total == 0 else sum(n for s, n in scripts.items() if s in want) / total
    assert S.share_of(scripts, lang) == plain


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*"版权归所有未经许可转载使用复制禁止严禁不得 ab.", "版权归", "未经许可", "转载"]),
                max_size=12).map("".join))
def test_short_copyright_prefilter_is_necessary(text: str) -> None:
    from duiqi.score.boilerplate import _COPYRIGHT_SHORT_RE

    if _COPYRIGHT_SHORT_RE.search(text):
        assert "版权归" in text or "未经" in text or "转载" in text


def _side_stats_plain(text: str) -> tuple[int, dict[str, int], set[str]]:
    """side_stats as first written: every match of _SIDE_RE in turn (the definition the fast paths keep)."""
    units = 0
    scripts: dict[str, int] = {}
    toks: set[str] = set()
    for m in S._SIDE_RE.finditer(text):
        k = m.lastindex or 8
        run = m.group(k)
        if k == 8:
            units += 1
            continue
        name = S._SCRIPT_NAMES[k - 1]
        if k <= 3:
            units += len(run)
            scripts[name] = scripts.get(name, 0) + len(run)
            toks.update(run)
        else:
            units += 1
            scripts[name] = scripts.get(name, 0) + 1
            toks.add(run.lower())
    return units, scripts, toks


_SIDE_MIXED = st.lists(
    st.sampled_from([*"中文〇二〡々〆⺀12３ ，。abcÉé’'\u0301αΩカナ한글Жд", "二〇二二", "1〇", "GDP增长", "don’t", "α中文"]),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_SIDE_MIXED)
def test_side_stats_is_the_plain_loop(text: str) -> None:
    assert S.side_stats(text) == _side_stats_plain(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"零〇一二两三四五六七八九十百千万亿成年月号%倍岁周多余几世纪", "a"]), max_size=10))
def test_cached_numeral_reading_is_the_plain_reading(text: str) -> None:
    """numbers() with the cached _zh_body/_canon equals numbers() with the caches bypassed."""
    fast = N.numbers(text)
    saved = N._zh_body, N._canon
    try:
        N._zh_body, N._canon = saved[0].__wrapped__, saved[1].__wrapped__  # type: ignore[assignment]
        plain = N.numbers(text)
    finally:
        N._zh_body, N._canon = saved
    assert fast == plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["@user34", "#news", "http://x.org", "https://a.b/c", "www.x.cn", "WWW.X.CN", "HTTP://X",
                                 "and", "The", "好", " ", "\t", "ww", "htt", "p", "@", "#", "1"]),
                max_size=8).map("".join))
def test_starts_lower_prefilter_is_the_plain_definition(text: str) -> None:
    m = T._FIRST_LETTER_RE.search(U.LEADING_HANDLES_RE.sub("", text, count=1))
    assert T.starts_lower(text) == (bool(m) and m is not None and m.group().islower())


def test_no_list_start_only_where_the_list_number_cannot_match() -> None:
    """The pre-check before the list-number regex is a necessary condition (it never hides a match)."""
    import regex

    skipped = 0
    for c in [*map(chr, range(0x80)), *map(chr, range(0x4E00, 0xA000))]:
        if N._no_list_start(c + " x"):
            skipped += 1
            assert not regex.match(r"\s|\d|[一二三四五六七八九十]", c), repr(c)
            assert N._LIST_NUMBER_RE.match(c + "、") is None
    assert skipped > 20000
    for text in ("1. 这是", "一、首先", " 3) x", "十二、", "二十、"):
        assert not N._no_list_start(text) and N._LIST_NUMBER_RE.match(text)
