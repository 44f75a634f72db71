"""``kill -9`` a running ``duiqi run`` midway, run it again: the output equals an uninterrupted run."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from duiqi.run import LocalEngine, RunConfig, run_corpus
from duiqi.run.fake import FakeFactory

psutil = pytest.importorskip("psutil")

DELAY = 0.02  # seconds per document, so the run lasts a few seconds


def _cmd(src: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "duiqi", "run", str(src), "-o", str(out), "--processor", "fake",
            "--fake-delay", str(DELAY), "--workers", "2", "--shard-size", "5", "-q"]


def test_sigkill_midway_then_resume_equals_an_uninterrupted_run(tmp_path: Path, kit: SimpleNamespace) -> None:
    src = kit.make_folder(tmp_path / "in", 200, {13: "raise"})
    out = tmp_path / "out"
    proc = subprocess.Popen(_cmd(src, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        done = 0
        while time.monotonic() < deadline and proc.poll() is None:
            done = len(os.listdir(out / "done")) if (out / "done").exists() else 0
            if done >= 6:
                break
            time.sleep(0.01)
        assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read()!r}"  # type: ignore[union-attr]
        children = psutil.Process(proc.pid).children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)  # the driver only, as `kill -9 PID` would
        proc.wait(10)
        # Its workers notice and exit by themselves (they are not its children but the forkserver's).
        _, alive = psutil.wait_procs(children, timeout=15)
        assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], "orphaned workers still running"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # workers orphaned by the kill, if any
    killed_at = len(os.listdir(out / "done"))
    assert 6 <= killed_at < 40, killed_at
    resumed = subprocess.run(_cmd(src, out), capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert len(os.listdir(out / "done")) == 40

    reference = tmp_path / "ref"
    run_corpus(RunConfig(inputs=(str(src),), shard_size=5), str(reference), FakeFactory(), LocalEngine(0))
    got, want = kit.read_pairs(out), kit.read_pairs(reference)
    assert got == want  # same pairs, same order: none missing, none twice
    assert len(want) == 199 * 3
    assert kit.read_rejects(out) == kit.read_rejects(reference)
    assert (out / "manifest.json").read_text(encoding="utf-8").count('"status": "complete"') == 1
