"""PDF reading on PDFs made in the test (fpdf2): reading order, joined lines, no running headers/footers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from duiqi.errors import InputError
from duiqi.io import read_document
from duiqi.io.pdf import join_broken
from duiqi.records import Document
from duiqi.segment import blocks

fpdf = pytest.importorskip("fpdf")
pytest.importorskip("pdfminer")

HEADER = "Chongqing Foreign Affairs Annual Report 2022"
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

EN_PARAS = [
    "Chongqing gave full play to consular agencies, sister cities, and civil organizations as bridges to "
    "jointly build channels and share resources, so as to continue to foster people-to-people and cultural "
    "exchanges with local characteristics and increase the visibility of Chongqing in the international "
    "community. Many friendly exchange activities were held throughout the year, both online and offline.",
    "With historical resources of foreign affairs such as the Stilwell Museum, Chongqing continued to deepen "
    "international cultural and people-to-people exchanges, and a new branch of the Academy of Translation "
    "and Interpretation was inaugurated in the city to train talents of languages other than Chinese and "
    "English, especially those of the member countries of ASEAN.",
    "The city took part in a series of online events to keep enhancing international cooperation and to "
    "promote friendly exchanges between peoples, and young people from many countries joined short video "
    "contests about life in China, winning several national prizes for their creative works.",
]
ZH_PARAS = [
    "充分发挥领事机构、国际友城、民间组织等桥梁作用，共建渠道、共享资源，持续开展重庆特色对外人文交流活动，"
    "拓展更多地方友好关系，扩大重庆城市国际影响力。重庆正加快建设内陆开放高地、山清水秀美丽之地。",
    "依托重庆史迪威博物馆等外事历史资源，持续深化中外人文交流。中国外文局翻译院中西部分院在重庆成立，"
    "重点打造东盟非通用语人才培育基地，为更多青年提供学习和交流的机会。",
]


def _make_pdf(fpdf_mod: Any, font: str | None) -> Any:
    class Report(fpdf_mod.FPDF):  # type: ignore[misc, name-defined]
        def header(self) -> None:
            self.set_font(self.body_font, size=9)
            self.cell(0, 8, HEADER, align="C")
            self.ln(14)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(self.body_font, size=9)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Report()
    if font:
        pdf.add_font("cjk", "", font)
        pdf.body_font = "cjk"
    else:
        pdf.body_font = "Helvetica"
    pdf.set_auto_page_break(True, margin=25)
    return pdf


def _write_latin(path: Path) -> None:
    pdf = _make_pdf(fpdf, None)
    for _ in range(2):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        for para in EN_PARAS:
            pdf.multi_cell(0, 6, para)
            pdf.ln(5)
    pdf.output(str(path))


def test_latin_pdf_paragraphs_without_headers_footers(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    _write_latin(path)
    doc = read_document(str(path))
    assert doc.meta["format"] == "pdf" and doc.meta["pages"] >= 2
    lines = doc.text.split("\n")
    assert HEADER not in doc.text
    assert not any(line.strip(" -").isdigit() for line in lines)
    # Every paragraph comes back whole (lines broken inside it are joined), in order.
    assert lines[:3] == EN_PARAS
    assert lines.count(EN_PARAS[0]) == 2
    assert all(p in lines for p in EN_PARAS)


def test_paragraph_split_across_pages_is_joined(tmp_path: Path) -> None:
    pdf = _make_pdf(fpdf, None)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    long_para = " ".join(EN_PARAS) + " " + " ".join(EN_PARAS)
    pdf.multi_cell(0, 6, "Opening paragraph of the report.")
    pdf.ln(5)
    pdf.multi_cell(0, 6, long_para * 2)
    pdf.output(str(tmp_path / "long.pdf"))
    doc = read_document(str(tmp_path / "long.pdf"))
    assert doc.meta["pages"] >= 2
    assert doc.text.split("\n") == ["Opening paragraph of the report.", long_para * 2]


def test_cjk_pdf(tmp_path: Path) -> None:
    font = next((f for f in CJK_FONTS if Path(f).exists()), None)
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei)")
    pdf = _make_pdf(fpdf, font)
    for _ in range(2):
        pdf.add_page()
        pdf.set_font("cjk", size=12)
        for zh, en in zip(ZH_PARAS, EN_PARAS, strict=False):
            pdf.multi_cell(0, 7, zh)
            pdf.ln(4)
            pdf.multi_cell(0, 7, en)
            pdf.ln(4)
    pdf.output(str(tmp_path / "zh.pdf"))
    doc = read_document(str(tmp_path / "zh.pdf"))
    lines = doc.text.split("\n")
    assert lines == [ZH_PARAS[0], EN_PARAS[0], ZH_PARAS[1], EN_PARAS[1]] * 2
    langs = [b.lang for b in blocks(Document("zh", doc.text))]
    assert langs == ["zh", "en", "zh", "en"] * 2


def test_encrypted_pdf(tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Secret text.")
    pdf.output(str(tmp_path / "locked.pdf"))
    with pytest.raises(InputError, match=r"locked\.pdf: is an encrypted PDF"):
        read_document(str(tmp_path / "locked.pdf"))


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(InputError, match="without a text layer"):
        read_document(str(tmp_path / "scan.pdf"))


def test_join_broken() -> None:
    assert join_broken("中文句", "子继续") == "中文句子继续"
    assert join_broken("inter-", "national") == "international"
    assert join_broken("people-to-", "People") == "people-to-People"
    assert join_broken("an English", "sentence") == "an English sentence"


def test_two_columns_are_read_column_by_column(tmp_path: Path) -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(10, 12)
    pdf.multi_cell(190, 6, "A Title Across Both Columns")
    columns = {10: EN_PARAS[:2], 110: [EN_PARAS[2], "The right column ends with this short closing paragraph."]}
    for x, paras in columns.items():
        pdf.set_xy(x, 30)
        for para in paras:
            pdf.set_x(x)
            pdf.multi_cell(90, 5, para)
            pdf.ln(4)
    pdf.output(str(tmp_path / "cols.pdf"))
    doc = read_document(str(tmp_path / "cols.pdf"))
    assert doc.text.split("\n") == ["A Title Across Both Columns", *columns[10], *columns[110]]
