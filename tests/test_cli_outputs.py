"""The command line fails before the work, says what happens, and reads recipes: issue 14."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest

from duiqi.cli.main import main

ZH = "2021年5月天气很好。\n他们在2022年7月见面。\n他们写了1000封信。\n"
EN = "In May 2021 the weather was fine.\nThey met in July 2022.\nThey wrote 1000 letters.\n"


@pytest.fixture()
def docs(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "a.zh").write_text(ZH, encoding="utf-8")
    (tmp_path / "a.en").write_text(EN, encoding="utf-8")
    return str(tmp_path / "a.zh"), str(tmp_path / "a.en")


def _align(docs: tuple[str, str], *extra: str) -> int:
    return main(["align", *docs, "--pre-split", "--encoder", "fake", *extra])


def test_unknown_output_extension_fails_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = [str(tmp_path / "missing.zh"), str(tmp_path / "missing.en")]
    assert main(["align", *missing, "--encoder", "fake", "-o", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "unknown output extension '.xlsx'" in err and "--format" in err and "missing" not in err
    assert err.count("\n") == 1
    assert main(["filter", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "y.xlsx")]) == 2
    assert "'.xlsx'" in capsys.readouterr().err
    assert main(["align", *missing, "--encoder", "fake", "--report", str(tmp_path / "r.pdf")]) == 2
    assert "--report writes .html or .json" in capsys.readouterr().err
    assert main(["align", *missing, "--filter", "--rejects", str(tmp_path / "r.tsv")]) == 2
    assert "--rejects writes JSON lines" in capsys.readouterr().err
    assert main(["split", *missing[:1], "-o", str(tmp_path / "s.tsv")]) == 2
    assert "writes JSON lines" in capsys.readouterr().err


def test_parquet_without_pyarrow_fails_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    missing = [str(tmp_path / "missing.zh"), str(tmp_path / "missing.en")]
    assert main(["align", *missing, "--encoder", "fake", "-o", str(tmp_path / "s.parquet")]) == 2
    err = capsys.readouterr().err
    assert "duiqi[parquet]" in err and "missing" not in err


def test_format_overrides_extension_and_moses_from_align(docs: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    assert _align(docs, "-o", str(out), "--format", "tsv", "--tsv-columns", "plain", "--tsv-header") == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "src\ttgt"
    assert _align(docs, "-o", str(tmp_path / "train"), "--format", "moses") == 0
    assert (tmp_path / "train.zh").read_text(encoding="utf-8") == ZH
    assert (tmp_path / "train.en").read_text(encoding="utf-8") == EN


def test_doc_is_the_input_as_named(docs: tuple[str, str], tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    assert _align(docs, "-o", str(out)) == 0
    assert {json.loads(line)["doc"] for line in out.read_text(encoding="utf-8").splitlines()} == {docs[0]}


def test_japanese_is_never_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ja, en = tmp_path / "a.ja", tmp_path / "b.en"
    ja.write_text("今日はとても良い天気です。\n私たちは公園を散歩しました。\n", encoding="utf-8")
    en.write_text("The weather is very good today.\nWe walked in the park.\n", encoding="utf-8")
    assert main(["align", str(ja), str(en), "--encoder", "fake"]) == 2
    err = capsys.readouterr().err
    assert "Japanese (ja)" in err and "--pre-split" in err
    out = tmp_path / "tm.tmx"
    assert main(["align", str(ja), str(en), "--encoder", "fake", "--pre-split", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'xml:lang="ja"' in text and "zh-CN" not in text
    assert main(["align", str(ja), str(en), "--encoder", "fake", "--src-lang", "xx_YY"]) == 2
    assert "'xx_YY' is not a BCP 47" in capsys.readouterr().err


def test_unrecognised_language_and_tmx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Il fait beau aujourd'hui.\nNous marchons dans le parc.\n", encoding="utf-8")
    b.write_text("Das Wetter ist heute schön.\nWir gehen im Park spazieren.\n", encoding="utf-8")
    assert main(["align", str(a), str(b), "--pre-split", "--encoder", "fake", "-o", str(tmp_path / "t.tmx")]) == 2
    assert "name it with --src-lang" in capsys.readouterr().err
    assert main(["align", str(a), str(b), "--pre-split", "--encoder", "fake", "--src-lang", "fr",
                 "--tgt-lang", "de", "-o", str(tmp_path / "t.tmx")]) == 0
    assert 'xml:lang="fr"' in (tmp_path / "t.tmx").read_text(encoding="utf-8")


def test_thresholds_mean_the_same_and_old_spelling_warns(docs: tuple[str, str], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out, rej = tmp_path / "p.jsonl", tmp_path / "rej.jsonl"
    # a threshold without --filter applies alone, with the rejected pairs and their reason
    assert _align(docs, "-o", str(out), "--min-similarity", "1.01", "--rejects", str(rej)) == 0
    assert out.read_text(encoding="utf-8") == ""
    assert all(r["reasons"][0].startswith("min-similarity") for r in map(json.loads, rej.read_text().splitlines()))
    capsys.readouterr()
    assert _align(docs, "-o", str(out), "--min-score", "1.01") == 0
    assert "--min-score is deprecated" in capsys.readouterr().err and out.read_text(encoding="utf-8") == ""
    assert _align(docs, "-o", str(out), "--min-quality", "0") == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_config_file_holds_options_flags_override_and_signature_records_it(
        docs: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recipe = tmp_path / "recipe.toml"
    recipe.write_text('min-similarity = 1.01\nformat = "jsonl"\n[align]\nkeep_unaligned = true\n'
                      '[run]\nshard-size = 7\n', encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert _align(docs, "-o", str(out), "--config", str(recipe)) == 0
    assert out.read_text(encoding="utf-8") == ""  # the recipe's threshold applied
    meta = json.loads((tmp_path / "p.jsonl.meta.json").read_text())
    assert "config:recipe.toml@" in meta["signature"]
    assert _align(docs, "-o", str(out), "--config", str(recipe), "--min-similarity", "off") == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3  # the flag wins
    recipe.write_text("min-simmilarity = 0.5\n", encoding="utf-8")
    assert _align(docs, "--config", str(recipe)) == 2
    assert "unknown option 'min-simmilarity'" in capsys.readouterr().err
    recipe.write_text('span-embedding = "fastest"\n', encoding="utf-8")
    assert _align(docs, "--config", str(recipe)) == 2
    assert "'fastest' is not one of" in capsys.readouterr().err
    recipe.write_text("[aling]\nmax-align = 3\n", encoding="utf-8")
    assert _align(docs, "--config", str(recipe)) == 2
    assert "unknown table [aling]" in capsys.readouterr().err
    recipe.write_text("min-similarity = [\n", encoding="utf-8")
    assert _align(docs, "--config", str(recipe)) == 2
    assert "not a valid TOML file" in capsys.readouterr().err


def test_run_config_goes_into_the_manifest(tmp_path: Path) -> None:
    src = _records(tmp_path / "docs.jsonl", "text")
    recipe = tmp_path / "corpus.toml"
    recipe.write_text(f"min-similarity = 0.5\n[run]\nshard-size = 2\nworkers = 1\noutput = '{tmp_path / 'out'}'\n"
                      "[align]\nspan-embedding = 'mean'\n", encoding="utf-8")
    assert main(["run", str(src), "--processor", "fake", "--config", str(recipe), "-q"]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["settings"]["shard_size"] == 2 and manifest["planned_shards"] == 2
    assert manifest["settings"]["filter.min_similarity"] == 0.5
    assert "config:corpus.toml@" in manifest["signature"]
    assert main(["run", str(src), "--processor", "fake"]) == 2  # no output folder anywhere


def test_quiet_and_verbose(docs: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.jsonl"
    assert _align(docs, "-o", str(out), "--filter", "-v") == 0
    err = capsys.readouterr().err
    for stage in ("[1/4] read", "[2/4] align", "[3/4] filter", "[4/4] write"):
        assert stage in err
    assert "pairs failing each filter" in err
    assert _align(docs, "-o", str(out), "--filter", "-q") == 0
    assert capsys.readouterr().err == ""


def test_stage_progress_on_a_terminal_counts_encoded_texts() -> None:
    from duiqi.cli.stages import Stages
    from duiqi.embed import FakeEncoder
    from duiqi.steps import DocumentEmbeddings

    buf = io.StringIO()
    stages = Stages("duiqi align", ["align"], stream=buf, tty=True)
    encoder = FakeEncoder()
    with stages.stage("align", unit="texts encoded"), stages.watch_encoder(encoder, span_factor=2):
        view = DocumentEmbeddings(encoder)  # what the pipeline makes for each document
        stages._last = -1.0
        view.encode([f"sentence {i}" for i in range(300)])  # two batches of the view (256 + 44)
        stages._last = -1.0
        view.encode([f"target {i}" for i in range(100)])
        view.encode([f"sentence {i}" for i in range(10)])  # seen: nothing reaches the encoder
    text = buf.getvalue()
    assert "256 texts encoded" in text and "400/~800 texts encoded" in text and "ETA ~" in text
    assert "[1/1] align done in" in text
    assert not {"encode", "on_request"} & set(vars(encoder))  # the encoder is left as it was


def _records(path: Path, field: str) -> Path:
    rows = [{"id": f"d{i}", field: f"今天天气很好{i}。\nThe weather is fine {i}."} for i in range(3)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_run_without_text_field_fails_and_names_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _records(tmp_path / "docs.jsonl", "body")
    code = main(["run", str(src), "-o", str(tmp_path / "out"), "--processor", "fake", "--workers", "1"])
    assert code == 1
    err = capsys.readouterr().err
    assert "produced no pairs" in err and "the record has fields: body, id" in err and "--text-field" in err
    assert "rejected by reason: bad-record 3" in err


def test_run_reasons_and_idle_workers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _records(tmp_path / "docs.jsonl", "text")
    base = ["run", str(src), "--processor", "fake", "--workers", "3"]
    # an explicit shard size is kept, and the run says why workers sit idle
    assert main([*base, "-o", str(tmp_path / "a"), "--shard-size", "500"]) == 0
    err = capsys.readouterr().err
    assert "3 documents make 1 shard(s) for 3 workers" in err and "--shard-size 1" in err
    assert "duiqi run: rejected by reason: " in err
    # by default the shards are cut so that every worker gets one
    assert main([*base, "-o", str(tmp_path / "b")]) == 0
    err = capsys.readouterr().err
    assert "worker(s) will have nothing to do" not in err and "3/3 shards" in err
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["settings"]["shard_size"] == 1 and manifest["planned_shards"] == 3
    # resuming with another worker count keeps the run's shard size (no refusal, nothing redone)
    assert main([*base[:-1], "2", "-o", str(tmp_path / "b")]) == 0
    assert "3/3 shards" in capsys.readouterr().err


def test_filter_keeps_the_signature_of_its_input(docs: tuple[str, str], tmp_path: Path) -> None:
    pairs, kept = tmp_path / "p.jsonl", tmp_path / "k.jsonl"
    assert _align(docs, "-o", str(pairs)) == 0
    source = json.loads((tmp_path / "p.jsonl.meta.json").read_text())["signature"]
    assert main(["filter", str(pairs), "-o", str(kept), "--min-quality", "0", "-q"]) == 0
    meta = json.loads((tmp_path / "k.jsonl.meta.json").read_text())
    assert meta["input"] == {"path": str(pairs), "signature": source}
    assert "input_signature:" in meta["signature"]


def test_verbose_split_and_repair_say_what_they_did(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text("今天天气很好。我们去公园。\nThe weather is fine today.\n", encoding="utf-8")
    assert main(["split", str(doc), "-o", str(tmp_path / "s.jsonl"), "-v"]) == 0
    assert "duiqi split: 1 document(s), 3 sentences (en 1, zh 2)" in capsys.readouterr().err
    assert main(["split", str(doc), "-o", str(tmp_path / "s.jsonl")]) == 0
    assert capsys.readouterr().err == ""
    assert main(["repair", str(doc), "-o", str(tmp_path / "r.txt"), "-v"]) == 0
    assert "duiqi repair: 0 edits" in capsys.readouterr().err
