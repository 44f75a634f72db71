"""Corpus runs on the local engine with the fake processor (and one with the real pipeline, fake encoder)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from duiqi.cli.main import main
from duiqi.errors import DuiqiError
from duiqi.pipeline import PipelineConfig
from duiqi.run import Limits, LocalEngine, RunConfig, run_corpus
from duiqi.run.fake import FakeFactory
from duiqi.run.progress import Progress
from duiqi.score import FilterConfig


def _run(inputs: list[Path], out: Path, workers: int = 0, **kw: object) -> object:
    overwrite = bool(kw.pop("overwrite", False))
    factory = kw.pop("factory", FakeFactory())
    config = RunConfig(inputs=tuple(str(p) for p in inputs), **kw)  # type: ignore[arg-type]
    return run_corpus(config, str(out), factory, LocalEngine(workers), overwrite=overwrite)  # type: ignore[arg-type]


def test_inline_and_two_workers_give_the_same_files(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 30)
    a = _run([src], tmp_path / "a", workers=0, shard_size=4)
    b = _run([src], tmp_path / "b", workers=2, shard_size=4)
    assert a.complete and b.complete  # type: ignore[attr-defined]
    pairs = kit.read_pairs(tmp_path / "a")
    assert len(pairs) == 30 * 3 and pairs == kit.read_pairs(tmp_path / "b")
    assert {p["doc"] for p in pairs} == {f"doc{i:04d}.txt" for i in range(30)}
    for name in sorted(os.listdir(tmp_path / "a" / "pairs")):
        assert (tmp_path / "a" / "pairs" / name).read_bytes() == (tmp_path / "b" / "pairs" / name).read_bytes()


def test_manifest_and_report(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 10)
    _run([src], tmp_path / "out", shard_size=4)
    m = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "complete" and m["inputs"] == [str(src)]
    assert m["signature"].startswith("duiqi:") and "shard_size:4" in m["signature"]
    assert len(m["settings_hash"]) == 16 and m["versions"]["duiqi"]
    assert [(s["name"], s["docs"], s["pairs"]) for s in m["shards"]] == [
        ("part-00000", 4, 12), ("part-00001", 4, 12), ("part-00002", 2, 6)
    ]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["docs"] == 10 and report["run"]["pairs"] == 30 and report["run"]["shards_done"] == 3
    assert report["totals"] == {"input": 30, "kept": 30, "rejected": 0}  # the pair-quality report (duiqi.score)
    assert "<svg" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_resume_skips_finished_shards_and_redoes_the_rest(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 12)
    out = tmp_path / "out"
    _run([src], out, shard_size=4)
    reference = kit.read_pairs(out)
    # Shard 1 "crashed" before its marker; shard 0's pairs are marked done (a sentinel proves it is skipped).
    os.unlink(out / "done" / "part-00001.done")
    (out / "pairs" / "part-00001.jsonl").write_text("half a line", encoding="utf-8")
    (out / "pairs" / ".part-00002.jsonl.abc.tmp").write_text("leftover", encoding="utf-8")
    sentinel = (out / "pairs" / "part-00000.jsonl").read_text(encoding="utf-8")
    summary = _run([src], out, shard_size=4)
    assert summary.resumed and summary.complete  # type: ignore[attr-defined]
    assert (out / "pairs" / "part-00000.jsonl").read_text(encoding="utf-8") == sentinel
    assert kit.read_pairs(out) == reference
    assert not (out / "pairs" / ".part-00002.jsonl.abc.tmp").exists()


def test_refuses_to_resume_with_other_settings_unless_overwrite(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 6)
    out = tmp_path / "out"
    _run([src], out, shard_size=4)
    with pytest.raises(DuiqiError, match=r"different settings.*shard_size: 4 -> 3"):
        _run([src], out, shard_size=3)
    with pytest.raises(DuiqiError, match="different settings"):
        _run([src], out, shard_size=4, factory=FakeFactory(delay=0.001))
    (src / "new.txt").write_text(kit.doc_text(99), encoding="utf-8")
    with pytest.raises(DuiqiError, match="different inputs"):
        _run([src], out, shard_size=4)
    summary = _run([src], out, shard_size=3, overwrite=True)
    assert summary.complete and len(kit.read_pairs(out)) == 7 * 3  # type: ignore[attr-defined]
    assert sorted(os.listdir(out / "done")) == ["part-00000.done", "part-00001.done", "part-00002.done"]


def test_refuses_a_folder_with_outputs_but_no_manifest(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 3)
    (tmp_path / "out" / "pairs").mkdir(parents=True)
    with pytest.raises(DuiqiError, match=r"no manifest\.json"):
        _run([src], tmp_path / "out")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    _run([src], tmp_path / "other")  # a folder with unrelated files is fine, and they are kept
    assert (tmp_path / "other" / "notes.txt").read_text(encoding="utf-8") == "mine"


BROKEN = {3: "binary", 17: "undecodable", 40: "huge", 55: "raise", 71: "hang", 88: "crash"}


def test_broken_documents_are_rejected_with_reasons_and_the_run_goes_on(
    tmp_path: Path, kit: SimpleNamespace
) -> None:
    src = kit.make_folder(tmp_path / "in", 100, BROKEN)
    # 5 s, not 1 s: the hanging document sleeps for an hour either way, and a sound document took over 1 s
    # under load (the first of a shard, at load average ~6 on 2 CPUs) and was rejected as a timeout.
    limits = Limits(max_doc_bytes=50_000, doc_timeout=5.0)
    summary = _run([src], tmp_path / "out", workers=2, shard_size=10, limits=limits)
    assert summary.complete  # type: ignore[attr-defined]
    rejects = {r["doc"]: r for r in kit.read_rejects(tmp_path / "out")}
    expected = {
        "doc0003.txt": "bad-document", "doc0017.txt": "bad-document", "doc0040.txt": "too-large",
        "doc0055.txt": "error", "doc0071.txt": "timeout", "doc0088.txt": "worker-crash",
    }
    assert {d: r["reason"] for d, r in rejects.items()} == expected
    assert "binary" in rejects["doc0003.txt"]["reasons"][0]
    assert all(r["kind"] == "document" and r["source"].endswith(r["doc"]) for r in rejects.values())
    docs = {p["doc"] for p in kit.read_pairs(tmp_path / "out")}
    assert docs == {f"doc{i:04d}.txt" for i in range(100) if i not in BROKEN}
    assert summary.totals["docs_rejected"] == 6 and summary.totals["docs_ok"] == 94  # type: ignore[attr-defined]


def test_min_similarity_rejects_pairs_with_their_scores(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 5)
    _run([src], tmp_path / "out", pipeline=PipelineConfig(filters=FilterConfig.thresholds(min_similarity=0.999)))
    kept = kit.read_pairs(tmp_path / "out")
    rejected = kit.read_rejects(tmp_path / "out")
    assert len(kept) + len(rejected) == 15 and rejected
    assert all(r["kind"] == "pair" and r["reason"] == "min-similarity" and r["pair"]["score"] < 0.999 for r in rejected)
    assert all(p["score"] >= 0.999 for p in kept)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["totals"] == {"input": 15, "kept": len(kept), "rejected": len(rejected)}
    assert report["run"]["reject_reasons"] == {"pair:min-similarity": len(rejected)}


def test_jsonl_and_parquet_inputs_and_parquet_output(tmp_path: Path, kit: SimpleNamespace) -> None:
    pytest.importorskip("pyarrow")
    recs = kit.make_jsonl(tmp_path / "recs.jsonl", 9)
    _run([recs], tmp_path / "out", shard_size=4, format="parquet")
    pairs = kit.read_pairs(tmp_path / "out")
    assert sorted(os.listdir(tmp_path / "out" / "pairs")) == [f"part-0000{i}.parquet" for i in range(3)]
    assert [p["doc"] for p in pairs[::3]] == [f"rec{i}" for i in range(9)]


def test_pair_dirs(tmp_path: Path, kit: SimpleNamespace) -> None:
    for side in ("zh", "en"):
        (tmp_path / side).mkdir()
    for i in range(3):
        (tmp_path / "zh" / f"{i}.txt").write_text("第一句。\n第二句。\n", encoding="utf-8")
        (tmp_path / "en" / f"{i}.txt").write_text("One.\nTwo.\n", encoding="utf-8")
    (tmp_path / "zh" / "lonely.txt").write_text("孤单。\n", encoding="utf-8")
    # The three documents are identical on purpose: dedup off, to count what the pairing gives.
    config = RunConfig(pair_dirs=((str(tmp_path / "zh"), str(tmp_path / "en")),), dedup=False)
    run_corpus(config, str(tmp_path / "out"), FakeFactory(), LocalEngine(0))
    assert len(kit.read_pairs(tmp_path / "out")) == 6
    (rej,) = kit.read_rejects(tmp_path / "out")
    assert rej["doc"] == "lonely.txt" and rej["reason"] == "unpaired"


def test_cli_runs_resumes_and_refuses(tmp_path: Path, kit: SimpleNamespace, capsys: pytest.CaptureFixture[str]) -> None:
    src = kit.make_folder(tmp_path / "in", 8)
    out = tmp_path / "out"
    args = ["run", str(src), "-o", str(out), "--processor", "fake", "--workers", "1", "--shard-size", "3"]
    assert main(args) == 0
    err = capsys.readouterr().err
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert events[0]["event"] == "start" and events[-1]["event"] == "end"
    assert "8 documents (0 rejected), 24 pairs, 3/3 shards" in err
    assert main(args) == 0  # resume: nothing to do
    assert json.loads(capsys.readouterr().err.splitlines()[0])["already_done"] == 3
    assert main([*args[:-1], "4"]) == 2
    assert "refusing to resume" in capsys.readouterr().err
    assert main(["run", "-o", str(out)]) == 2
    assert len(kit.read_pairs(out)) == 24


def test_real_pipeline_with_fake_encoder(tmp_path: Path, kit: SimpleNamespace) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "chongqing-foreign-affairs-2022.txt"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(example.read_bytes())
    (tmp_path / "in" / "b.txt").write_text("only English here, nothing to align.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "-o", str(out), "--encoder", "fake", "--workers", "1", "-q"]) == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "encoder:fake" in m["signature"]
    rejects = [json.loads(x) for x in (out / "rejects" / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["doc"], r["reason"]) for r in rejects] == [("b.txt", "bad-document")]
    assert m["totals"]["docs_ok"] == 1
    pairs = kit.read_pairs(out)
    assert pairs and all(0.0 <= p["quality"] <= 1.0 for p in pairs)  # scored as `duiqi align` scores
    assert "quality_model:" in m["signature"] and "filter:none" in m["signature"]


def test_filter_option_rejects_pairs_with_their_reasons(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 4)
    out = tmp_path / "out"
    # a quality bar nothing reaches with the fake processor's scores: every pair is rejected, with reasons,
    # and a run that produces nothing exits non-zero
    assert main(["run", str(src), "-o", str(out), "--processor", "fake", "--workers", "1", "-q",
                 "--filter", "--min-quality", "0.999"]) == 1
    assert kit.read_pairs(out) == []
    rejects = kit.read_rejects(out)
    assert len(rejects) == 12 and {r["reason"] for r in rejects} == {"min-quality"}
    assert all(r["kind"] == "pair" and r["reasons"][0].startswith("min-quality:") for r in rejects)
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "filter.min_quality:0.999" in m["signature"]


def test_progress_bar_on_a_terminal() -> None:
    import io

    buf = io.StringIO()
    p = Progress(100, 4, stream=buf, tty=True)
    p.start()
    for _ in range(4):
        p.update({"docs": 25, "pairs": 50, "docs_rejected": 1})
    p.close()
    text = buf.getvalue()
    assert "100/100 docs" in text and "docs/s" in text and "ETA" in text and "rejected 4" in text


def test_no_memo_of_texts_outlives_a_document(tmp_path: Path, kit: SimpleNamespace) -> None:
    """A worker's memory must not grow with the corpus: the encoder keeps no texts, each document gets
    an embeddings view of its own (dropped with the document)."""
    from duiqi.embed.base import CachedEncoder
    from duiqi.pipeline import PipelineConfig
    from duiqi.run import PipelineFactory, ShardTask, expand_inputs, plan_shards
    from duiqi.run.task import get_processor
    from duiqi.steps import DocumentEmbeddings

    src = kit.make_folder(tmp_path / "in", 4)
    (tmp_path / "in" / "doc0000.txt").write_bytes(
        (Path(__file__).resolve().parents[2] / "examples" / "chongqing-foreign-affairs-2022.txt").read_bytes()
    )
    task = ShardTask(PipelineFactory(PipelineConfig(encoder="fake")))
    pipe = get_processor(task.factory)
    assert not isinstance(pipe.encoder, CachedEncoder) and not hasattr(pipe.encoder, "_memo")
    views = []
    for spec in plan_shards(expand_inputs([str(src)]), 2):
        task(spec)
        view = pipe.last_embeddings
        assert isinstance(view, DocumentEmbeddings) and view.requested > 0  # it did encode something
        views.append(view)
    assert len({id(v) for v in views}) == len(views) == 2


def test_duplicates_across_shards_are_removed_once_and_recorded(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 6)
    # doc0005 repeats doc0001 (another shard) with other case and punctuation: near duplicates.
    (src / "doc0005.txt").write_text(kit.doc_text(1).replace("第b号", "第b号！").replace("No. b", "no. b!"),
                                     encoding="utf-8")
    out = tmp_path / "out"
    summary = run_corpus(RunConfig(inputs=(str(src),), shard_size=2), str(out), FakeFactory(), LocalEngine(0))
    pairs = kit.read_pairs(out)
    keys = [(p["src"], p["tgt"]) for p in pairs]
    assert len(keys) == 5 * 3 and len(set(keys)) == len(keys)
    assert {p["doc"] for p in pairs} == {f"doc{i:04d}.txt" for i in range(5)}  # the later copy went, the first stayed
    dups = [json.loads(ln) for f in sorted((out / "rejects").iterdir()) for ln in f.read_text().splitlines()]
    dups = [d for d in dups if d["reason"] == "duplicate"]
    assert len(dups) == 3 and {d["doc"] for d in dups} == {"doc0005.txt"}
    assert summary.totals["duplicates_removed"] == 3 and summary.totals["pairs"] == 15
    # Running again (a completed run) changes nothing and records nothing twice.
    before = {f.name: f.read_bytes() for d in ("pairs", "rejects") for f in (out / d).iterdir()}
    again = run_corpus(RunConfig(inputs=(str(src),), shard_size=2), str(out), FakeFactory(), LocalEngine(0))
    after = {f.name: f.read_bytes() for d in ("pairs", "rejects") for f in (out / d).iterdir()}
    assert after == before and again.totals["duplicates_removed"] == 3
    # Without dedup both copies stay.
    plain = run_corpus(RunConfig(inputs=(str(src),), shard_size=2, dedup=False), str(tmp_path / "plain"),
                       FakeFactory(), LocalEngine(0))
    assert plain.totals["pairs"] == 18
