"""Boilerplate and navigation lines (issue 13): recognised in either language, reported as a filter
reason, and ordinary sentences about the same topics left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from duiqi.records import Pair
from duiqi.score import boilerplate_kind, filter_pairs, is_boilerplate, pair_boilerplate

BOILERPLATE = [
    ("点击这里订阅 | Click here to subscribe!", "subscribe"),
    ("点击这里订阅", "subscribe"),
    ("Click here to subscribe!", "subscribe"),
    ("Subscribe to our newsletter", "subscribe"),
    ("关注我们的微信公众号", "subscribe"),
    ("扫描二维码关注", "subscribe"),
    ("© 2024 Reuters. All rights reserved.", "copyright"),
    ("版权所有 © 新华网 未经许可不得转载", "copyright"),
    ("Copyright 2023 China Daily", "copyright"),
    ("Share on Facebook", "share"),
    ("分享到微信", "share"),
    ("微信 | 微博 | QQ空间", "share"),
    ("首页 | 新闻 | 关于我们 | 联系我们", "navigation"),
    ("Home · News · Sport · Contact", "menu"),
    ("返回顶部", "navigation"),
    ("Back to top", "navigation"),
    ("上一篇：重庆召开外事工作会议", "navigation"),
    ("Read more", "more"),
    ("阅读全文", "more"),
    ("Sign in | Register", "login"),
    ("This website uses cookies to improve your experience.", "cookies"),
    ("隐私政策", "cookies"),
    ("责任编辑：王小明", "credit"),
    ("Contact us", "contact"),
]

ORDINARY = [
    "Subscribers to the service doubled last year.",
    "订阅用户数量去年翻了一番。",
    "We share the same values and goals.",
    "分享经验对年轻教师很重要。",
    "He went home after the meeting.",
    "The court ruled that the copyright claim was not valid in 2019 and the case was closed after appeal.",
    "请访问我们的网站了解详情。",
    "Click the button to start the machine.",
    "首先，我们要回到问题的起点。",
]


@pytest.mark.parametrize(("text", "kind"), BOILERPLATE)
def test_boilerplate_recognised(text: str, kind: str) -> None:
    got = boilerplate_kind(text)
    assert got is not None, text
    if kind != "navigation" or got != "menu":  # a menu line of navigation items may be either
        assert got == kind


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_are_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(text)


def test_issue_case_rejected_with_reason() -> None:
    """``点击这里订阅 | Click here to subscribe!`` was kept at quality 0.74."""
    pair = Pair("点击这里订阅", "Click here to subscribe!", "zh", "en", 0.8, quality=0.74)
    out = filter_pairs([pair])
    assert not out.kept
    (rej,) = out.rejected
    assert "boilerplate" in rej.filters
    assert any(r.startswith("boilerplate: subscribe") for r in rej.reasons)
    assert out.counts["boilerplate"] == 1
    assert pair_boilerplate("今天天气很好。", "Share this article") == "share (target)"


def test_boilerplate_filter_can_be_switched_off() -> None:
    from duiqi.score import FilterConfig

    pair = Pair("返回顶部", "Back to top", "zh", "en", 0.8, quality=0.9)
    assert filter_pairs([pair], FilterConfig(boilerplate=False)).kept


def test_cli_keeps_boilerplate_on_request(tmp_path: Path) -> None:
    import json

    from duiqi.cli.main import main

    src = tmp_path / "pairs.jsonl"
    row = Pair("点击这里订阅", "Click here to subscribe!", "zh", "en", 0.74, quality=0.9).to_dict()
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    out, rej = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    assert main(["filter", str(src), "-o", str(out), "--rejects", str(rej)]) == 0
    assert out.read_text(encoding="utf-8") == ""
    assert "boilerplate: subscribe" in rej.read_text(encoding="utf-8")
    assert main(["filter", str(src), "-o", str(tmp_path / "kept.jsonl"), "--keep-boilerplate"]) == 0
    assert "点击这里订阅" in (tmp_path / "kept.jsonl").read_text(encoding="utf-8")


def test_inline_markup_is_not_a_menu() -> None:
    """Markdown notes underline words (``<u>铅笔</u>``): the ``/`` of a closing tag is no menu separator."""
    from duiqi.score.boilerplate import boilerplate_kind

    assert boilerplate_kind("我们总是先用<u>铅笔</u>画出草图……") is None
    assert boilerplate_kind("“卡<u>耶尔</u>!”") is None
    assert boilerplate_kind("<b>Subscribe</b> to our newsletter") == "subscribe"


def test_a_credit_names_someone_it_holds_no_sentence() -> None:
    """``编辑：现在只剩一关了。`` ("Edit: is now down to 1.", a real social post) is a sentence, not an editor's
    credit; ``责任编辑：李四`` and ``Photo: Xinhua`` are credits."""
    from duiqi.score.boilerplate import boilerplate_kind

    assert boilerplate_kind("编辑：现在只剩一关了。") is None
    assert boilerplate_kind("Edit: is now down to 1.") is None
    assert boilerplate_kind("责任编辑：李四") == "credit"
    assert boilerplate_kind("Photo: Xinhua") == "credit"
