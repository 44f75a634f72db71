"""Blocks: lines to language-tagged blocks, mixed lines split, offsets kept, kinds tagged."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from duiqi.records import Document
from duiqi.segment import (
    StopwordIdentifier,
    block_kind,
    blocks,
    chinese_script,
    detect_language,
    latin_lang,
    sentences,
)


def tags(text: str) -> list[tuple[str, str]]:
    return [(b.lang, b.text) for b in blocks(Document("t", text))]


def test_offsets_point_back_into_the_text() -> None:
    text = "  第一行。\r\n\r\nSecond line here.\rThird 第三 line\n# Heading\n- bullet item text\n"
    doc = Document("t", text)
    bl = blocks(doc)
    assert [b.index for b in bl] == list(range(len(bl)))
    for b in bl:
        assert text[b.start:b.end] == b.text
        assert b.doc_id == "t"
    assert [b.text for b in bl] == ["第一行。", "Second line here.", "Third 第三 line", "Heading", "bullet item text"]
    assert bl[3].kind == "heading"


def test_mixed_lines_split_into_single_language_runs() -> None:
    assert tags("重庆史迪威博物馆。Chongqing Stilwell Museum.") == [
        ("zh", "重庆史迪威博物馆。"),
        ("en", "Chongqing Stilwell Museum."),
    ]
    assert tags("The weather is nice today. 今天天气很好。") == [
        ("en", "The weather is nice today."),
        ("zh", "今天天气很好。"),
    ]
    assert tags("重庆市人民政府 Chongqing Municipal People's Government") == [
        ("zh", "重庆市人民政府"),
        ("en", "Chongqing Municipal People's Government"),
    ]


def test_short_foreign_runs_stay_with_their_sentence() -> None:
    for text in (
        "中国加入世界贸易组织(WTO)已经二十年了。",
        "在渝外籍人士James(美國)參加全國友協舉辦的短視頻大賽。",
        "中国外文局(China International Communication Group)翻译院成立。",
        "世界贸易组织（World Trade Organization）成立于1995年。",
        "充分發(fā)揮領(lǐng)事機(jī)構(gòu)的作用。",
    ):
        assert tags(text) == [("zh", text)], text
    for text in (
        "Xi Jinping (习近平) met the delegation in Beijing yesterday.",
        "English text with Chinese names like 李明 and 王芳 is still English text.",
        "The concept of 人类命运共同体 is central to the speech.",
    ):
        assert tags(text) == [("en", text)], text


def test_languages_other_mixed_none() -> None:
    assert tags("Guten Tag, wie geht es Ihnen? Ich hoffe, es geht Ihnen gut.")[0][0] == "other"
    assert tags("Aujourd'hui est un bon jour pour tout le monde.")[0][0] == "other"
    assert tags("こんにちは、元気ですか。")[0][0] == "other"
    assert tags("안녕하세요 반갑습니다")[0][0] == "other"
    assert tags("重庆Chongqing")[0][0] == "mixed"  # no space between the halves: not a two-column line
    # a term and its translation in two columns: split by language, both halves annotations (gloss)
    assert tags("Chongqing 重庆") == [("en", "Chongqing"), ("zh", "重庆")]
    assert [b.kind for b in blocks(Document("t", "Chongqing 重庆"))] == ["gloss", "gloss"]
    assert tags("12 345")[0][0] == "none"
    assert tags("2022年7月") == [("zh", "2022年7月")]


def test_script_is_recorded_not_a_language() -> None:
    hant, hans = blocks(Document("t", "重慶史迪威博物館。\n重庆史迪威博物馆。"))
    assert (hant.lang, hant.script) == ("zh", "hant")
    assert (hans.lang, hans.script) == ("zh", "hans")
    assert chinese_script("Chongqing") is None
    # An undecidable line takes the document's script.
    b = blocks(Document("t", "重慶歡迎您。\n中心人士。"))
    assert b[1].script == "hant"


def test_kinds() -> None:
    assert block_kind("2022年7月,緬甸駐華大使苗丹佩訪(fǎng)問(wèn)重慶。", "zh") == "caption"
    assert block_kind("July 2022, the ambassador visited Chongqing.", "en") == "caption"
    assert block_kind("Figure 3: The museum entrance.", "en") == "caption"
    assert block_kind("重慶史迪威博物館。", "zh") == "short"
    assert block_kind("2022年7月", "zh") == "date"
    assert block_kind("July 21, 2022", "en") == "date"
    assert block_kind("2022-07-21", "none") == "date"
    assert block_kind("12", "none") == "number"
    assert block_kind("- 3 -", "none") == "number"
    assert block_kind("一、总体情况", "zh") == "heading"
    assert block_kind("Annual Report on Foreign Affairs", "en") == "heading"
    assert block_kind("重慶正加快建設內陸開放高地、山清水秀美麗之地。", "zh") == "text"
    assert block_kind("Chongqing gave full play to consular agencies and sister cities.", "en") == "text"


def test_hard_wrapped_latin_paragraph_is_one_block() -> None:
    text = "This line is hard wrapped and\ncontinues here on the next line.\n\nNew paragraph."
    bl = blocks(Document("t", text))
    assert [b.text for b in bl] == ["This line is hard wrapped and\ncontinues here on the next line.", "New paragraph."]


def test_short_lower_case_line_after_a_short_line_is_not_a_wrap() -> None:
    # posts one per line: the first line had room for "seems", so the break was typed, not wrapped
    text = ("I'm using tailwind for a project, very begrudgingly\n"
            "seems like learning css would be easier tbh\n"
            "i should stop tooting about this but this component library pointing out how bad the default "
            "setup is, is hilarious to me")
    assert len(blocks(Document("t", text))) == 3
    # a paragraph wrapped at a fixed width still joins (each line was full when the next word came)
    wrapped = ("The committee met on Tuesday to discuss the new budget and\n"
               "agreed that the proposal needed further work before it could\n"
               "be voted on.")
    assert len(blocks(Document("t", wrapped))) == 1


def test_split_mixed_off_keeps_lines_whole() -> None:
    bl = blocks(Document("t", "重庆史迪威博物馆。Chongqing Stilwell Museum."), split_mixed=False)
    assert len(bl) == 1 and bl[0].lang == "mixed"


def test_fake_identifier_and_detect_language() -> None:
    fake = StopwordIdentifier()
    assert latin_lang("the cat sat on the mat", fake) == ("en", "en")
    assert latin_lang("Der Hund schläft im Garten unter dem Baum", fake)[0] == "other"
    assert detect_language("重庆欢迎您") == ("zh", "hans")
    assert detect_language("Welcome to Chongqing, the mountain city") == ("en", None)
    assert detect_language("   ") == ("none", None)


def test_very_long_mixed_line() -> None:
    text = ("重慶正加快建設(shè)內陸開放高地。" * 3000) + " " + ("Chongqing is speeding up. " * 2000)
    bl = blocks(Document("t", text))
    assert [b.lang for b in bl] == ["zh", "en"]
    assert bl[0].end < bl[1].start


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab 中文。.\n\r(WTO)Chongqing重庆 ,，12", max_size=120))
def test_blocks_invariants(text: str) -> None:
    bl = blocks(Document("t", text), identifier=StopwordIdentifier())
    last = 0
    for b in bl:
        assert text[b.start:b.end] == b.text
        assert b.text == b.text.strip() and b.text
        assert last <= b.start
        last = b.end
        assert b.lang in {"zh", "en", "other", "mixed", "none"}


def test_hard_wrapped_chinese_text_is_joined() -> None:
    para1 = ("却说秦氏因听见宝玉梦中唤他的乳名，心中纳闷，又不好细问。彼时宝玉迷迷惑惑，若有所失，遂起身解怀整衣。"
             "袭人过来给他系裤带时，刚伸手至大腿处，只觉冰冷粘湿的一片，吓的忙褪回手来。")
    para2 = ("袭人本是个聪明女子，年纪又比宝玉大两岁，近来也渐省人事。今见宝玉如此光景，心中便觉察了一半，"
             "不觉把个粉脸羞的飞红，遂不好再问。仍旧理好衣裳，随至贾母处来，胡乱吃过晚饭。")
    lines = []
    for para in (para1, para2):
        chunks = [para[i:i + 20] for i in range(0, len(para), 20)]
        lines += ["\u3000\u3000" + chunks[0], *chunks[1:]]
    text = "\n".join(lines)
    bl = blocks(Document("t", text))
    assert [b.text.replace("\n", "") for b in bl] == [para1, para2]
    sents = sentences(bl)
    assert sents[0].text == "却说秦氏因听见宝玉梦中唤他的乳名，心中纳闷，又不好细问。"
    # Lines of varying length (the example page) are never joined.
    assert len(blocks(Document("t", "第一行没有句号\n第二行也没有\n第三行"))) == 3


def test_glued_names_urls_and_handles() -> None:
    assert tags("For information, visit tierradelsolgallery.org. Tierra del Sol画廊位于圣莫尼卡大道7414号。") == [
        ("en", "For information, visit tierradelsolgallery.org."),
        ("zh", "Tierra del Sol画廊位于圣莫尼卡大道7414号。"),
    ]
    assert tags("Better Markets联合创始人表示，这一批准是一个历史性的错误。Kelleher said it was a mistake.") == [
        ("zh", "Better Markets联合创始人表示，这一批准是一个历史性的错误。"),
        ("en", "Kelleher said it was a mistake."),
    ]
    assert tags("他在文章中写道：https://example.com/p/ux-roundup-2024 From his latest newsletter today.") == [
        ("zh", "他在文章中写道：https://example.com/p/ux-roundup-2024"),
        ("en", "From his latest newsletter today."),
    ]
    assert tags("@user13 天哪，那是痴心妄想 @user13 Holy shit, that's delusional") == [
        ("zh", "@user13 天哪，那是痴心妄想"),
        ("en", "@user13 Holy shit, that's delusional"),
    ]
    assert tags("@user44") == [("none", "@user44")]
    assert tags("我叫Jack。") == [("zh", "我叫Jack。")]


def test_long_lines_with_many_runs() -> None:
    glossed = "中国外文局(China International Communication Group)翻译院成立了，" * 2000
    bl = blocks(Document("t", glossed))
    assert [b.lang for b in bl] == ["zh"]
    alternating = "中文句子在这里结束了。An English sentence is here too. " * 300
    bl = blocks(Document("t", alternating))
    assert [b.lang for b in bl] == ["zh", "en"] * 300
    assert bl[1].text == "An English sentence is here too."


def test_chinese_sentence_opening_with_latin_names_stays_whole() -> None:
    from duiqi.segment import sentences

    text = "AT&T 与 Johnson & Johnson 签署了合作协议。IBM 和 3M 公司也加入了。"
    sents = sentences(blocks(Document("t", text + "\n\nAT&T and Johnson & Johnson signed an agreement.")))
    assert [(s.lang, s.text) for s in sents] == [
        ("zh", "AT&T 与 Johnson & Johnson 签署了合作协议。"), ("zh", "IBM 和 3M 公司也加入了。"),
        ("en", "AT&T and Johnson & Johnson signed an agreement."),
    ]
    # a Latin name closing a Chinese sentence stays in it; a subtitle-style line is two sentences
    assert tags("有请你们的少年奶爸， Karlous Miller！") == [("zh", "有请你们的少年奶爸， Karlous Miller！")]
    assert "gloss" not in [b.kind for b in blocks(Document("t", "电话亭那么大…… The lander is about the size of a box..."))]
    # a glossary line keeps its two columns apart, IPA and part of speech with the headword
    assert tags("make breakthroughs  做出重大突破") == [("en", "make breakthroughs"), ("zh", "做出重大突破")]
    assert tags(">murky[ˈmɜrki] 浑浊的；阴暗的") == [("en", "murky[ˈmɜrki]"), ("zh", "浑浊的；阴暗的")]
    assert tags("- mobilize    v.调动；动员") == [("en", "mobilize    v."), ("zh", "调动；动员")]


def test_markdown_structure_never_joins_lines() -> None:
    from duiqi.segment.blocks import paragraphs

    text = ("The company went to great lengths to\n>great lengths to 不遗余力地\n- item one\n  goes on here\n"
            "```\ncode line\n```\n| a | b |\n# Title")
    got = [(text[p.start:p.end], p.role, p.unit) for p in paragraphs(text)]
    assert got == [("The company went to great lengths to", "plain", 0), ("great lengths to 不遗余力地", "quote", 1),
                   ("item one", "list", 2), ("goes on here", "list", 2), ("code line", "code", 3),
                   ("| a | b |", "table", 4), ("Title", "heading", 5)]


def test_padded_glossary_columns_are_no_wrap_width() -> None:
    """Lines of a fenced glossary padded to one width must not make the Chinese lines after them look
    hard-wrapped (they would be joined)."""
    from duiqi.segment.blocks import paragraphs

    head = "上一篇 Previous | 下一篇 Next"
    words = ["alpha", "beta", "gamma", "delta", "eps", "zeta"]
    gloss = "\n".join(f"{w:<{len(head) - 4}}中文释义" for w in words)  # as long as the line after them
    text = f"```\n{gloss}\n```\n{head}\n登月时间倒计时约一小时。\n"
    got = [text[p.start:p.end] for p in paragraphs(text) if p.role == "plain"]
    assert got == [head, "登月时间倒计时约一小时。"]
