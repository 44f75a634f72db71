"""Small generated corpora for the corpus-run tests (nothing read from /work/shared)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

ZH = ["今天天气很好。", "我们去公园散步。", "他在图书馆看书。", "会议明天上午九点开始。", "这个城市有很多桥。"]
EN = [
    "The weather is fine today.",
    "We go for a walk in the park.",
    "He reads in the library.",
    "The meeting starts at nine tomorrow morning.",
    "This city has many bridges.",
]


def _tag(i: int) -> str:
    """The document number spelled with letters: pairs of different documents must differ by more than
    digits, or the run's near-duplicate removal (digits folded) would rightly merge them."""
    return "".join("abcdefghij"[int(d)] for d in str(i))


def doc_text(i: int, lines: int = 3) -> str:
    out = []
    for k in range(lines):
        j = (i + k) % len(ZH)
        out.append(f"{ZH[j]}第{_tag(i)}号")
        out.append(f"{EN[j]} No. {_tag(i)}")
    return "\n".join(out) + "\n"


def make_folder(root: Path, n: int, broken: dict[int, str] | None = None) -> Path:
    """``n`` small bilingual text files; ``broken`` maps an index to ``binary``/``raise``/``hang``/``crash``/``huge``."""
    root.mkdir(parents=True, exist_ok=True)
    broken = broken or {}
    for i in range(n):
        path = root / f"doc{i:04d}.txt"
        kind = broken.get(i)
        if kind == "binary":
            path.write_bytes(bytes(range(256)) * 8)
        elif kind == "undecodable":
            path.write_bytes(b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 64)
        elif kind == "huge":
            path.write_text(doc_text(i) * 2000, encoding="utf-8")
        elif kind in ("raise", "hang", "crash"):
            path.write_text(doc_text(i) + f"!fake-{kind}\n", encoding="utf-8")
        else:
            path.write_text(doc_text(i), encoding="utf-8")
    return root


def make_jsonl(path: Path, n: int, blank_every: int = 0) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"rec{i}", "text": doc_text(i)}, ensure_ascii=False) + "\n")
            if blank_every and i % blank_every == 0:
                fh.write("\n")
    return path


def read_pairs(outdir: str | os.PathLike[str]) -> list[dict]:
    """All pairs of a run, in shard order (a list, so duplicates show)."""
    out: list[dict] = []
    pairs_dir = Path(outdir) / "pairs"
    for name in sorted(os.listdir(pairs_dir)):
        if name.endswith(".jsonl"):
            with open(pairs_dir / name, encoding="utf-8") as fh:
                out.extend(json.loads(line) for line in fh)
        elif name.endswith(".parquet"):
            import pyarrow.parquet as pq

            out.extend(pq.read_table(pairs_dir / name).to_pylist())
    return out


def read_rejects(outdir: str | os.PathLike[str]) -> list[dict]:
    out: list[dict] = []
    d = Path(outdir) / "rejects"
    for name in sorted(os.listdir(d)):
        with open(d / name, encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh)
    return out


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers above (test modules cannot import conftest under ``--import-mode=importlib``)."""
    return SimpleNamespace(
        doc_text=doc_text, make_folder=make_folder, make_jsonl=make_jsonl,
        read_pairs=read_pairs, read_rejects=read_rejects,
    )
