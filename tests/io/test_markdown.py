"""Inline Markdown removed for the aligner, offsets kept into the original."""

from __future__ import annotations

from duiqi.io.markdown import clean_markdown, looks_like_markdown


def _check_offsets(text: str) -> str:
    c = clean_markdown(text)
    assert len(c.offsets) == len(c.text) + 1
    for i, ch in enumerate(c.text):
        assert ch == " " or text[c.offsets[i]] == ch
    return c.text


def test_inline_markup_goes_line_structure_stays() -> None:
    assert _check_offsets("对<u>企图</u><u>破坏</u>台湾") == "对企图破坏台湾"
    assert _check_offsets("China has`delivered` its **strong** `commitment`") == "China has delivered its strong commitment"
    assert _check_offsets("* **主句**：*China has...*（中国）") == "* 主句：China has...（中国）"
    assert _check_offsets("see [the site](https://x.org) ![logo](a.png) now") == "see the site  now"
    assert _check_offsets("snake_case_name stays, 2*3*4 too") == "snake_case_name stays, 2*3*4 too"
    assert _check_offsets("# Title **x**\n> quote `y`\n```\n**code** stays\n```\n") == (
        "# Title x\n> quote y\n```\n**code** stays\n```\n")


def test_original_span_of_clean_text() -> None:
    text = "他<u>谴责</u>了"
    c = clean_markdown(text)
    k = c.text.index("谴责")
    assert text[slice(*c.original_span(k, k + 2))] == "谴责"


def test_markdown_detection() -> None:
    assert looks_like_markdown("# T\n\nsome **bold** and `code` here")
    assert not looks_like_markdown("Plain text. 普通文本。\nAnother line with a * star.")
