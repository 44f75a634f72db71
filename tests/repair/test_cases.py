"""Golden cases (tests/data/repair/cases.json, ftfy style): expected outputs and false positives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from duiqi.repair import apply_plan, repair

DATA = json.loads((Path(__file__).parents[1] / "data" / "repair" / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])
def test_case(case: dict[str, Any]) -> None:
    result = repair(case["input"], **case.get("options", {}))
    assert result.text == case["expected"]
    assert [f.kind for f in result.flags] == case.get("flags", [])
    assert apply_plan(case["input"], result.plan) == result.text
    for f in result.flags:
        assert 0 <= f.start <= f.end <= len(result.text)


@pytest.mark.parametrize("case", DATA["untouched"], ids=[c["name"] for c in DATA["untouched"]])
def test_false_positive_untouched(case: dict[str, Any]) -> None:
    result = repair(case["input"])
    assert result.text == case["input"]
    assert not result.edits
