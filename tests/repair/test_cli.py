"""``duiqi repair`` in-process: files, stdin, encodings, --explain, switches, errors naming the file."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from duiqi.cli.main import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "chongqing-foreign-affairs-2022.txt"
SEO = "近年來(lái),該市積極推動(dòng)經(jīng)濟(jì)發(fā)展,加強(qiáng)對(duì)外交流與合作。\n"


def test_repair_example_to_file(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    explain = tmp_path / "explain.txt"
    assert main(["repair", str(EXAMPLE), "-o", str(out), "--explain-to", str(explain)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("充分发挥领事机构、国际友城")
    report = explain.read_text(encoding="utf-8")
    assert "pinyin" in report and "flag lossy-latin" in report


def test_gbk_input_and_script_keep(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(SEO.encode("gb18030"))
    out = tmp_path / "out.txt"
    assert main(["repair", str(src), "-o", str(out), "--script", "keep"]) == 0
    assert out.read_text(encoding="utf-8") == "近年來，該市積極推動經濟發展，加強對外交流與合作。\n"


def test_switches_and_explain_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.txt"
    src.write_text(SEO, encoding="utf-8")
    assert main(["repair", str(src), "--no-pinyin", "--no-punctuation", "--script", "keep", "--explain"]) == 0
    captured = capsys.readouterr()
    assert captured.out == SEO
    assert "0 edits" in captured.err


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEO.encode("utf-8"))))
    assert main(["repair", "-"]) == 0
    assert capsys.readouterr().out == "近年来，该市积极推动经济发展，加强对外交流与合作。\n"


def test_errors_name_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["repair", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and err.count("\n") == 1
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    assert main(["repair", str(binary)]) == 2
    assert str(binary) in capsys.readouterr().err
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfd abc")
    assert main(["repair", str(bad), "--encoding", "utf-8"]) == 2
    assert str(bad) in capsys.readouterr().err


def test_explain_as_json_lines(tmp_path: Path) -> None:
    import json

    out = tmp_path / "out.txt"
    explain = tmp_path / "explain.jsonl"
    assert main(["repair", str(EXAMPLE), "-o", str(out), "--explain-to", str(explain)]) == 0
    rows = [json.loads(line) for line in explain.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["type"] == "document" and rows[0]["signals"]["seo_pinyin"] is True
    edits = [r for r in rows if r["type"] == "edit"]
    assert edits and {"fixer", "start", "end", "before", "after", "step"} <= set(edits[0])
    flags = [r for r in rows if r["type"] == "flag"]
    assert [f["text"] for f in flags] == ["Du?an"]
