"""The mixed-document generator (benchmarks/mixedgen.py) on a tiny made-up WMT-style source folder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _mixedgen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mixedgen", ROOT / "benchmarks" / "mixedgen.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["mixedgen"] = mod
    spec.loader.exec_module(mod)
    return mod


ZH = ["苹果", "香蕉", "河流", "山峰", "城市", "学校", "医院", "工厂", "火车", "飞机", "图书馆", "博物馆", "公园", "市场", "银行", "港口", "森林", "沙漠", "海洋", "桥梁"]
EN = ["apple", "banana", "river", "mountain", "city", "school", "hospital", "factory", "train", "airplane", "library", "museum", "park", "market", "bank", "harbour", "forest", "desert", "ocean", "bridge"]


def _source(tmp: Path) -> Path:
    en, zh, docs = ["canary"], ["canary"], ["canary\tcanary"]
    for d in range(3):
        for k in range(6):
            a, b = (d * 6 + k) % 20, (d * 6 + k + 7) % 20
            en.append(f"Yesterday we saw the {EN[a]} and the {EN[b]} together, and everyone was very happy.")
            zh.append(f"我们昨天一起看到了{ZH[a]}和{ZH[b]}，大家都觉得非常高兴。")
            docs.append(f"news\tdoc{d}")
    for name, lines in (("sources_en-zh.txt", en), ("references_en-zh.refA.txt", zh), ("documents_en-zh.docs", docs)):
        (tmp / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp


def test_generate_covers_every_layout_with_gold(tmp_path: Path) -> None:
    gen = _mixedgen()
    docs = gen.generate(12, seed=1, source_dir=str(_source(tmp_path)))
    assert {d.layout for d in docs} == set(gen.LAYOUTS)
    again = gen.generate(12, seed=1, source_dir=str(tmp_path))
    assert [d.text for d in docs] == [d.text for d in again]  # deterministic
    for d in docs:
        assert "canary" not in d.text
        gold = [g for g in d.gold if g[0]]
        assert gold, d.id
        pairs = {u.pair for u in d.units if u.pair is not None}
        assert pairs <= set(range(len(d.gold)))
        for p in pairs:  # both sides of a gold pair are in the document
            assert {u.lang for u in d.units if u.pair == p} == {"zh", "en"}
        assert (d.tgt_text is not None) == (d.layout == "reordered")
    # pinyin is injected into a share of the characters: tiny documents may draw none
    assert any("(" in d.text for d in docs if "seo-pinyin" in d.noise)
    # study-note phenomena (issue 12) in some one-file documents, never as gold
    notes = [d for d in docs if "notes" in d.noise]
    assert notes and all(d.tgt_text is None for d in notes)
    for d in notes:
        assert all(u.pair is None for u in d.units if u.role in ("gloss", "analysis", "nav", "markup"))


def test_missing_source_says_so(tmp_path: Path) -> None:
    gen = _mixedgen()
    with pytest.raises(FileNotFoundError, match="benchmark data not found"):
        gen.generate(1, 0, str(tmp_path / "nothing"))


def test_pipeline_on_generated_documents_pairs_only_translations(tmp_path: Path) -> None:
    from duiqi.embed import FakeEncoder
    from duiqi.io.markdown import clean_markdown
    from duiqi.pipeline import Pipeline, PipelineConfig
    from duiqi.records import Document

    gen = _mixedgen()
    lexicon = {w: f"c{k}" for k, (z, e) in enumerate(zip(ZH, EN, strict=True)) for w in (z, e)}
    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=FakeEncoder(lexicon=lexicon, ngrams=False))
    found = 0
    for d in gen.generate(12, seed=2, source_dir=str(_source(tmp_path))):
        if d.tgt_text is not None:
            pairs = pipe.process_pair(Document("zh", d.text), Document("en", d.tgt_text))
        else:
            pairs = pipe.process(Document(d.id, d.text))
        for p in pairs:  # (study-note documents mark words up: compare the text without markup)
            src, tgt = clean_markdown(p.src).text, clean_markdown(p.tgt).text
            assert {v for w, v in lexicon.items() if w in src} == {v for w, v in lexicon.items() if w in tgt}
            assert not any(c.isdigit() for c in p.src), p.src  # no dated caption
        found += len(pairs)
        gold = sum(1 for g in d.gold if g[0])
        assert len(pairs) >= gold - 1, d.id
    assert found > 0
