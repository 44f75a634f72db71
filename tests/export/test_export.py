"""Writers: every format round-trips or opens in a real consumer, and carries the signature."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from duiqi.errors import DuiqiError
from duiqi.export import format_from_path, read_pairs, write_pairs
from duiqi.records import Pair

PAIRS = [
    Pair("充分发挥领事机构作用。", "Chongqing gave full play to consular agencies.", "zh", "en", 0.8123,
         (0,), (0,), "doc-1", ()),
    Pair("推动交流，<合作> & 发展。", "These visits\tpromoted <exchanges> & cooperation.\nA second line.", "zh", "en",
         0.5, (1, 2), (1,), "doc-1", ("lossy-latin",), 0.93),
]
SETTINGS = {"encoder": "fake", "max_align": 4}


@pytest.mark.parametrize(("name", "fmt"), [("a.jsonl", "jsonl"), ("a.TMX", "tmx"), ("a.tsv", "tsv"),
                                           ("a.beads", "beads"), ("a.parquet", "parquet"), ("-", "jsonl")])
def test_format_from_path(name: str, fmt: str) -> None:
    assert format_from_path(name) == fmt


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "parquet"])
def test_round_trip(tmp_path: Path, fmt: str) -> None:
    out = str(tmp_path / f"pairs.{fmt}")
    assert write_pairs(PAIRS, out, settings=SETTINGS) == 2
    back = list(read_pairs(out))
    assert [(p.src, p.tgt, p.flags) for p in back] == [(p.src, p.tgt, p.flags) for p in PAIRS]
    assert back[1].quality == pytest.approx(0.93)
    meta = json.loads((tmp_path / f"pairs.{fmt}.meta.json").read_text())
    assert meta["pairs"] == 2 and meta["format"] == fmt
    assert "encoder:fake" in meta["signature"] and meta["signature"].startswith("duiqi:")


def test_jsonl_has_the_documented_fields(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    write_pairs(PAIRS, str(out), settings=SETTINGS)
    rec = json.loads(out.read_text(encoding="utf-8").splitlines()[1])
    assert set(rec) >= {"src", "tgt", "src_lang", "tgt_lang", "score", "src_ids", "tgt_ids", "doc", "flags"}
    assert rec["src_ids"] == [1, 2] and rec["flags"] == ["lossy-latin"]


def test_beads_format() -> None:
    buf = io.StringIO()
    write_pairs(PAIRS, buf, "beads", settings=SETTINGS)
    assert buf.getvalue().splitlines() == ["[0]:[0]:0.8123", "[1,2]:[1]:0.5000"]


def test_tmx_is_valid_xml_with_signature(tmp_path: Path) -> None:
    out = tmp_path / "tm.tmx"
    write_pairs(PAIRS, str(out), settings=SETTINGS)
    root = ET.parse(out).getroot()
    header = root.find("header")
    assert header is not None and header.get("creationtool") == "duiqi" and header.get("srclang") == "zh-CN"
    sig = header.find("prop[@type='x-duiqi-signature']")  # the short form
    assert sig is not None and (sig.text or "").startswith("duiqi:") and "|settings:#" in (sig.text or "")
    full = header.find("prop[@type='x-duiqi-signature-full']")
    assert full is not None and "max_align:4" in (full.text or "")
    segs = [s.text for s in root.iter("seg")]
    assert segs[2] == PAIRS[1].src and segs[3] == PAIRS[1].tgt


def test_tmx_opens_in_translate_toolkit(tmp_path: Path) -> None:
    from translate.storage import tmx

    out = tmp_path / "tm.tmx"
    write_pairs(PAIRS, str(out), settings=SETTINGS)
    store = tmx.tmxfile.parsefile(str(out))
    units = [u for u in store.units if u.source]
    assert [(u.source, u.target) for u in units] == [(p.src, p.tgt) for p in PAIRS]


def test_unknown_format_and_parquet_to_stdout_are_errors() -> None:
    with pytest.raises(DuiqiError, match="unknown output format"):
        write_pairs(PAIRS, io.StringIO(), "xlsx")
    with pytest.raises(DuiqiError, match="needs a file name"):
        write_pairs(PAIRS, "-", "parquet")


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    def broken() -> list[Pair]:
        raise RuntimeError("boom")

    out = tmp_path / "x.jsonl"

    def gen():  # type: ignore[no-untyped-def]
        yield PAIRS[0]
        broken()

    with pytest.raises(RuntimeError):
        write_pairs(gen(), str(out))
    assert not os.path.exists(out) and os.listdir(tmp_path) == []
