"""Issue 10, clobbering: every output goes through ``duiqi.atomic.atomic_write``.

Devices, FIFOs and ``-`` are written directly; symlinks are written through; sidecars only beside
regular files; no command writes onto one of its inputs; new files follow the umask; unwritable
targets give one-line errors.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from duiqi.atomic import OutputError, atomic_write, is_regular_output, note_input, protect_inputs
from duiqi.cli.main import main
from duiqi.export import write_pairs
from duiqi.records import Pair

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chongqing-foreign-affairs-2022.txt"
PAIRS = [Pair("你好。", "Hello.", "zh", "en", 0.9, (0,), (0,), "d", (), 0.8)]


def test_device_node_is_written_not_replaced(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    assert main(["align", str(EXAMPLE), "--encoder", "fake", "-o", str(node)]) == 0
    assert stat.S_ISCHR(os.stat(node).st_mode)
    assert not (tmp_path / "null.meta.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temp file, no sidecar


def test_dev_null_and_dev_full(capsys: pytest.CaptureFixture[str], one_line_error: Callable[[], str]) -> None:
    assert main(["repair", str(EXAMPLE), "-o", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not os.path.exists("/dev/null.meta.json")
    capsys.readouterr()
    if os.path.exists("/dev/full"):
        assert main(["repair", str(EXAMPLE), "-o", "/dev/full"]) == 2
        assert "/dev/full" in one_line_error()


def test_fifo_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "p.jsonl"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    n = write_pairs(PAIRS, str(fifo))
    reader.join(10)
    assert n == 1 and json.loads(got[0])["src"] == "你好。"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert not (tmp_path / "p.jsonl.meta.json").exists()
    assert not is_regular_output(str(fifo)) and not is_regular_output("-") and is_regular_output(tmp_path / "new")


def test_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real.name)
    write_pairs(PAIRS, str(link))
    assert link.is_symlink() and os.readlink(link) == real.name
    assert json.loads(real.read_text(encoding="utf-8"))["tgt"] == "Hello."
    assert (tmp_path / "link.jsonl.meta.json").is_file()


def test_no_command_writes_onto_its_input(tmp_path: Path, one_line_error: Callable[[], str]) -> None:
    src = tmp_path / "c2.txt"
    src.write_bytes(EXAMPLE.read_bytes())
    before = src.read_bytes()
    assert main(["repair", str(src), "-o", str(src)]) == 2
    assert "inputs" in one_line_error()
    hard = tmp_path / "hard.txt"
    os.link(src, hard)  # another name of the same file: compared by device and inode
    assert main(["repair", str(src), "--explain-to", str(hard)]) == 2
    one_line_error()
    assert main(["split", str(src), "-o", str(hard)]) == 2
    one_line_error()
    pairs = tmp_path / "pairs.jsonl"
    write_pairs(PAIRS, str(pairs))
    assert main(["filter", str(pairs), "-o", str(pairs), "--min-quality", "off"]) == 2
    one_line_error()
    assert src.read_bytes() == before


def test_explain_takes_no_value(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """``repair --explain c2.txt </dev/null``: c2.txt is the input, the edits go to stderr."""
    src = tmp_path / "c2.txt"
    src.write_bytes(EXAMPLE.read_bytes())
    before = src.read_bytes()
    assert main(["repair", "--explain", str(src)]) == 0
    out = capsys.readouterr()
    assert src.read_bytes() == before
    assert out.err.startswith("# duiqi repair") and "发挥" in out.out


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        with atomic_write(tmp_path / "a.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "a.txt").st_mode) == 0o640
    os.chmod(tmp_path / "a.txt", 0o604)
    with atomic_write(tmp_path / "a.txt") as fh:  # a replaced file keeps its permissions
        fh.write("y")
    assert stat.S_IMODE(os.stat(tmp_path / "a.txt").st_mode) == 0o604


def test_unwritable_outputs_are_one_line_errors(tmp_path: Path, one_line_error: Callable[[], str]) -> None:
    assert main(["repair", str(EXAMPLE), "-o", str(tmp_path)]) == 2
    assert "folder" in one_line_error()
    afile = tmp_path / "f"
    afile.write_text("x")
    assert main(["repair", str(EXAMPLE), "-o", str(afile / "x.txt")]) == 2
    one_line_error()
    assert main(["align", str(EXAMPLE), "--encoder", "fake", "-o", str(tmp_path / "o.jsonl"),
                 "--report", str(afile / "r.html")]) == 2
    one_line_error()
    if os.geteuid() != 0:  # root writes into read-only folders
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        assert main(["repair", str(EXAMPLE), "-o", str(ro / "x.txt")]) == 2
        one_line_error()
        assert main(["run", str(EXAMPLE), "-o", str(ro / "out"), "--encoder", "fake"]) == 2
        one_line_error()
    leftovers = [p.name for p in tmp_path.rglob("*.tmp")]
    assert leftovers == []


def test_protect_inputs_is_scoped(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("a")
    note_input(f)  # outside protect_inputs: nothing recorded
    with atomic_write(f) as fh:
        fh.write("b")
    with protect_inputs():
        note_input(f)
        with pytest.raises(OutputError, match="inputs"), atomic_write(f) as fh:
            fh.write("c")
    assert f.read_text() == "b"


def test_lone_surrogates_are_written_escaped(tmp_path: Path) -> None:
    pair = Pair("你好。", "Hello.", "zh", "en", 0.9, doc="\udc00x\udcc4")
    for name in ("p.jsonl", "p.tsv", "p.tmx"):
        write_pairs([pair], str(tmp_path / name))
    assert json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8"))["doc"] == "\udc00x\udcc4"
    import xml.dom.minidom

    xml.dom.minidom.parse(str(tmp_path / "p.tmx"))


def test_full_disk_is_one_line_and_the_run_resumes_once_space_is_freed(
    tmp_path: Path, one_line_error: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import duiqi.atomic as atomic

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"d{i}.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    real_fsync = os.fsync
    calls = {"n": 0}

    def full(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > 4:  # the disk fills up in the middle of the run
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", full)
    argv = ["run", str(corpus), "-o", str(tmp_path / "out"), "--encoder", "fake", "--shard-size", "1",
            "--workers", "1"]
    assert main(argv) == 2
    assert "No space left" in one_line_error()
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    assert main(argv) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete" and manifest["totals"]["docs"] == 3
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_unwritable_folder_is_one_line_even_for_root(tmp_path: Path, one_line_error: Callable[[], str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import duiqi.atomic as atomic

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    for argv in (["repair", str(EXAMPLE), "-o", str(tmp_path / "x.txt")],
                 ["align", str(EXAMPLE), "--encoder", "fake", "-o", str(tmp_path / "x.tmx")],
                 ["align", str(EXAMPLE), "--encoder", "fake", "--report", str(tmp_path / "r.json")]):
        assert main(argv) == 2
        assert "Permission denied" in one_line_error()


@pytest.mark.parametrize("argv", [
    ["run", "in", "-o", "out", "--max-doc-bytes", "-1"],
    ["align", "x.txt", "--deletion", "nan"],
    ["filter", "p.jsonl", "--min-quality", "nan"],
    ["run", "in", "-o", "out", "--doc-timeout", "-5"],
    ["align", "x.txt", "--min-similarity", "inf"],
])
def test_negative_and_non_finite_options_are_refused(argv: list[str], one_line_error: Callable[[], str]) -> None:
    assert main(argv) == 2
    assert argv[-2] in one_line_error()
