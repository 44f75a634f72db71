"""The foundation: records, decoding, signature, atomic output, CLI plumbing."""

from __future__ import annotations

import dataclasses
import os

import pytest

from duiqi.atomic import atomic_write
from duiqi.cli.main import main
from duiqi.errors import InputError
from duiqi.io.decode import decode_bytes, read_text
from duiqi.records import Bead, Document, Pair
from duiqi.signature import settings_hash, signature

ZH = "充分发挥领事机构、国际友城、民间组织等桥梁作用，共建渠道、共享资源。"


def test_records_are_frozen() -> None:
    doc = Document(id="d", text="x", meta={"a": 1})
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        doc.meta["a"] = 2  # type: ignore[index]
    assert Bead((0, 1), (2,)).shape == (2, 1)
    assert not Bead((3,), ()).is_link


def test_pair_round_trips_through_dict() -> None:
    pair = Pair("你好。", "Hello.", "zh", "en", 0.81234567, (0,), (0, 1), "doc1", ("ratio",), 0.9)
    assert Pair.from_dict(pair.to_dict()) == dataclasses.replace(pair, score=0.812346)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_decode_detects_chinese_encodings(encoding: str) -> None:
    text = ZH if encoding != "big5" else "充分發揮領事機構、國際友城、民間組織等橋梁作用，共建渠道。"
    decoded = decode_bytes(text.encode(encoding), "x.txt")
    assert decoded.text == text


def test_decode_utf16_without_bom() -> None:
    text = "Chongqing gave full play to consular agencies. 重庆。"
    assert decode_bytes(text.encode("utf-16-le")).text == text


def test_binary_input_is_an_error_naming_the_file() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(bytes(range(256)) * 40, "photo.jpg")
    assert "photo.jpg" in str(info.value)


def test_missing_file_is_an_error_naming_it(tmp_path: os.PathLike[str]) -> None:
    missing = os.path.join(os.fspath(tmp_path), "nope.txt")
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_text(missing)


def test_signature_is_stable_and_readable() -> None:
    a = signature({"max_align": 4, "encoder": "use-m3", "min_score": 0.5})
    assert a.startswith("duiqi:")
    assert a == signature({"min_score": 0.5, "encoder": "use-m3", "max_align": 4})
    assert "encoder:use-m3" in a and "max_align:4" in a
    assert settings_hash({"a": 1}) != settings_hash({"a": 2})


def test_atomic_write_leaves_no_partial_file(tmp_path: os.PathLike[str]) -> None:
    target = os.path.join(os.fspath(tmp_path), "out.txt")
    with atomic_write(target) as fh:
        fh.write("first")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("second, half-written")
        raise RuntimeError("crash")
    with open(target, encoding="utf-8") as fh:
        assert fh.read() == "first"
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]


def test_cli_without_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["--version"]) == 0  # main returns argparse's exit codes instead of raising SystemExit
    assert "duiqi" in capsys.readouterr().out
