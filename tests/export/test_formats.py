"""Output formats other tools read: the registry checked up front, Moses files, TSV modes, one schema,
TMX language tags validated by translate-toolkit and by a TMX 1.4b DTD."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from duiqi.errors import DuiqiError, MissingDependencyError
from duiqi.export import check_output, read_pairs, resolve_format, write_pairs
from duiqi.export.schema import pair_columns
from duiqi.langtags import bcp47, is_valid_tag
from duiqi.records import Pair

PAIRS = [
    Pair("充分发挥领事机构作用。", "Chongqing gave full play to consular agencies.", "zh", "en", 0.8123,
         (0,), (0,), "doc-1", (), 0.91, 0.12),
    Pair("推动交流，\n合作发展。", "These visits\tpromoted exchanges.\r\nA second\u2028line.", "zh", "en",
         0.5, (1, 2), (1,), "doc-1", ("lossy-latin",), 0.63, -0.05),
]
SETTINGS = {"encoder": "fake", "src_lang": "zh", "tgt_lang": "en"}
DTD = Path(__file__).parent / "data" / "tmx14.dtd"


def test_unknown_extension_is_an_error_naming_it() -> None:
    with pytest.raises(DuiqiError, match=r"x\.xlsx: unknown output extension '\.xlsx'.*--format"):
        resolve_format("x.xlsx", None)
    assert resolve_format("x.xlsx", "tsv") == "tsv"  # --format overrides the extension
    assert resolve_format("corpus", None) == "jsonl" and resolve_format("-", None) == "jsonl"
    assert resolve_format("a.TMX", None) == "tmx" and resolve_format("a.txt", None) == "tsv"
    with pytest.raises(DuiqiError, match=r"unknown output extension '\.tmx'.*--format \(jsonl, parquet\)"):
        resolve_format("a.tmx", None, allowed=("jsonl", "parquet"))


def test_parquet_without_pyarrow_fails_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    with pytest.raises(MissingDependencyError, match=r"duiqi\[parquet\]"):
        check_output("parquet", "s.parquet")
    with pytest.raises(DuiqiError, match="needs a file name"):
        check_output("moses", "-")
    check_output("jsonl", "-")


def test_moses_files_are_line_parallel_and_sacrebleu_reads_them(tmp_path: Path) -> None:
    from sacrebleu.utils import smart_open

    out = tmp_path / "train"
    assert write_pairs(PAIRS, str(out), "moses", settings=SETTINGS) == 2
    zh, en = tmp_path / "train.zh", tmp_path / "train.en"
    with smart_open(str(zh)) as fh:
        zh_lines = [line.rstrip("\n") for line in fh]
    with smart_open(str(en)) as fh:
        en_lines = [line.rstrip("\n") for line in fh]
    assert zh_lines == ["充分发挥领事机构作用。", "推动交流， 合作发展。"]
    assert en_lines == [PAIRS[0].tgt, "These visits\tpromoted exchanges. A second line."]
    assert zh.read_text(encoding="utf-8").splitlines() == zh_lines  # no stray line breaks for splitlines
    meta = json.loads((tmp_path / "train.meta.json").read_text())
    assert meta["files"] == ["train.zh", "train.en"] and meta["pairs"] == 2
    # sacrebleu's command line reads the two plain-text files as hypothesis and reference; it refuses
    # streams of different lengths, so exit 0 shows they are line-parallel.
    proc = subprocess.run([sys.executable, "-m", "sacrebleu", str(en), "-i", str(en), "-m", "chrf", "-b"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout.strip()) == pytest.approx(100.0)
    (tmp_path / "short.en").write_text(en_lines[0] + "\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "sacrebleu", str(tmp_path / "short.en"), "-i", str(zh), "-b"],
                         capture_output=True, text=True)
    assert bad.returncode != 0  # the same check fails on files that are not parallel


def test_moses_refuses_unknown_languages(tmp_path: Path) -> None:
    odd = [dataclasses.replace(PAIRS[0], tgt_lang="other")]
    with pytest.raises(DuiqiError, match="target language is 'other'"):
        write_pairs(odd, str(tmp_path / "x"), "moses", settings=SETTINGS)
    assert list(tmp_path.iterdir()) == []


def test_tsv_header_and_plain_columns(tmp_path: Path) -> None:
    full, plain = tmp_path / "full.tsv", tmp_path / "plain.tsv"
    write_pairs(PAIRS, str(full), settings=SETTINGS, tsv_header=True)
    write_pairs(PAIRS, str(plain), settings=SETTINGS, tsv_columns="plain")
    lines = full.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert lines[0].split("\t") == [name for name, _ in pair_columns()]
    assert len(lines) == 3 and all(len(line.split("\t")) == len(pair_columns()) for line in lines)
    rows = plain.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert rows[0].split("\t") == [PAIRS[0].src, PAIRS[0].tgt] and len(rows) == 2
    assert all(len(r.split("\t")) == 2 for r in rows)  # the tab inside a text is escaped
    back = list(read_pairs(str(full)))
    assert back == PAIRS  # every field survives the full TSV, the header is skipped
    assert [(p.src, p.tgt) for p in read_pairs(str(plain))] == [(p.src, p.tgt) for p in PAIRS]


def test_every_format_carries_every_pair_field(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    names = [f.name for f in dataclasses.fields(Pair)]
    assert [name for name, _ in pair_columns()] == names
    write_pairs(PAIRS, str(tmp_path / "p.parquet"), settings=SETTINGS)
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.column_names == names
    assert table.column("margin").to_pylist() == pytest.approx([0.12, -0.05])  # no longer dropped
    assert list(read_pairs(str(tmp_path / "p.parquet"))) == PAIRS
    write_pairs(PAIRS, str(tmp_path / "p.jsonl"), settings=SETTINGS)
    assert set(json.loads((tmp_path / "p.jsonl").read_text().splitlines()[0])) == set(names)


def test_language_tags() -> None:
    assert bcp47("zh") == "zh-CN" and bcp47("en") == "en" and bcp47("pt-br") == "pt-BR"
    assert bcp47("zh-hant-tw") == "zh-Hant-TW" and bcp47("ja") == "ja"
    for marker in ("other", "mixed", "none", ""):
        with pytest.raises(DuiqiError, match="not a language duiqi recognised"):
            bcp47(marker)
    with pytest.raises(DuiqiError, match="'en_US' is not a BCP 47"):
        bcp47("en_US")
    assert not is_valid_tag("other-language-x") and is_valid_tag("sr-Latn-RS")


def _tmx(tmp_path: Path, pairs: list[Pair]) -> Path:
    out = tmp_path / "tm.tmx"
    write_pairs(pairs, str(out), settings=SETTINGS)
    return out


def test_tmx_never_tags_other_and_names_the_pair(tmp_path: Path) -> None:
    odd = [PAIRS[0], dataclasses.replace(PAIRS[1], src_lang="other", doc="d7")]
    with pytest.raises(DuiqiError, match=r"source language of pair 2 \(doc d7\) is 'other'"):
        _tmx(tmp_path, odd)
    assert not (tmp_path / "tm.tmx").exists()


def test_tmx_validates_against_the_tmx14_dtd_and_in_translate_toolkit(tmp_path: Path) -> None:
    from lxml import etree
    from translate.storage import tmx

    out = _tmx(tmp_path, PAIRS)
    dtd = etree.DTD(str(DTD))
    doc = etree.parse(str(out))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [t.get(xml_lang) for t in doc.iter("tuv")] == ["zh-CN", "en", "zh-CN", "en"]
    store = tmx.tmxfile.parsefile(str(out))
    units = [u for u in store.units if u.source]
    # (an XML parser reads a CR LF inside text as LF)
    assert [(u.source, u.target) for u in units] == [(p.src, p.tgt.replace("\r\n", "\n")) for p in PAIRS]
    ja = [Pair("日本語のテキストです。", "This is Japanese text.", "ja", "en", 0.7, (0,), (0,), "d2")]
    ja_doc = etree.parse(str(_tmx(tmp_path, ja)))
    assert dtd.validate(ja_doc), dtd.error_log.filter_from_errors()
    assert ja_doc.find("header").get("srclang") == "ja"
    assert [t.get(xml_lang) for t in ja_doc.iter("tuv")] == ["ja", "en"]
    ja_units = [u for u in tmx.tmxfile.parsefile(str(tmp_path / "tm.tmx")).units if u.source]
    assert [(u.source, u.target) for u in ja_units] == [(ja[0].src, ja[0].tgt)]
    # the DTD is strict enough to catch a broken file
    broken = etree.fromstring(out.read_bytes().replace(b"<seg>", b"<seg><x/>", 1))
    assert not dtd.validate(broken)
