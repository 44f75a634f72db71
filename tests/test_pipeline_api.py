"""Issue 11 (slice): the flat public API, one ConfigError, language profiles, a signature of what ran."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import types
from pathlib import Path

import pytest

from duiqi.align.config import AlignConfig
from duiqi.align.mixed import MixedConfig
from duiqi.embed import FakeEncoder
from duiqi.errors import ConfigError, DuiqiError
from duiqi.lang import LanguagePair, LanguageProfile, profile, register_profile, unregister_profile
from duiqi.pipeline import Pipeline, PipelineConfig
from duiqi.records import Document
from duiqi.run.task import Limits
from duiqi.score import FilterConfig
from duiqi.signature import short_signature, signature

ROOT = Path(__file__).resolve().parents[1]

# -- flat API ---------------------------------------------------------------------------------------


def test_flat_api_names() -> None:
    import duiqi.export
    import duiqi.io
    import duiqi.pipeline

    assert duiqi.Pipeline is duiqi.pipeline.Pipeline and duiqi.PipelineConfig is duiqi.pipeline.PipelineConfig
    assert duiqi.read_document is duiqi.io.read_document and duiqi.write_pairs is duiqi.export.write_pairs
    assert set(duiqi.__all__) <= set(dir(duiqi))
    with pytest.raises(AttributeError):
        duiqi.no_such_name  # noqa: B018


def test_repair_is_a_plain_function_and_the_stage_package_stays_importable() -> None:
    import duiqi.repair
    from duiqi.repair import RepairOptions, apply_plan

    assert isinstance(duiqi.repair, types.FunctionType)
    assert type(sys.modules["duiqi.repair"]) is types.ModuleType  # no swapped module class
    r = duiqi.repair("充分發(fā)揮領(lǐng)事機(jī)構(gòu)的作用,共建渠道")
    assert r.text == "充分发挥领事机构的作用，共建渠道"
    assert apply_plan("充分發(fā)揮領(lǐng)事機(jī)構(gòu)的作用,共建渠道", r.plan) == r.text
    assert duiqi.repair("a", RepairOptions()).text == "a"


@pytest.mark.parametrize("first", ["import duiqi.repair", "from duiqi.repair import apply_plan", "import duiqi"])
def test_repair_stays_a_function_whatever_is_imported_first(first: str) -> None:
    code = (f"{first}\nimport duiqi, duiqi.repair, types\nfrom duiqi.repair import explain\n"
            "assert isinstance(duiqi.repair, types.FunctionType), duiqi.repair\n"
            "print(duiqi.repair('近年來(lái),該市').text)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "近年来，该市"


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### Python\n\n```python\n", 1)[1].split("```", 1)[0]
    assert "duiqi.Pipeline(" in block and "duiqi.repair(" in block
    block = block.replace("PipelineConfig()", 'PipelineConfig(encoder="fake")')
    monkeypatch.chdir(ROOT)
    block = block.replace('"pairs.tmx"', repr(str(tmp_path / "pairs.tmx")))
    exec(compile(block, "README.md", "exec"), {})
    tmx = (tmp_path / "pairs.tmx").read_text(encoding="utf-8")
    assert "encoder:fake-256" in tmx and "mode:mixed" in tmx


# -- one ConfigError ----------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda: AlignConfig(max_align=0),
    lambda: AlignConfig(band=0),
    lambda: AlignConfig(span_embedding="concat-mean"),  # type: ignore[arg-type]
    lambda: PipelineConfig(script="cyrillic"),
    lambda: PipelineConfig(src_lang="xx"),
    lambda: PipelineConfig(src_lang="en", tgt_lang="en"),
    lambda: FilterConfig(min_quality=2.0),
    lambda: Limits(max_doc_bytes=0),
    lambda: Limits(doc_timeout=-1.0),
    lambda: LanguageProfile("de", "German", length_factor=0),
])
def test_every_config_validation_raises_config_error(make: object) -> None:
    with pytest.raises(ConfigError) as info:
        make()  # type: ignore[operator]
    assert isinstance(info.value, DuiqiError) and isinstance(info.value, ValueError)


# -- language profiles ------------------------------------------------------------------------------


def test_default_pair_is_zh_en_and_profiles_carry_the_tags() -> None:
    pair = PipelineConfig().languages
    assert (pair.src, pair.tgt) == ("zh", "en")
    assert pair.source.tag == "zh-CN" and pair.source.joiner == "" and pair.target.joiner == " "
    assert pair.length_factors() == (1.0, 0.3)
    assert PipelineConfig(src_lang="de", tgt_lang="fr").languages == LanguagePair("de", "fr")
    assert PipelineConfig(pair=LanguagePair("fr", "de")).src_lang == "fr"
    with pytest.raises(ConfigError, match="contradict"):
        PipelineConfig(src_lang="de", tgt_lang="fr", pair=LanguagePair("fr", "de"))
    assert LanguagePair.from_options(None, "zh") == LanguagePair("en", "zh")
    assert LanguagePair.from_options("de", None) == LanguagePair("de", "en")


# A tiny bilingual world: each German/French/Swedish word and its English counterpart share a concept token.
WORDS = {
    "de": ["Apfel", "Fluss", "Berg", "Stadt", "Schule", "Bahnhof", "Brücke", "Wald"],
    "fr": ["pomme", "rivière", "montagne", "ville", "école", "gare", "pont", "forêt"],
    "sv": ["äpple", "flod", "berg", "stad", "skola", "station", "bro", "skog"],
    "en": ["apple", "river", "mountain", "city", "school", "station", "bridge", "forest"],
}
FRAMES = {
    "de": "Gestern haben wir den {} und die {} zusammen gesehen, und alle waren sehr glücklich darüber.",
    "fr": "Hier nous avons vu le {} et la {} ensemble, et tout le monde était très heureux de cela.",
    "sv": "I går såg vi {} och {} tillsammans, och alla var mycket glada över det och sjöng länge.",
    "en": "Yesterday we saw the {} and the {} together, and everyone was very happy about it.",
}


def _encoder(*langs: str) -> FakeEncoder:
    lexicon = {WORDS[lang][k]: f"c{k}" for lang in langs for k in range(8)}
    return FakeEncoder(lexicon=lexicon, ngrams=False)


def _mixed_doc(src: str, tgt: str) -> str:
    """Four paragraphs, each in the source language followed by its translation."""
    out = []
    for k in range(0, 8, 2):
        for lang in (src, tgt):
            out.append(FRAMES[lang].format(WORDS[lang][k], WORDS[lang][k + 1]))
    return "\n\n".join(out) + "\n"


def _check(pairs: list, src: str, tgt: str) -> None:
    assert len(pairs) == 4
    for k, p in enumerate(pairs):
        assert (p.src_lang, p.tgt_lang) == (src, tgt)
        assert WORDS[src][2 * k] in p.src and WORDS[tgt][2 * k] in p.tgt, (p.src, p.tgt)


def test_de_fr_mixed_document_aligns_through_the_same_pipeline() -> None:
    pipe = Pipeline(PipelineConfig(encoder="fake", src_lang="de", tgt_lang="fr"), encoder=_encoder("de", "fr"))
    pairs = pipe.process(Document(id="defr", text=_mixed_doc("de", "fr")))
    _check(pairs, "de", "fr")
    # the segmenter kept both languages as themselves (they were "other" before profiles)
    prep = pipe.prepare(Document(id="defr", text=_mixed_doc("de", "fr")))
    assert {s.lang for s in prep.sentences} == {"de", "fr"}
    # the zh-en pipeline, on the same text, finds neither Chinese nor English
    with pytest.raises(DuiqiError, match="no Chinese and no English"):
        Pipeline(PipelineConfig(encoder="fake"), encoder=_encoder("de", "fr")).process(
            Document(id="defr", text=_mixed_doc("de", "fr")))


def test_a_new_profile_is_all_it_takes() -> None:
    unregister_profile("sv")
    try:
        with pytest.raises(ConfigError, match="no language profile for 'sv'"):
            PipelineConfig(src_lang="sv")
        register_profile(LanguageProfile("sv", "Swedish", length_factor=0.3))
        assert profile("sv").tag == "sv"
        pipe = Pipeline(PipelineConfig(encoder="fake", src_lang="sv", tgt_lang="en"), encoder=_encoder("sv", "en"))
        _check(pipe.process(Document(id="sv", text=_mixed_doc("sv", "en"))), "sv", "en")
        assert pipe.settings()["lang.sv.length"] == 0.3
        with pytest.raises(ConfigError, match="exists already"):
            register_profile(LanguageProfile("sv", "Swedish", length_factor=0.5))
    finally:
        unregister_profile("sv")
        register_profile(LanguageProfile("sv", "Swedish"))


# -- the signature of what ran ----------------------------------------------------------------------


def test_mixed_run_signs_what_it_ran() -> None:
    from tests.mixed.test_mixed import encoder as zh_en_encoder
    from tests.mixed.test_mixed import para

    text = "\n\n".join(x for k in range(3) for x in para(k)) + "\n"
    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=zh_en_encoder())
    assert "mode" not in pipe.settings()  # nothing ran yet: the config alone
    pipe.process(Document(id="t", text=text))
    ran = pipe.settings()
    # by default a mixed document uses the sentence aligner's own spans and runs no second encoder
    assert ran["mode"] == "mixed" and ran["align.span_embedding"] == AlignConfig().span_embedding
    assert "align.aux_weight" not in ran
    assert ran["encoder"] == "fake-256-lex"  # the encoder that ran, not the spec
    # one setting of multi-sentence spans (align.span_embedding), signed once, the same in both modes
    assert not any(k.endswith("span_embedding") for k in ran if k != "align.span_embedding")
    pooled = Pipeline(PipelineConfig(encoder="fake", align=AlignConfig(span_embedding="mean")),
                      encoder=zh_en_encoder())
    pooled.process(Document(id="t", text=text))
    assert pooled.settings()["align.span_embedding"] == "mean"
    src, tgt = para(0)
    pooled.process_pair(Document(id="a", text=src), Document(id="b", text=tgt))
    both = pooled.settings()
    assert both["mode"] == ("mixed", "parallel-documents") and both["align.span_embedding"] == "mean"


def test_short_and_full_signature() -> None:
    settings = PipelineConfig(encoder="fake").settings("mixed")
    full, short = signature(settings), short_signature(settings)
    assert "align.max_align:5" in full and "align.max_align" not in short
    assert short.startswith("duiqi:") and "|mode:mixed|encoder:fake-256|pair:zh-en|" in short
    assert short.endswith(f"settings:#{__import__('duiqi.signature').signature.settings_hash(settings)[:12]}")
    assert len(short) < 120


def test_align_and_run_sign_the_same_pipeline(tmp_path: Path) -> None:
    """`duiqi align DOC` and `duiqi run DOC` with the same settings: the same encoder name and the same
    pipeline fields (the run adds its own: shards, limits, format)."""
    import json

    from duiqi.cli.main import main

    doc = tmp_path / "doc.txt"
    doc.write_bytes((ROOT / "examples" / "chongqing-foreign-affairs-2022.txt").read_bytes())
    assert main(["align", str(doc), "-o", str(tmp_path / "a.jsonl"), "--encoder", "fake", "-q"]) == 0
    assert main(["run", str(doc), "-o", str(tmp_path / "run"), "--encoder", "fake", "--workers", "1", "-q"]) == 0
    a = json.loads((tmp_path / "a.jsonl.meta.json").read_text())["settings"]
    r = json.loads((tmp_path / "run" / "manifest.json").read_text())["settings"]
    assert a["encoder"] == r["encoder"] == "fake-256"
    pipeline_keys = set(PipelineConfig(encoder="fake").settings("mixed"))
    assert {k: a[k] for k in pipeline_keys} == {k: r[k] for k in pipeline_keys}
    assert r["mode"] == "mixed" and r["align.span_embedding"] == AlignConfig().span_embedding


def test_encoder_name_from_the_spec_is_the_name_the_encoder_reports() -> None:
    from duiqi.embed.registry import _build, encoder_name

    for spec in ("fake", "fake:64"):
        assert encoder_name(spec) == _build(spec).name
    assert PipelineConfig(encoder="fake:64").settings()["encoder"] == "fake-64"
    with pytest.raises(DuiqiError, match="unknown encoder"):
        encoder_name("nope")


@pytest.mark.slow
def test_use_encoder_name_without_loading_the_model() -> None:
    from duiqi.embed.registry import UseEncoder, encoder_name

    assert encoder_name("use") == UseEncoder().name == "use-m3@0.2.1+t2s"
    assert encoder_name("use-raw") == UseEncoder(t2s=False).name


def test_length_factors_come_from_the_profiles_only() -> None:
    """One name for one setting: a language's length factor is its profile's (no zh/en knob beside it)."""
    from dataclasses import replace as dc_replace

    from duiqi.lang import profile, register_profile

    cfg = PipelineConfig(encoder="fake")
    assert cfg.length_factor() == {"zh": 1.0, "en": 0.3}
    assert not any("en_length" in k for k in cfg.settings()) and cfg.settings()["lang.en.length"] == 0.3
    assert "en_length_factor" not in {f.name for f in dataclasses.fields(MixedConfig)}
    en = profile("en")
    register_profile(dc_replace(en, length_factor=0.5), replace=True)
    try:
        changed = PipelineConfig(encoder="fake")
        assert changed.length_factor() == {"zh": 1.0, "en": 0.5} and changed.settings()["lang.en.length"] == 0.5
    finally:
        register_profile(en, replace=True)
    assert PipelineConfig(encoder="fake", src_lang="de", tgt_lang="fr").length_factor() == {"de": 0.3, "fr": 0.3}


# -- score and filter are pipeline steps; embeddings computed once per document --------------------------


def _zh_en_doc() -> Document:
    from tests.mixed.test_mixed import para

    return Document(id="t", text="\n\n".join(x for k in range(3) for x in para(k)) + "\n")


def test_process_returns_scored_pairs_as_the_cli_scores_them() -> None:
    from tests.mixed.test_mixed import encoder as zh_en_encoder

    from duiqi.score import score_pairs

    enc = zh_en_encoder()
    pairs = Pipeline(PipelineConfig(encoder="fake"), encoder=enc).process(_zh_en_doc())
    assert pairs and all(p.quality is not None for p in pairs)
    assert any(p.margin is not None for p in pairs)
    # the same values as scoring the unscored pairs afterwards with the encoder itself
    bare = Pipeline(PipelineConfig(encoder="fake", score=False), encoder=zh_en_encoder()).process(_zh_en_doc())
    assert all(p.quality is None for p in bare)
    assert score_pairs(bare, zh_en_encoder(), context=True) == pairs


def test_filter_step_rejects_with_reasons_and_is_signed() -> None:
    from tests.mixed.test_mixed import encoder as zh_en_encoder

    strict = FilterConfig(min_quality=0.999)
    pipe = Pipeline(PipelineConfig(encoder="fake", filters=strict), encoder=zh_en_encoder())
    outcome = pipe.run(_zh_en_doc())
    everything = Pipeline(PipelineConfig(encoder="fake"), encoder=zh_en_encoder()).process(_zh_en_doc())
    assert outcome.rejected, "a 0.999 quality threshold rejects some pairs"
    assert len(outcome.pairs) + len(outcome.rejected) == len(everything)
    assert all(r.reasons and r.reasons[0].startswith("min-quality") for r in outcome.rejected)
    assert sum(outcome.first.values()) == len(outcome.rejected)
    assert pipe.process(_zh_en_doc()) == outcome.pairs
    ran = pipe.settings()
    assert ran["filter.min_quality"] == 0.999 and ran["quality_model"]
    # nothing filtered, nothing signed about filters; no scoring, no quality model
    assert "filter.min_quality" not in PipelineConfig(encoder="fake").settings("mixed")
    assert "quality_model" not in PipelineConfig(encoder="fake", score=False).settings("mixed")


def test_scoring_reuses_the_embeddings_the_aligner_computed() -> None:
    """The score step asks the document's embeddings view; every text the aligner encoded is handed on,
    and the encoder itself sees each text once (no process-wide memo involved: the bare fake encoder)."""
    from tests.mixed.test_mixed import encoder as zh_en_encoder

    inner = zh_en_encoder()
    seen: list[str] = []

    class Counting:
        name = inner.name

        def encode(self, texts: list[str]) -> object:
            seen.extend(texts)
            return inner.encode(texts)

    pipe = Pipeline(PipelineConfig(encoder="fake"), encoder=Counting())  # type: ignore[arg-type]
    pairs = pipe.process(_zh_en_doc())
    assert len(seen) == len(set(seen)), "a text was encoded twice for one document"
    view = pipe.last_embeddings
    assert view is not None and view.passed_on >= sum(1 for p in pairs if p.src and p.tgt)


def test_a_run_goes_through_the_same_steps_as_the_api(tmp_path: Path) -> None:
    """`run_corpus` with a quality bar: each document's kept pairs and pair rejects (with reasons) are what
    `Pipeline.run` gives for that document with the run's filter in its config."""
    import json
    from dataclasses import dataclass

    from tests.mixed.test_mixed import encoder as zh_en_encoder

    from duiqi.io import read_document
    from duiqi.run import LocalEngine, PipelineFactory, RunConfig, run_corpus

    @dataclass(frozen=True)
    class Factory(PipelineFactory):
        def __call__(self) -> Pipeline:
            return Pipeline(self.config, encoder=zh_en_encoder())

    folder = tmp_path / "in"
    folder.mkdir()
    doc = folder / "page.txt"
    doc.write_text(_zh_en_doc().text, encoding="utf-8")
    direct = Pipeline(PipelineConfig(encoder="fake"), encoder=zh_en_encoder()).run(read_document(str(doc), doc_id="page.txt"))
    qualities = sorted(p.quality for p in direct.pairs if p.quality is not None)
    assert qualities and direct.rejected == []
    bar = FilterConfig(min_quality=qualities[0] + 1e-6, dedup=False)  # rejects the weakest pair(s)
    expected = Pipeline(PipelineConfig(encoder="fake", filters=bar), encoder=zh_en_encoder()).run(read_document(str(doc), doc_id="page.txt"))
    assert expected.rejected and expected.pairs
    out = tmp_path / "out"
    run_corpus(RunConfig(inputs=(str(folder),), shard_size=5, pipeline=PipelineConfig(encoder="fake", filters=bar), dedup=False), str(out),
               Factory(PipelineConfig(encoder="fake")), LocalEngine(0))
    kept = [json.loads(ln) for f in sorted((out / "pairs").iterdir()) for ln in f.read_text().splitlines()]
    rejects = [json.loads(ln) for f in sorted((out / "rejects").iterdir()) for ln in f.read_text().splitlines()]
    assert [(p["src"], p["tgt"], p["quality"]) for p in kept] == [(p.src, p.tgt, round(p.quality or 0, 6)) for p in expected.pairs]
    assert [(r["pair"]["src"], r["reasons"]) for r in rejects] == [
        (r.pair.src, list(r.reasons)) for r in expected.rejected]
