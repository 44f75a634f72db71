"""Input expansion and deterministic sharding."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duiqi.errors import InputError
from duiqi.run.inputs import expand_inputs, inputs_digest
from duiqi.run.shards import count_plan, iter_items, plan_shards


def test_folders_are_walked_in_sorted_order_and_hidden_files_skipped(tmp_path: Path) -> None:
    for rel in ["b/2.txt", "a/1.txt", "c.txt", ".hidden.txt", "a/.git/x.txt", "recs.jsonl"]:
        p = tmp_path / "in" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    sources = expand_inputs([str(tmp_path / "in")])
    assert [s.name for s in sources] == ["a/1.txt", "b/2.txt", "c.txt", "recs.jsonl"]
    assert [s.kind for s in sources] == ["file", "file", "file", "jsonl"]


def test_globs_are_sorted_and_duplicates_dropped(tmp_path: Path) -> None:
    for name in ["z.txt", "a.txt", "m.txt"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    sources = expand_inputs([str(tmp_path / "*.txt"), str(tmp_path / "a.txt")])
    assert [Path(s.path).name for s in sources] == ["a.txt", "m.txt", "z.txt"]


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([str(tmp_path / "nope")])


def test_pair_dirs_match_by_name_and_keep_unpaired(tmp_path: Path) -> None:
    for side, names in (("zh", ["a.txt", "b.txt", "only-zh.txt"]), ("en", ["a.txt", "b.txt", "only-en.txt"])):
        (tmp_path / side).mkdir()
        for n in names:
            (tmp_path / side / n).write_text(n, encoding="utf-8")
    sources = expand_inputs([], [(str(tmp_path / "zh"), str(tmp_path / "en"))])
    assert [(s.kind, s.name) for s in sources] == [
        ("pair", "a.txt"), ("pair", "b.txt"), ("unpaired", "only-en.txt"), ("unpaired", "only-zh.txt")
    ]


def test_digest_changes_when_an_input_changes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    before = inputs_digest(expand_inputs([str(tmp_path)]))
    (tmp_path / "b.txt").write_text("y", encoding="utf-8")
    assert inputs_digest(expand_inputs([str(tmp_path)])) != before


def test_shards_cut_across_files_and_records(tmp_path: Path, kit: SimpleNamespace) -> None:
    kit.make_folder(tmp_path / "in", 5)
    kit.make_jsonl(tmp_path / "in" / "z.jsonl", 12, blank_every=4)
    sources = expand_inputs([str(tmp_path / "in")])
    specs = list(plan_shards(sources, 4))
    assert [s.n_docs for s in specs] == [4, 4, 4, 4, 1]
    assert count_plan(sources, 4) == (5, 17)
    ids = [it.doc_id for spec in specs for it in iter_items(spec)]
    assert ids == [f"doc{i:04d}.txt" for i in range(5)] + [f"rec{i}" for i in range(12)]
    assert list(plan_shards(sources, 4)) == specs  # deterministic


def test_bad_records_become_items_with_errors(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "text": "好"}\nnot json\n{"id": "c"}\n[1]\n', encoding="utf-8")
    (spec,) = plan_shards(expand_inputs([str(path)]), 10)
    items = list(iter_items(spec))
    assert [i.doc_id for i in items] == ["a", f"{path}:2", "c", f"{path}:4"]  # default id: path:line
    assert [i.error is None for i in items] == [True, False, False, False]
    assert "bad JSON" in (items[1].error or "") and "'text'" in (items[2].error or "")


def test_parquet_row_ranges(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"doc_id": [f"p{i}" for i in range(23)], "body": [f"文{i}\ntext {i}" for i in range(23)]})
    pq.write_table(table, tmp_path / "t.parquet", row_group_size=5)
    specs = list(plan_shards(expand_inputs([str(tmp_path / "t.parquet")]), 7))
    items = [it for s in specs for it in iter_items(s, text_field="body", id_field="doc_id")]
    assert [it.doc_id for it in items] == [f"p{i}" for i in range(23)]
    assert items[22].text == "文22\ntext 22"


@settings(max_examples=30, deadline=None)
@given(
    lines=st.lists(st.one_of(st.just(""), st.integers(0, 999).map(str)), max_size=30),
    size=st.integers(1, 9),
)
def test_every_record_lands_in_exactly_one_shard(tmp_path_factory: pytest.TempPathFactory,
                                                 lines: list[str], size: int) -> None:
    d = tmp_path_factory.mktemp("prop")
    path = d / "r.jsonl"
    body = "".join(
        (json.dumps({"id": f"x{k}", "text": v}) if v else "  ") + "\n" for k, v in enumerate(lines)
    )
    path.write_text(body, encoding="utf-8")
    sources = expand_inputs([str(path)])
    specs = list(plan_shards(sources, size))
    got = [it.doc_id for s in specs for it in iter_items(s)]
    assert got == [f"x{k}" for k, v in enumerate(lines) if v]
    assert all(s.n_docs == size for s in specs[:-1])
    assert [s.index for s in specs] == list(range(len(specs)))
