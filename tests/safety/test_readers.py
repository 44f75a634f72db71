"""Issue 10, readers: HTML limits, DOCX zip bombs, encodings, nested and non-finite records."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from duiqi.cli.main import main
from duiqi.errors import InputError
from duiqi.export import read_pairs, write_pairs
from duiqi.io import read_document
from duiqi.io.decode import decode_bytes
from duiqi.io.html import decode_html
from duiqi.records import Pair

P1 = "<p>这是第一段中文内容，讲述了重庆的外事工作。</p><p>This is the first English paragraph about foreign affairs.</p>"
P2 = "<p>这是第二段中文内容，在图片之后。</p><p>This is the second English paragraph after the picture.</p>"


@pytest.mark.parametrize("page", [
    f"<html><body>{P1}<img src=\"data:image/png;base64,{'A' * 12_000_000}\">{P2}</body></html>",
    f"<html><head><script>var x='{'A' * 12_000_000}';</script></head><body>{P1}{P2}</body></html>",
    "<html><body>" + "<div>" * 300 + P1 + P2 + "</div>" * 300 + "</body></html>",
    "<html><body>" + "<div>" * 5000 + P1 + "</div>" * 5000 + P2 + "</body></html>",
], ids=["data-uri", "inline-script", "nested-300", "nested-5000"])
def test_html_text_after_huge_or_deep_parts_is_kept(tmp_path: Path, page: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    text = read_document(str(path)).text
    assert "第一段" in text and "second English paragraph" in text


def test_html_template_text_is_not_extracted(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text(f"<html><body>{P1}<template><p>模板里的文字。</p><p>Template text.</p></template>{P2}</body></html>",
                    encoding="utf-8")
    text = read_document(str(path)).text
    assert "Template" not in text and "模板" not in text and "第二段" in text


def _bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * size + b"</w:document>")
    return buf.getvalue()


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path: Path, one_line_error: Callable[[], str]) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(_bomb(255_000_000))
    assert path.stat().st_size < 1_000_000
    assert main(["split", str(path)]) == 2
    assert "unpacks to" in one_line_error()


def test_run_honours_max_doc_bytes_on_the_unpacked_size(tmp_path: Path) -> None:
    from duiqi.run.task import _TooLarge
    from duiqi.run.task import read_document as run_read

    path = tmp_path / "small-but-big.docx"
    path.write_bytes(_bomb(3_000_000))
    with pytest.raises((InputError, _TooLarge), match="unpacks to"):
        run_read(str(path), "d", max_bytes=1_000_000)


def test_utf16_without_bom_chinese_heavy() -> None:
    text = "这是一个没有字节顺序标记的中文文件，我们需要正确地识别它。" * 3
    for enc in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(text.encode(enc)).text == text


def test_small_big5_file() -> None:
    for text in ("國語", "我們的", "中華民國的首都是臺北，我們在這裡學習。"):
        assert decode_bytes(text.encode("big5")).text == text


def test_wrong_declared_charset() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>这是一个中文网页，我们在这里介绍重庆的外事工作。</p></body></html>'
    assert "我们在这里" in decode_html(page.encode("gbk"), "x").text
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Le français est très élégant.</p></body></html>'
    assert decode_html(latin.encode("latin-1"), "x").encoding == "iso-8859-1"


def test_nested_jsonl_records_are_bad_records(tmp_path: Path, one_line_error: Callable[[], str]) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"id": "a", "text": "x", "m": ' + "[" * 5000 + "]" * 5000 + "}\n", encoding="utf-8")
    for argv in (["split", str(path)], ["align", str(path), "--encoder", "fake"], ["filter", str(path)]):
        assert main(argv) == 2
        assert "line 1" in one_line_error()


@pytest.mark.parametrize("line", [
    '{"src": "a", "tgt": "b", "score": NaN}',
    '{"src": "a", "tgt": "b", "score": 0.5, "quality": Infinity}',
    '{"src": "a", "tgt": "b", "score": 0.5, "quality": 1e400}',
    '{"src": "a", "tgt": "b", "score": ' + "9" * 4000 + "}",
    '{"src": "a", "tgt": "b", "score": 0.5, "src_ids": [' + "9" * 5000 + "]}",
    '{"src": "a", "tgt": "b", "score": "abc"}',
])
def test_non_finite_or_unparsable_scores_are_one_line_errors(tmp_path: Path, line: str,
                                                             one_line_error: Callable[[], str]) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"src": "你好。", "tgt": "Hello.", "score": 0.9}\n' + line + "\n", encoding="utf-8")
    assert main(["filter", str(path), "-o", str(tmp_path / "o.jsonl"), "--min-quality", "0.7"]) == 2
    err = one_line_error()
    assert "p.jsonl" in err and "line 2" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_tsv_bad_score(tmp_path: Path, one_line_error: Callable[[], str]) -> None:
    path = tmp_path / "p.tsv"
    path.write_text("你好。\tHello.\t0.9\n再见。\tBye.\tabc\n", encoding="utf-8")
    assert main(["filter", str(path)]) == 2
    assert "line 2" in one_line_error()


def test_pairs_in_gb18030_and_utf16_are_read(tmp_path: Path) -> None:
    rows = "".join(json.dumps({"src": "你好。", "tgt": "Hello.", "score": 0.9, "flags": "lossy-latin"},
                              ensure_ascii=False) + "\n" for _ in range(3))
    for enc in ("gb18030", "utf-16", "utf-16-le"):
        path = tmp_path / f"p-{enc}.jsonl"
        path.write_bytes(rows.encode(enc))
        pairs = list(read_pairs(str(path)))
        assert len(pairs) == 3 and pairs[0].src == "你好。" and pairs[0].flags == ("lossy-latin",)


def test_outputs_are_strict_json_and_well_formed_xml(tmp_path: Path) -> None:
    import xml.dom.minidom

    pair = Pair("你好\uffff。\x0b", "Hello\x01.", "zh", "en", 0.9, doc="x\x0b-doc\ufffe", flags=("a\x0c",), quality=0.5)
    write_pairs([pair], str(tmp_path / "p.tmx"), settings={"k": "v\x0b"})
    dom = xml.dom.minidom.parse(str(tmp_path / "p.tmx"))
    assert dom.getElementsByTagName("seg")[0].firstChild.data == "你好。"  # type: ignore[union-attr]
    write_pairs([pair], str(tmp_path / "p.jsonl"))
    json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8"), parse_constant=pytest.fail)


def test_python_api_wrong_types() -> None:
    from duiqi.pipeline import Pipeline, PipelineConfig

    with pytest.raises(TypeError, match="Document"):
        Pipeline(PipelineConfig(encoder="fake")).process("str")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="src"):
        Pair.from_dict({})
    with pytest.raises(TypeError, match="mapping"):
        Pair.from_dict([1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Pair"):
        write_pairs([1, 2], "-")  # type: ignore[list-item]


def test_a_flattened_page_is_reported_not_silent(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 5000 + P1 + "</div>" * 5000 + P2 + "</body></html>", encoding="utf-8")
    with caplog.at_level("WARNING", logger="duiqi.io"):
        doc = read_document(str(path))
    assert "deep" in doc.meta["cut"] and "deep.html" in caplog.text
