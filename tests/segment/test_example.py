"""The canonical example page: line languages and the tricky English sentences, raw and after repair."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from duiqi.cli.main import main
from duiqi.io import read_document
from duiqi.records import Document
from duiqi.segment import blocks, sentences
from duiqi.segment.document import segment_document

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chongqing-foreign-affairs-2022.txt"


@pytest.fixture(scope="module")
def raw() -> Document:
    return read_document(str(EXAMPLE))


def _repaired(doc: Document) -> Document:
    pytest.importorskip("duiqi.repair")
    return segment_document(doc, repair=True).doc


def test_example_has_34_lines_29_zh_and_5_en(raw: Document) -> None:
    # 33 newline-terminated lines plus a last line without a newline.
    assert raw.text.count("\n") == 33
    assert len(raw.text.split("\n")) == 34
    bl = blocks(raw)
    assert len(bl) == 34  # no line is mixed: each line is one block
    assert Counter(b.lang for b in bl) == {"zh": 29, "en": 5}
    assert [b.index for b in bl if b.lang == "en"] == [2, 4, 20, 21, 31]
    assert {b.script for b in bl if b.lang == "zh"} == {"hant"}
    kinds = {b.text: b.kind for b in bl}
    assert kinds["2022年7月,緬甸駐華大使苗丹佩訪(fǎng)問(wèn)重慶。"] == "caption"
    assert kinds["重慶史迪威博物館。"] == "short"


def _check_english(doc: Document) -> None:
    sents = [s for s in sentences(blocks(doc)) if s.lang == "en"]
    he = [s.text for s in sents if s.text.startswith("H.E. U Myo Thant Pe")]
    assert len(he) == 1
    assert he[0].endswith("were invited to Chongqing for visits.")
    assert "Khamphao Ernthavanh" in he[0]
    texts = [s.text for s in sents]
    i = next(k for k, t in enumerate(texts) if t.endswith("keep enhancing international cooperation."))
    assert texts[i + 1].startswith("Chongqing also participated")
    assert texts[i].startswith("Chongqing gave full play to sister cities")
    for s in sents:
        assert doc.text[s.start:s.end] == s.text


def test_example_english_sentences_raw(raw: Document) -> None:
    _check_english(raw)
    sents = sentences(blocks(raw))
    assert Counter(s.lang for s in sents) == {"zh": 30, "en": 8}
    assert [s.index for s in sents if s.lang == "en"] == list(range(8))


def test_example_english_sentences_after_repair(raw: Document) -> None:
    doc = _repaired(raw)
    assert doc.repaired
    _check_english(doc)
    bl = blocks(doc)
    assert Counter(b.lang for b in bl) == {"zh": 29, "en": 5}


def test_split_cli_writes_jsonl_and_sidecar(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["split", str(EXAMPLE), "-o", str(out), "--no-repair"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 38
    first = records[0]
    assert set(first) == {"doc", "block", "sent", "lang", "script", "kind", "start", "end", "text"}
    assert first["doc"] == "chongqing-foreign-affairs-2022"
    raw_text = EXAMPLE.read_text(encoding="utf-8")
    for r in records:
        assert raw_text[r["start"]:r["end"]] == r["text"]
    meta = json.loads((tmp_path / "out.jsonl.meta.json").read_text(encoding="utf-8"))
    assert meta["sentences"] == 38 and meta["languages"] == {"zh": 30, "en": 8}
    assert meta["signature"].startswith("duiqi:") and "repair:no" in meta["signature"]


def test_split_cli_with_repair(tmp_path: Path) -> None:
    pytest.importorskip("duiqi.repair")
    out = tmp_path / "out.jsonl"
    assert main(["split", str(EXAMPLE), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    en = [r["text"] for r in records if r["lang"] == "en"]
    assert any(t.startswith("H.E. U Myo") and t.endswith("for visits.") for t in en)
    assert "(fā)" not in "".join(r["text"] for r in records)  # injected pinyin removed by repair


def test_split_cli_bad_input_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["split", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "empty.txt" in err and "empty" in err and "Traceback" not in err
    assert main(["split", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_split_cli_jsonl_many_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "你好。再见。"}, ensure_ascii=False) + "\n"
        + json.dumps({"text": "Hello there. Bye now."}) + "\n",
        encoding="utf-8",
    )
    assert main(["split", str(src), "--no-repair"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["doc"], r["lang"], r["text"]) for r in records] == [
        ("a", "zh", "你好。"),
        ("a", "zh", "再见。"),
        ("docs:2", "en", "Hello there."),
        ("docs:2", "en", "Bye now."),
    ]
