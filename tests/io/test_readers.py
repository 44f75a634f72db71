"""Readers: txt (any encoding, line ends, BOM, NUL), HTML, DOCX, PDF, JSONL; one clear InputError per bad file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from duiqi.errors import InputError, MissingDependencyError
from duiqi.io import iter_documents, normalize_text, read_document, resolve_format, sniff_format

ZH = "重慶正加快建設內陸開放高地、山清水秀美麗之地。"
EN = "Chongqing is speeding up the building of an inland highland of opening-up."
DATA = Path(__file__).resolve().parents[1] / "data" / "segment"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


# --- plain text ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"])
def test_txt_any_encoding(tmp_path: Path, encoding: str) -> None:
    text = f"{ZH}\n{EN}\n" * 3
    doc = read_document(write(tmp_path, "a.txt", text.encode(encoding)))
    assert doc.text == text
    assert doc.id == "a" and doc.meta["format"] == "txt"
    assert doc.encoding


def test_line_ends_bom_and_nul(tmp_path: Path) -> None:
    raw = ("\ufeff" + ZH + "\r\n" + EN + "\r" + "第三行\x00。\u2028last").encode("utf-8")
    doc = read_document(write(tmp_path, "b.txt", raw))
    assert doc.text == f"{ZH}\n{EN}\n第三行。\nlast"
    assert normalize_text("a\r\nb\rc\x0cd\x00e") == "a\nb\nc\nde"


def test_very_long_line(tmp_path: Path) -> None:
    text = (ZH + EN) * 20000
    doc = read_document(write(tmp_path, "long.txt", text.encode("utf-8")))
    assert doc.text == text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\r\n ", "is empty"),
        ("img.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        ("bin.dat", b"\x00\x01\x02\x03\xff\xfe\x00\x10" * 500, "binary"),
        ("nuls.txt", b"abc\x00\x00\x00\x01\x02\x03\x04\x05\x06" * 200, "binary"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "encrypted"),
        ("fake.docx", b"this is not a zip", "not a DOCX"),
        ("fake.pdf", b"hello", "not a PDF"),
        ("broken.pdf", b"%PDF-1.4\n garbage garbage", "PDF"),
        ("arch.bin", b"PK\x03\x04" + b"\x00" * 50, "ZIP"),
        ("zipped.txt", b"\x1f\x8b\x08\x00" + b"\x00" * 50, "gzip"),
    ],
)
def test_bad_files_give_one_clear_input_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert name in str(info.value)
    assert reason.lower() in str(info.value).lower()


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        read_document(str(tmp_path))


def test_format_resolution() -> None:
    assert resolve_format("x.md", b"# hi", None) == "txt"
    assert resolve_format("x.HTM", b"<p>hi</p>", None) == "html"
    assert resolve_format("x", b"anything", "markdown") == "txt"
    assert sniff_format(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "x") == "html"
    assert sniff_format(b'{"text": "hi"}\n{"text": "yo"}\n', "x") == "jsonl"
    assert sniff_format(b"%PDF-1.7\n...", "x") == "pdf"
    assert sniff_format("纯文本。".encode(), "x") == "txt"
    with pytest.raises(InputError, match="unknown format"):
        resolve_format("x.txt", b"", "odt")


# --- JSONL -----------------------------------------------------------------------------------------


def test_jsonl_one_document_per_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "p1", "text": ZH, "url": "http://x"}, ensure_ascii=False),
        "",
        json.dumps({"text": EN + "\r\nsecond"}),
    ]
    path = write(tmp_path, "c.jsonl", "\n".join(lines).encode("utf-8"))
    docs = list(iter_documents(path))
    assert [d.id for d in docs] == ["p1", "c:3"]
    assert docs[0].text == ZH and docs[0].meta["url"] == "http://x"
    assert docs[1].text == EN + "\nsecond"
    with pytest.raises(InputError, match="several documents"):
        read_document(path)


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "d.jsonl", b'{"text": "ok"}\n{not json}\n')
    with pytest.raises(InputError, match=r"d\.jsonl: line 2 is not valid JSON"):
        list(iter_documents(path))
    path = write(tmp_path, "e.jsonl", b'{"body": "x"}\n')
    with pytest.raises(InputError, match="no 'text' field"):
        list(iter_documents(path))
    path = write(tmp_path, "f.jsonl", b'{"body": "x"}\n')
    assert next(iter_documents(path, text_field="body")).text == "x"


# --- HTML ------------------------------------------------------------------------------------------


def test_html_main_content_keeps_paragraphs() -> None:
    pytest.importorskip("trafilatura")
    doc = read_document(str(DATA / "bilingual-page.html"))
    lines = doc.text.split("\n")
    assert "重慶正加快建設內陸開放高地、山清水秀美麗之地。" in lines
    assert any(line.startswith("Chongqing is speeding up") for line in lines)
    assert "Second line after a line break." in doc.text
    assert "2022年7月,緬甸駐華大使苗丹佩訪問重慶。" in lines
    assert "单元格一" in lines and "Cell two" in lines  # table cells on their own lines
    for boilerplate in ("首页", "Copyright", "var x", "Share on"):
        assert boilerplate not in doc.text
    assert doc.encoding == "gb18030"  # from <meta charset="gbk">
    assert doc.meta["format"] == "html"


def test_html_fallback_for_tiny_pages(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    path = write(tmp_path, "tiny.html", "<html><body><p>你好。</p><p>Hi.</p></body></html>".encode())
    doc = read_document(path)
    assert doc.text.split("\n") == ["你好。", "Hi."]


def test_html_without_text(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    path = write(tmp_path, "void.html", b"<html><body><script>var x=1;</script></body></html>")
    with pytest.raises(InputError, match="no text"):
        read_document(path)


def test_missing_format_library_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    path = write(tmp_path, "p.html", b"<html><body><p>x</p></body></html>")
    with pytest.raises(MissingDependencyError, match=r"pip install 'duiqi\[formats\]'"):
        read_document(path)
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(MissingDependencyError, match="formats"):
        read_document(write(tmp_path, "p.docx", b"PK\x03\x04rest"))
    monkeypatch.setitem(sys.modules, "pdfminer.high_level", None)
    with pytest.raises(MissingDependencyError, match="formats"):
        read_document(write(tmp_path, "p.pdf", b"%PDF-1.4\n"))


# --- DOCX ------------------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_cells(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("重慶外事 Chongqing Foreign Affairs", level=1)
    d.add_paragraph(ZH)
    d.add_paragraph(EN)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "单元格一"
    table.cell(0, 1).text = "Cell two"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "合并单元格 merged cell"
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("Second line")
    d.core_properties.title = "Report"
    path = tmp_path / "r.docx"
    d.save(str(path))
    doc = read_document(str(path))
    assert doc.text.split("\n") == [
        "重慶外事 Chongqing Foreign Affairs", ZH, EN, "单元格一", "Cell two", "合并单元格 merged cell",
        "第一行", "Second line",
    ]
    assert doc.meta == {"format": "docx", "title": "Report"}
    # Sniffed without an extension.
    plain = tmp_path / "noext"
    plain.write_bytes(path.read_bytes())
    assert read_document(str(plain)).meta["format"] == "docx"


def test_docx_without_text(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(InputError, match=r"blank\.docx: contains no text"):
        read_document(str(path))


def test_html_declared_charset_vs_real_bytes(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    page = f'<html><head><meta charset="gbk"></head><body><p>{ZH}</p><p>{EN}</p></body></html>'
    # Declares GBK but is UTF-8: the bytes win.
    doc = read_document(write(tmp_path, "liar.html", page.encode("utf-8")))
    assert ZH in doc.text and doc.encoding == "utf-8"
    # Really GBK: the declaration is used.
    doc = read_document(write(tmp_path, "gbk.html", page.replace("重慶", "重庆").encode("gbk")))
    assert "重庆正加快" in doc.text and doc.encoding == "gb18030"


def test_jsonl_streaming_edge_cases(tmp_path: Path) -> None:
    # A raw U+2028 inside a JSON string does not split the line; a GB18030 line decodes on its own.
    line1 = json.dumps({"id": "a", "text": "第一段\u2028第二段"}, ensure_ascii=False).encode("utf-8")
    line2 = json.dumps({"id": "b", "text": "重庆欢迎您"}, ensure_ascii=False).encode("gb18030")
    path = write(tmp_path, "mixed.jsonl", b"\xef\xbb\xbf" + line1 + b"\r\n" + line2 + b"\n")
    docs = list(iter_documents(path))
    assert [(d.id, d.text, d.encoding) for d in docs] == [
        ("a", "第一段\n第二段", "utf-8"),
        ("b", "重庆欢迎您", "gb18030"),
    ]
    with pytest.raises(InputError, match=r"empty\.jsonl: is empty"):
        list(iter_documents(write(tmp_path, "empty.jsonl", b"")))
    utf16 = (json.dumps({"text": "你好"}, ensure_ascii=False) + "\n").encode("utf-16")
    assert next(iter_documents(write(tmp_path, "u16.jsonl", utf16))).text == "你好"
