"""Hypothesis properties: idempotent, never raises, all-off is identity, the plan replays, flags in range."""

from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duiqi.cli.main import main
from duiqi.io.decode import decode_bytes
from duiqi.repair import RepairOptions, apply_plan, repair

# Pieces that trigger every fixer, mixed with arbitrary characters.
PIECES = [
    "發(fā)", "展", "會(huì )", "(", ")", "?", "??", "F(xiàn)", "?fàn)", "顩r", "想(xiang)", "象", "重(zhòng)",
    ",", ".", ";", ":", "!", "，", "。", " ", "\n", "Wilson", "Ambassador", "H.E.", "U.S.", "3.5", "12,000",
    "Du?an", "&amp;", "&#20013;", "&lt;", "<p id=\"ab12c\"></p>", "鍙戝睍", "鏁版嵁", "è¿›å…¥", "锟斤拷", "\ufffd",
    "国产精品_", "免费视频_", "日韩_", "(WTO)", "(2009)", "James", "(美国)", "www.a.com", "a@b.cn", "é", "ü",
    "臺灣", "这", "后", "著", "乾坤", "\u00a0", "\t", "\r\n", "“", "”", "\udc80", "\x00", "ＷＴＯ",
]
noisy_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=200), noisy_text)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_idempotent(text: str) -> None:
    once = repair(text).text
    assert repair(once).text == once


@SETTINGS
@given(any_text)
def test_plan_replays_and_flags_in_range(text: str) -> None:
    result = repair(text)
    assert apply_plan(text, result.plan) == result.text
    for f in result.flags:
        assert 0 <= f.start <= f.end <= len(result.text)


@SETTINGS
@given(any_text)
def test_all_off_is_identity(text: str) -> None:
    result = repair(text, options=RepairOptions.all_off())
    assert result.text == text and not result.plan


@SETTINGS
@given(any_text, st.sampled_from(["keep", "simplified", "traditional"]))
def test_never_raises_with_any_script(text: str, script: str) -> None:
    repair(text, script=script)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_decoder_and_cli_never_crash_on_bytes(data: bytes) -> None:
    try:
        decode_bytes(data, source="x.txt")
    except Exception as exc:  # only InputError is allowed
        from duiqi.errors import InputError

        assert isinstance(exc, InputError), exc
    fd, path = tempfile.mkstemp(suffix=".txt")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        out = path + ".out"
        assert main(["repair", path, "-o", out]) in (0, 2)
    finally:
        for p in (path, path + ".out"):
            if os.path.exists(p):
                os.unlink(p)
