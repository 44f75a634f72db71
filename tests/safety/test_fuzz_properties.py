"""Issue 10: random bytes and random JSON to every reader -- accepted, or refused with a one-line
DuiqiError, never any other exception (harness: :mod:`duiqi.fuzz`)."""

from __future__ import annotations

import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duiqi.fuzz import feed_bytes, feed_record

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)

# Byte strings that look like what readers sniff for, so the cases reach past the first check.
PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"%PDF-1.4\n",
                            b"<html><body><p>", b'{"text": "', b"[0]:[", "中文".encode("gb18030")])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=PREFIXES, body=st.binary(max_size=300))
def test_random_bytes_never_crash_a_reader(prefix: bytes, body: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert feed_bytes(prefix + body, folder) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON)
def test_random_json_never_crashes_a_reader(value: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert feed_record(value, folder) == []


def test_known_hostile_cases() -> None:
    cases = [b"[" * 5000, b'{"text": "x", "id": "\\udc00"}\n', b'{"text": ' + b"[" * 5000 + b"}",
             "中文".encode("utf-16-le") * 50, b"a." * 5000, b"\x00" * 100, b'{"src":"a","tgt":"b","score":NaN}\n']
    with tempfile.TemporaryDirectory() as folder:
        for data in cases:
            assert feed_bytes(data, folder) == []
