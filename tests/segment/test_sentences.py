"""Sentence splitting: Chinese, English, German, French; spans are trimmed, ordered and cover the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duiqi.records import Block
from duiqi.segment import join_lines, sentences, split_sentences


def split(text: str, lang: str = "en", **kw: bool) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang, **kw)]


# --- Chinese ---------------------------------------------------------------------------------------


def test_zh_terminators_and_closers() -> None:
    assert split("他来了。她走了！你呢？好……", "zh") == ["他来了。", "她走了！", "你呢？", "好……"]
    assert split("他说：“我们走吧。”然后就走了。", "zh") == ["他说：“我们走吧。”", "然后就走了。"]
    assert split("问：“是怎么了？”宝玉红了脸。", "zh") == ["问：“是怎么了？”", "宝玉红了脸。"]
    assert split("「好。」他答。『嗯。』", "zh") == ["「好。」", "他答。", "『嗯。』"]


def test_emoji_after_a_terminator_stay_with_their_sentence() -> None:
    assert split("配件已经做好了。😂", "zh") == ["配件已经做好了。😂"]
    assert split("我也想买新的了。😂 好的。", "zh") == ["我也想买新的了。😂", "好的。"]
    assert split("That is great! 😂 Next one. Done 👍🏽. Ok", "en") == ["That is great! 😂", "Next one.", "Done 👍🏽.", "Ok"]
    assert split("Thanks! 🇬🇧❤️ See you.", "en") == ["Thanks! 🇬🇧❤️", "See you."]


def test_zh_ascii_forms_after_nfkc() -> None:
    assert split("他来了!你呢?好.再见。", "zh") == ["他来了!", "你呢?", "好.", "再见。"]


def test_zh_no_split_inside_latin_or_numbers() -> None:
    assert split("价格是3.5元，比U.S.高。雅虎(Yahoo!)公司成立了。", "zh") == [
        "价格是3.5元，比U.S.高。",
        "雅虎(Yahoo!)公司成立了。",
    ]
    assert split("网址是www.example.com。请访问。", "zh") == ["网址是www.example.com。", "请访问。"]


def test_zh_embedded_quotation_does_not_split() -> None:
    # A quotation opened inside a sentence (not after a colon) and the sentence goes on after it.
    assert split("他大喊一声“站住！”就冲了出去。好。", "zh") == ["他大喊一声“站住！”就冲了出去。", "好。"]
    assert split("“走吧！”，他说。", "zh") == ["“走吧！”，他说。"]


def test_zh_ellipsis_hesitation_vs_end() -> None:
    assert split("我…… 我不知道。", "zh") == ["我…… 我不知道。"]
    assert split("我……我不知道。", "zh") == ["我……我不知道。"]
    assert split("吐了轿子一辈子没好运……轿夫们的话更加粗野了。", "zh") == [
        "吐了轿子一辈子没好运……",
        "轿夫们的话更加粗野了。",
    ]


def test_zh_semicolon_is_optional() -> None:
    text = "生子小名板儿；又生一女，名唤青儿。"
    assert split(text, "zh") == [text]
    assert split(text, "zh", semicolon=True) == ["生子小名板儿；", "又生一女，名唤青儿。"]


def test_zh_dash_before_closing_quote_ends() -> None:
    assert split("“你为什么——”说到这里，他停了。", "zh") == ["“你为什么——”", "说到这里，他停了。"]


def test_zh_stray_space_before_closing_quote() -> None:
    assert split("他道：“呸，你不会摔交。 ”韦小宝道：“谁说不会？”", "zh") == [
        "他道：“呸，你不会摔交。 ”",
        "韦小宝道：“谁说不会？”",
    ]


# --- English ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith went to Washington. He arrived at 3.15 p.m. yesterday.",
         ["Dr. Smith went to Washington.", "He arrived at 3.15 p.m. yesterday."]),
        ("He lives in the U.S. The weather is nice.", ["He lives in the U.S.", "The weather is nice."]),
        ("The U.S. Army arrived.", ["The U.S. Army arrived."]),
        ("J. K. Rowling wrote it. See No. 5 and pp. 12-14.", ["J. K. Rowling wrote it.", "See No. 5 and pp. 12-14."]),
        ("Visit www.example.com. Or mail a.b@c.org. Thanks!", ["Visit www.example.com.", "Or mail a.b@c.org.", "Thanks!"]),
        ("See https://example.com/a.b?c=d. Next one.", ["See https://example.com/a.b?c=d.", "Next one."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ('"Stop!" he said.', ['"Stop!" he said.']),
        ("The value is 3.5. Next sentence.", ["The value is 3.5.", "Next sentence."]),
        ("It rose 2.5% in 2021. It fell in 2022.", ["It rose 2.5% in 2021.", "It fell in 2022."]),
        ("1. Introduction", ["1. Introduction"]),
        ("e.g. this one. Mr. Li came.", ["e.g. this one.", "Mr. Li came."]),
        ("I... I've got a headache. What... is this?", ["I... I've got a headache.", "What... is this?"]),
        ("the book . . . Something was wrong.", ["the book . . .", "Something was wrong."]),
        ("It works, etc. and more.", ["It works, etc. and more."]),
        ("Apple Inc. The company grew.", ["Apple Inc.", "The company grew."]),
        ("Why? Because. 今天好。", ["Why?", "Because.", "今天好。"]),
    ],
)
def test_en_rules(text: str, expected: list[str]) -> None:
    assert split(text, "en") == expected


def test_en_missing_space_after_full_stop() -> None:
    text = ("Chongqing gave full play to sister cities and civil organizations as bridges to keep enhancing "
            "international cooperation.Chongqing also participated in many activities.")
    assert split(text) == [
        "Chongqing gave full play to sister cities and civil organizations as bridges to keep enhancing "
        "international cooperation.",
        "Chongqing also participated in many activities.",
    ]
    # Not after abbreviations and not inside file names or domains.
    assert split("H.E.Khamphao arrived. See node.js and example.com today.") == [
        "H.E.Khamphao arrived.",
        "See node.js and example.com today.",
    ]


def test_en_he_honorific_never_splits() -> None:
    text = ("H.E. U Myo Thant Pe, late Ambassador of Myanmar to China, H.E. Lui Tuck Yew, and "
            "H.E.Khamphao Ernthavanh, Ambassador of Laos to China were invited to Chongqing for visits. "
            "These visits have promoted exchanges.")
    spans = split(text)
    assert len(spans) == 2
    assert spans[0].endswith("for visits.")
    assert spans[0].startswith("H.E. U Myo")


def test_de_and_fr() -> None:
    assert split("Am 3. Oktober 1990 wurde Deutschland vereinigt. Das war gut.", "de") == [
        "Am 3. Oktober 1990 wurde Deutschland vereinigt.",
        "Das war gut.",
    ]
    assert split("Das ist z. B. gut. Dr. Müller kommt. Er kam im Jahr 1990. Danach ging er.", "de") == [
        "Das ist z. B. gut.",
        "Dr. Müller kommt.",
        "Er kam im Jahr 1990.",
        "Danach ging er.",
    ]
    assert split("M. Dupont est arrivé. « Bonjour. » Il est parti ! Pourquoi ? Je ne sais pas.", "fr") == [
        "M. Dupont est arrivé.",
        "« Bonjour. »",
        "Il est parti !",
        "Pourquoi ?",
        "Je ne sais pas.",
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Er wohnt in der Hauptstr. 5 in Berlin. Das ist schön.",
         ["Er wohnt in der Hauptstr. 5 in Berlin.", "Das ist schön."]),
        ("de", "Siehe S. 5 bzw. Nr. 7 u. a. im Anhang. Danach kommt mehr.",
         ["Siehe S. 5 bzw. Nr. 7 u. a. im Anhang.", "Danach kommt mehr."]),
        ("de", "Prof. Dr. Meier kam um 10 Uhr. Er sprach lange.", ["Prof. Dr. Meier kam um 10 Uhr.", "Er sprach lange."]),
        ("de", "Er sagte: „Ich komme.“ Dann ging er.", ["Er sagte: „Ich komme.“", "Dann ging er."]),
        ("de", "„Komm her!“, rief er. Sie kam.", ["„Komm her!“, rief er.", "Sie kam."]),
        ("fr", "César est mort en 44 av. J.-C. et Rome a changé. Ensuite vint Auguste.",
         ["César est mort en 44 av. J.-C. et Rome a changé.", "Ensuite vint Auguste."]),
        ("fr", "Il y a des fruits, p. ex. des pommes, etc. Ils sont bons.",
         ["Il y a des fruits, p. ex. des pommes, etc.", "Ils sont bons."]),
        ("fr", "M. et Mme Dupont sont là. Ils arrivent.", ["M. et Mme Dupont sont là.", "Ils arrivent."]),
    ],
)
def test_more_german_and_french(lang: str, text: str, expected: list[str]) -> None:
    assert split(text, lang) == expected


def test_empty_and_whitespace() -> None:
    assert split_sentences("", "en") == []
    assert split_sentences("   \n ", "zh") == []
    assert split("  Hello world.  ") == ["Hello world."]


def test_very_long_line() -> None:
    text = "这是一个句子。" * 20000 + "This is a sentence. " * 5000
    spans = split_sentences(text, "zh")
    assert len(spans) == 25000


# --- invariants ------------------------------------------------------------------------------------

_ALPHABET = "ab .!?。！？”“\"'… \nA1你好,，"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80), st.sampled_from(["zh", "en", "de", "fr"]))
def test_spans_are_ordered_trimmed_and_cover_all_text(text: str, lang: str) -> None:
    spans = split_sentences(text, lang)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        assert not text[last:a].strip()  # nothing but white space between sentences
        last = b
    assert not text[last:].strip()


def test_sentences_number_each_language_side() -> None:
    blocks = [
        Block("d", 0, "你好。再见。", 0, 6, "zh", "hans"),
        Block("d", 1, "Hello. Bye.", 7, 18, "en"),
        Block("d", 2, "好的。", 19, 22, "zh", "hans"),
    ]
    sents = sentences(blocks)
    assert [(s.lang, s.index, s.block_index, s.text) for s in sents] == [
        ("zh", 0, 0, "你好。"),
        ("zh", 1, 0, "再见。"),
        ("en", 0, 1, "Hello."),
        ("en", 1, 1, "Bye."),
        ("zh", 2, 2, "好的。"),
    ]
    assert (sents[3].start, sents[3].end) == (14, 18)
    assert sents[0].script == "hans"


def test_join_lines() -> None:
    assert join_lines("中文\n句子") == "中文句子"
    assert join_lines("an English\n  sentence") == "an English sentence"
    assert join_lines("no break") == "no break"


def test_pathological_inputs_stay_linear() -> None:
    # A stray opening quote after a Han character must not glue a whole long text into one sentence.
    text = "他说“" + "这是一个句子。" * 30000
    spans = split_sentences(text, "zh")
    assert len(spans) > 29000
    # Thousands of abbreviations and URLs in one line.
    text = "See U.S. and www.example.com. " * 20000
    assert len(split_sentences(text, "en")) >= 1
