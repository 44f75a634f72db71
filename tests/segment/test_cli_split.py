"""``duiqi split`` options: input format and encoding, standard input, semicolons."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from duiqi.cli.main import main


def _records(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_forced_format_and_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "page.dat"
    src.write_bytes("<html><body><p>重慶歡迎您。</p><p>Welcome to Chongqing.</p></body></html>".encode("big5"))
    assert main(["split", str(src), "--format", "html", "--encoding", "big5", "--no-repair"]) == 0
    recs = _records(capsys.readouterr().out)
    assert [(r["lang"], r["script"], r["text"]) for r in recs] == [
        ("zh", "hant", "重慶歡迎您。"),
        ("en", None, "Welcome to Chongqing."),
    ]


def test_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = "今天天气很好；我们去公园吧。\nThe weather is nice; let's go to the park.\n".encode("gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["split", "-", "--no-repair", "--semicolon"]) == 0
    recs = _records(capsys.readouterr().out)
    assert [(r["doc"], r["lang"], r["text"]) for r in recs] == [
        ("stdin", "zh", "今天天气很好；"),
        ("stdin", "zh", "我们去公园吧。"),
        ("stdin", "en", "The weather is nice; let's go to the park."),
    ]


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("你好。", encoding="utf-8")
    assert main(["split", str(src), "--input-format", "odt"]) == 2


def test_script_option_reaches_repair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("duiqi.repair")
    from duiqi.repair.model import SCRIPTS

    src = tmp_path / "t.txt"
    src.write_text("重慶正加快建設內陸開放高地。\n", encoding="utf-8")
    for script in SCRIPTS:  # every repair script choice is accepted
        assert main(["split", str(src), "--script", script]) == 0
        capsys.readouterr()
    assert main(["split", str(src), "--script", "keep"]) == 0
    assert _records(capsys.readouterr().out)[0]["script"] == "hant"
    assert main(["split", str(src), "--script", "simplified"]) == 0
    rec = _records(capsys.readouterr().out)[0]
    assert (rec["script"], rec["text"]) == ("hans", "重庆正加快建设内陆开放高地。")
