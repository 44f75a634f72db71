"""The Ray engine (a local Ray instance) gives the same pairs and rejects as the local engine."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from duiqi.run import Limits, LocalEngine, RunConfig, run_corpus
from duiqi.run.fake import FakeFactory


def test_missing_ray_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from duiqi.errors import MissingDependencyError
    from duiqi.run.ray_engine import _import_ray

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(MissingDependencyError, match=r"duiqi\[ray\]"):
        _import_ray()


@pytest.mark.slow
def test_ray_and_local_engines_give_identical_outputs(tmp_path: Path, kit: SimpleNamespace) -> None:
    ray = pytest.importorskip("ray")
    from duiqi.run.ray_engine import RayEngine

    src = kit.make_folder(tmp_path / "in", 60, {7: "binary", 21: "raise", 33: "hang", 45: "crash"})
    # 5 s: the hanging document sleeps for an hour; 1 s also timed out sound documents under load.
    config = RunConfig(inputs=(str(src),), shard_size=8, limits=Limits(doc_timeout=5.0))
    local = run_corpus(config, str(tmp_path / "local"), FakeFactory(), LocalEngine(2))
    assert local.complete
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        ray_run = run_corpus(config, str(tmp_path / "ray"), FakeFactory(), RayEngine(workers=2))
        assert ray_run.complete
        assert kit.read_pairs(tmp_path / "ray") == kit.read_pairs(tmp_path / "local")
        rejects = kit.read_rejects(tmp_path / "ray")
        assert rejects == kit.read_rejects(tmp_path / "local")
        assert [r["reason"] for r in rejects] == ["bad-document", "error", "timeout", "worker-crash"]
        # A local run interrupted after some shards is finished by the Ray engine.
        shutil.copytree(tmp_path / "local", tmp_path / "mixed")
        for name in ("part-00002", "part-00005", "part-00007"):
            (tmp_path / "mixed" / "done" / f"{name}.done").unlink()
            (tmp_path / "mixed" / "pairs" / f"{name}.jsonl").unlink()
        resumed = run_corpus(config, str(tmp_path / "mixed"), FakeFactory(), RayEngine(workers=2))
        assert resumed.resumed and resumed.complete
        assert kit.read_pairs(tmp_path / "mixed") == kit.read_pairs(tmp_path / "local")
    finally:
        ray.shutdown()
