"""The bundled Chongqing example with the real USE encoder: exactly the six pairs of issue 5."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chongqing-foreign-affairs-2022.txt"

EXPECTED = [
    ("充分发挥领事机构", "扩大重庆城市国际影响力。", "Chongqing gave full play to consular agencies", "international community.", 1),
    ("诚邀缅甸驻华大使苗丹佩", "访问重庆。", "H.E. U Myo Thant Pe", "were invited to Chongqing for visits.", 1),
    ("推动我市在投资、贸易", "良好态势。", "These visits have promoted", "was presented to the world.", 2),
    ("依托重庆史迪威博物馆", "人文交流。", "With historical resources", "people-to-people exchanges.", 1),
    ("中国外文局翻译院中西部分院在重庆成立", "培育基地。", "Western and Central China Branch of CICG", "ASEAN countries.", 1),
    ("充分发挥国际友城", "促进民间友好往来。", "Chongqing gave full play to sister cities",
     "to promote people-to-people exchanges.", 2),
]


@pytest.mark.slow
def test_example_gives_exactly_the_six_pairs(tmp_path: Path) -> None:
    from duiqi.cli.main import main

    out = tmp_path / "pairs.jsonl"
    assert main(["align", str(EXAMPLE), "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(EXPECTED), [r["src"][:20] for r in rows]
    for row, (zh_start, zh_end, en_start, en_end, n_en) in zip(rows, EXPECTED, strict=True):
        assert row["src"].startswith(zh_start) and row["src"].endswith(zh_end), row["src"]
        assert row["tgt"].startswith(en_start) and row["tgt"].endswith(en_end), row["tgt"]
        assert len(row["src_ids"]) == 1 and len(row["tgt_ids"]) == n_en
        assert row["src_lang"] == "zh" and row["tgt_lang"] == "en"
        assert 0.3 < row["score"] <= 1.0
    flags = [("lossy-latin" in r["flags"]) for r in rows]
    assert flags == [False, True, False, False, False, False]
    assert "Du?an" in rows[1]["tgt"]
    # no traditional characters, no pinyin, no untranslated line anywhere in the output
    text = "".join(r["src"] for r in rows)
    assert "(" not in text and "發" not in text and "重庆正加快建设" not in text and "2022年" not in text


@pytest.mark.slow
def test_example_tmx_opens_in_translate_toolkit(tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    from duiqi.cli.main import main

    out = tmp_path / "pairs.tmx"
    assert main(["align", str(EXAMPLE), "-o", str(out)]) == 0
    store = tmx.tmxfile.parsefile(str(out))
    units = [u for u in store.units if u.source]
    assert len(units) == 6
    assert units[1].source.startswith("诚邀缅甸驻华大使") and units[1].target.startswith("H.E. U Myo Thant Pe")
