"""Shared by the safety tests: the one-line error a command printed."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def one_line_error(capsys: pytest.CaptureFixture[str]) -> Callable[[], str]:
    """A function returning the one ``duiqi: error`` line on stderr so far (asserting there is exactly
    one, and no traceback)."""

    def read() -> str:
        err = capsys.readouterr().err
        assert "Traceback" not in err
        lines = [ln for ln in err.splitlines() if ln.startswith("duiqi: error")]
        assert len(lines) == 1, err
        return lines[0]

    return read
