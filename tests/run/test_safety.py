"""Issue 10, corpus runs: one bad document never costs the good ones, the planner never crashes or hangs,
the output folder is locked and never read as input."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from duiqi.cli.main import main
from duiqi.errors import DuiqiError
from duiqi.run import LocalEngine, RunConfig, run_corpus
from duiqi.run.fake import FakeFactory
from duiqi.run.outdir import RunDir


def _run(inputs: list[Path], out: Path, workers: int = 0, **kw: object) -> object:
    overwrite = bool(kw.pop("overwrite", False))
    config = RunConfig(inputs=tuple(str(p) for p in inputs), **kw)  # type: ignore[arg-type]
    return run_corpus(config, str(out), FakeFactory(), LocalEngine(workers), overwrite=overwrite)


def test_unreadable_inputs_are_rejects_not_crashes_or_hangs(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 4)
    (src / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (src / "dangling.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    os.mkfifo(src / "p.jsonl")  # opening it would block for ever
    os.mkfifo(src / "q.txt")
    locked = src / "x.jsonl"
    kit.make_jsonl(locked, 2)
    locked.chmod(0)
    summary = _run([src], tmp_path / "out", shard_size=3)
    assert summary.complete  # type: ignore[attr-defined]
    rejects = {r["doc"]: r for r in kit.read_rejects(tmp_path / "out")}
    assert rejects["dangling.txt"]["reason"] == "unreadable" and "does not exist" in rejects["dangling.txt"]["reasons"][0]
    assert rejects["p.jsonl"]["reason"] == "unreadable" and "FIFO" in rejects["p.jsonl"]["reasons"][0]
    assert rejects["q.txt"]["reason"] == "unreadable" and "dangling.jsonl" in rejects
    if os.geteuid() != 0:  # root reads anything
        assert rejects["x.jsonl"]["reason"] == "unreadable"
    assert {p["doc"] for p in kit.read_pairs(tmp_path / "out")} >= {f"doc{i:04d}.txt" for i in range(4)}


def test_bad_records_cost_only_themselves(tmp_path: Path, kit: SimpleNamespace) -> None:
    """Lone-surrogate ids, 5,000-deep nesting and GB18030 lines in one JSONL file: the good records all
    make pairs, the nested one is a bad record, nothing crashes the shard (also in Parquet output)."""
    good = [{"id": f"rec{i}", "text": kit.doc_text(i)} for i in range(4)]
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in good]
    lines.insert(1, b'{"id": "\\udc00x", "text": ' + json.dumps(kit.doc_text(7)).encode() + b"}")
    lines.insert(2, b'{"id": "deep", "text": "x", "more": ' + b"[" * 5000 + b"]" * 5000 + b"}")
    lines.append(json.dumps({"id": "gb", "text": kit.doc_text(9)}, ensure_ascii=False).encode("gb18030"))
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    for fmt in ("jsonl", "parquet"):
        out = tmp_path / f"out-{fmt}"
        summary = _run([path], out, shard_size=10, format=fmt)
        assert summary.complete  # type: ignore[attr-defined]
        docs = {p["doc"] for p in kit.read_pairs(out)}
        assert {"rec0", "rec1", "rec2", "rec3", "gb", "\\udc00x"} <= docs
        rejects = kit.read_rejects(out)
        assert [r["reason"] for r in rejects if r["kind"] == "document"] == ["bad-record"]
        assert "nested" in rejects[0]["reasons"][0]


def test_utf16_jsonl_is_read_as_split_reads_it(tmp_path: Path, kit: SimpleNamespace) -> None:
    text = "".join(json.dumps({"id": f"r{i}", "text": kit.doc_text(i)}, ensure_ascii=False) + "\n" for i in range(5))
    for name, data in (("bom.jsonl", text.encode("utf-16")), ("nobom.jsonl", text.encode("utf-16-le"))):
        path = tmp_path / name
        path.write_bytes(data)
        out = tmp_path / ("out-" + name)
        summary = _run([path], out, shard_size=2)
        assert summary.complete and summary.totals["docs_rejected"] == 0  # type: ignore[attr-defined]
        assert {p["doc"] for p in kit.read_pairs(out)} == {f"r{i}" for i in range(5)}


def test_worker_killed_once_is_retried(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 4)
    flag = tmp_path / "crashed-once"
    with open(src / "doc0002.txt", "a", encoding="utf-8") as fh:
        fh.write(f"!fake-crash-once {flag}\n")
    summary = _run([src], tmp_path / "out", workers=1, shard_size=2)
    assert flag.exists() and summary.complete  # type: ignore[attr-defined]
    assert kit.read_rejects(tmp_path / "out") == []
    assert "doc0002.txt" in {p["doc"] for p in kit.read_pairs(tmp_path / "out")}


def test_output_folder_inside_the_input_folder(tmp_path: Path, kit: SimpleNamespace,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    src = kit.make_folder(tmp_path / "small", 3)
    out = src / "out"
    first = _run([src], out)
    again = _run([src], out)  # resumes: the outputs are not inputs, so the inputs did not change
    assert again.resumed and again.totals == {**first.totals, **{k: again.totals[k] for k in  # type: ignore[attr-defined]
                                                                 ("seconds", "docs_per_s_this_run", "pairs_per_s_this_run",
                                                                  "driver_peak_rss_mb")}}
    third = _run([src], out, overwrite=True)
    assert third.complete and len(kit.read_pairs(out)) == 9  # type: ignore[attr-defined]


def test_two_runs_on_one_folder_are_refused(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 2)
    holder = RunDir(str(tmp_path / "out"))
    holder.lock()
    try:
        with pytest.raises(DuiqiError, match="another duiqi run"):
            _run([src], tmp_path / "out")
    finally:
        holder.unlock()
    assert _run([src], tmp_path / "out").complete  # type: ignore[attr-defined]


def test_corrupt_done_marker_is_redone(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 4)
    _run([src], tmp_path / "out", shard_size=2)
    (tmp_path / "out" / "done" / "part-00001.done").write_text("{not json", encoding="utf-8")
    summary = _run([src], tmp_path / "out", shard_size=2)
    assert summary.complete and len(kit.read_pairs(tmp_path / "out")) == 12  # type: ignore[attr-defined]


def test_stale_cursor_folders_are_removed(tmp_path: Path, kit: SimpleNamespace) -> None:
    dead = 2**22 + 12345  # above the default pid_max: no process has it
    stale = Path(tempfile.gettempdir()) / f"duiqi-cursors-{dead}-abc"
    stale.mkdir(exist_ok=True)
    src = kit.make_folder(tmp_path / "in", 1)
    _run([src], tmp_path / "out", workers=1)
    assert not stale.exists()
    assert not [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(f"duiqi-cursors-{os.getpid()}-")]


def test_run_cli_errors_are_one_line(tmp_path: Path, kit: SimpleNamespace, capsys: pytest.CaptureFixture[str]) -> None:
    src = kit.make_folder(tmp_path / "in", 1)
    afile = tmp_path / "file"
    afile.write_text("x")
    assert main(["run", str(src), "-o", str(afile), "--encoder", "fake"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("duiqi: error") == 1
