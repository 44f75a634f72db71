"""Repair stage: the example page, the document gate, plan replay, flags positions, options, API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import duiqi
from duiqi.repair import Edit, Flag, RepairOptions, apply_plan, explain, fixer, repair
from duiqi.repair import pinyin as pinyin_mod
from duiqi.repair._edits import PositionMap, map_flags

EXAMPLE = Path(__file__).parents[2] / "examples" / "chongqing-foreign-affairs-2022.txt"
FIRST_LINE = (
    "充分发挥领事机构、国际友城、民间组织等桥梁作用，共建渠道、共享资源，持续开展重庆特色对外人文交流活动，"
    "拓展更多地方友好关系，扩大重庆城市国际影响力。"
)
PINYIN_ANNOTATION = re.compile(r"[(（]\s?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\s?[)）]")


@pytest.fixture(scope="module")
def example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def repaired(example: str) -> duiqi.repair.RepairResult:
    return repair(example)


def test_example_first_line(repaired: duiqi.repair.RepairResult) -> None:
    assert repaired.text.split("\n")[0] == FIRST_LINE


def test_example_no_pinyin_left(example: str, repaired: duiqi.repair.RepairResult) -> None:
    assert len(PINYIN_ANNOTATION.findall(example)) > 100
    assert PINYIN_ANNOTATION.findall(repaired.text) == []
    kept = repair(example, script="keep").text
    assert PINYIN_ANNOTATION.findall(kept) == []
    assert "發揮領事機構" in kept  # traditional kept when asked


def test_example_reads_right(repaired: duiqi.repair.RepairResult) -> None:
    text = repaired.text
    for good in ("Wilson, Ambassador", "cooperation. Chongqing", "H.E. Khamphao", "James（美国）",
                 "2022年1月，市政府", "tourism, education", "H.E. U Myo Thant Pe", "Chongqing’s"):
        assert good in text, good
    for bad in ("Wilson,Ambassador", "cooperation.Chongqing", "H.E.Khamphao", "James(", "月,"):
        assert bad not in text, bad


def test_example_flags_lossy_latin_in_output(repaired: duiqi.repair.RepairResult) -> None:
    lossy = [f for f in repaired.flags if f.kind == "lossy-latin"]
    assert len(lossy) == 1
    assert repaired.text[lossy[0].start:lossy[0].end] == "Du?an"


def test_example_plan_replays(example: str, repaired: duiqi.repair.RepairResult) -> None:
    assert apply_plan(example, repaired.plan) == repaired.text
    assert {s.fixer for s in repaired.plan} >= {"pinyin", "script", "width", "spacing"}
    assert repaired.signals["seo_pinyin"] is True
    assert repaired.signals["script_reason"] == "seo_pinyin"


def test_apply_plan_rejects_other_text(example: str, repaired: duiqi.repair.RepairResult) -> None:
    with pytest.raises(ValueError):
        apply_plan("something else entirely", repaired.plan)


def test_gate_statistics_on_poem_and_list() -> None:
    poem = "春(chūn) 眠(mián) 不(bù) 覺(jué) 曉(xiǎo)，處(chù) 處(chù) 聞(wén) 啼(tí) 鳥(niǎo)。"
    a = pinyin_mod.analyze(poem)
    assert not a.seo and a.bad > pinyin_mod.MAX_BAD_SHARE * a.good  # invariant characters are annotated
    listing = "常用字：發(fā)、說(shuō)、國(guó)、讀(dú)、書(shū)。"
    b = pinyin_mod.analyze(listing)
    assert b.bad == 0 and not b.seo and b.prose_share == 0.0  # not inside prose


def test_gate_consistency_rule() -> None:
    # 發 annotated once but written four more times without annotation: not the injector (it is consistent)
    text = "發(fā)展是硬道理。發展、發展、再發展,發展經濟。"
    a = pinyin_mod.analyze(text)
    assert a.good == 1 and a.consistency == pytest.approx(0.2)
    assert not a.seo
    assert repair(text, script="keep").text == text


def test_gate_needs_coverage() -> None:
    # one annotation among many traditional-only characters (< 3 %): a gloss, not injection
    body = "臺灣經濟發展在過去十年間持續成長，政府推動許多項改革，民眾生活水準顯著提高，" * 3
    text = body + "其中說(shuō)明了原因。"
    a = pinyin_mod.analyze(text)
    assert a.good == 1 and a.coverage < pinyin_mod.MIN_COVERAGE and not a.seo
    assert repair(text).text == text


def test_all_fixers_off_changes_nothing(example: str) -> None:
    result = repair(example, options=RepairOptions.all_off())
    assert result.text == example and not result.plan and not result.flags


def test_each_fixer_can_be_switched_off(example: str) -> None:
    no_spacing = repair(example, spacing=False).text
    assert "Wilson,Ambassador" in no_spacing
    no_width = repair(example, punctuation=False).text
    assert "2022年1月,市政府" in no_width
    no_flags = repair(example, flags=False)
    assert no_flags.flags == ()
    no_pinyin = repair(example, pinyin=False, script="keep").text
    assert "發(fā)" in no_pinyin


def test_unknown_option_is_an_error() -> None:
    with pytest.raises(TypeError, match="unknown repair option"):
        repair("x", pinyn=False)
    with pytest.raises(ValueError, match="script must be one of"):
        repair("x", script="cantonese")


def test_single_fixer_is_a_pure_function() -> None:
    strip = fixer("spacing")
    assert strip("Wilson,Ambassador 2022年1月,市政府") == "Wilson, Ambassador 2022年1月,市政府"
    with pytest.raises(ValueError):
        fixer("nope")


def test_top_level_wrapper() -> None:
    assert duiqi.repair("近年來(lái),該市積極推動(dòng)經(jīng)濟(jì)發(fā)展。").text == "近年来，该市积极推动经济发展。"


def test_explain_lists_every_edit(example: str, repaired: duiqi.repair.RepairResult) -> None:
    lines = explain(repaired)
    edit_lines = [ln for ln in lines if ln.startswith("  ")]
    assert len(edit_lines) == len(repaired.edits)
    assert any(ln.startswith("flag lossy-latin") for ln in lines)


def test_flags_follow_later_edits() -> None:
    # the flag is raised before punctuation/spacing edits shift the text: it must still point at Du?an
    text = "2022年1月,市政府邀請(qǐng)大使。\nH.E.Khamphao met Du?an Bella,Ambassador."
    result = repair(text)
    (flag,) = [f for f in result.flags if f.kind == "lossy-latin"]
    assert result.text[flag.start:flag.end] == "Du?an"


def test_position_map() -> None:
    edits = [Edit("x", 2, 4, "cd", ""), Edit("x", 6, 6, "", "++"), Edit("x", 8, 9, "i", "III")]
    pm = PositionMap(edits)
    assert pm(0) == 0
    assert pm(4) == 2
    assert pm(6) == 6  # insertion at a span start is before the span
    assert pm(6, is_end=True) == 4  # ... and after a span ending there
    assert pm(10) == 12
    assert pm(3) == 2 and pm(3, is_end=True) == 2
    flags = map_flags([Flag("k", 9, 10)], edits)
    assert (flags[0].start, flags[0].end) == (11, 12)


def test_repair_rejects_bytes() -> None:
    with pytest.raises(TypeError):
        repair(b"abc")  # type: ignore[arg-type]


def test_genuine_traditional_kept_and_mixed_script_converted() -> None:
    hk = "香港特區政府今日公布最新經濟數據，顯示本港經濟穩步增長。\n記者會上，官員回答了傳媒提問。"
    r = repair(hk)
    assert r.text == hk and r.signals["script_reason"] == "genuine traditional kept"
    mixed = "這個項目的開發过程中遇到了很多問題。\n我們認為这種方法對於數據處理很有幫助。"
    r2 = repair(mixed)
    assert r2.signals["script_reason"] == "mixed_script"
    assert r2.text.startswith("这个项目的开发过程中")


def test_unrecoverable_cp1252_mojibake_is_flagged() -> None:
    # UTF-8 read as cp1252 with the 0xAD byte dropped: ftfy cannot undo it, the line is flagged
    text = "城市：ä¸å›½ï¼Œ\n下一行"
    result = repair(text)
    flags = [f for f in result.flags if f.kind == "mojibake-lost"]
    assert len(flags) == 1
    assert result.text[flags[0].start:flags[0].end].startswith("城市")


def test_restore_lossy_latin_only_when_unambiguous() -> None:
    from duiqi.repair import restore_lossy_latin

    assert restore_lossy_latin("Du?an", "杜尚·贝拉 (Dušan Bella) visited") == "Dušan"
    assert restore_lossy_latin("Fran?ois", "Jean-François Breton") == "François"
    assert restore_lossy_latin("Du?an", "Dušan and Duşan") is None  # two spellings: no guess
    assert restore_lossy_latin("Du?an", "Dusan") is None  # an ASCII letter would have survived GBK
    assert restore_lossy_latin("Du?an", "no such word") is None
    assert restore_lossy_latin("Duan", "Duan") is None
