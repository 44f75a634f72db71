"""One schema for every output format, derived from the :class:`duiqi.records.Pair` dataclass.

JSONL writes :meth:`Pair.to_dict`; TSV (full columns) and Parquet take their columns from
:func:`pair_columns`, so a field added to ``Pair`` appears in every format (and none is dropped).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from duiqi.records import Pair

Kind = Literal["str", "float", "optional-float", "int-list", "str-list"]

#: The annotation strings of ``Pair``'s fields (``from __future__ import annotations``) -> column kind.
_KINDS: dict[str, Kind] = {
    "str": "str",
    "Lang": "str",
    "float": "float",
    "float | None": "optional-float",
    "tuple[int, ...]": "int-list",
    "tuple[str, ...]": "str-list",
}


def pair_columns() -> tuple[tuple[str, Kind], ...]:
    """``(name, kind)`` of every ``Pair`` field, in declaration order."""
    out = []
    for f in dataclasses.fields(Pair):
        annotation = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        kind = _KINDS.get(annotation)
        if kind is None:  # a new field of a type no format knows yet: fail loudly in the tests
            raise TypeError(f"Pair.{f.name}: no column type for annotation {annotation!r}")
        out.append((f.name, kind))
    return tuple(out)


def arrow_schema(metadata: dict[bytes, bytes] | None = None) -> Any:
    """The Parquet/Arrow schema of pairs (pyarrow imported here, lazily)."""
    import pyarrow as pa

    types = {
        "str": pa.string(),
        "float": pa.float64(),
        "optional-float": pa.float64(),
        "int-list": pa.list_(pa.int32()),
        "str-list": pa.list_(pa.string()),
    }
    return pa.schema([(name, types[kind]) for name, kind in pair_columns()], metadata=metadata)


def pair_row(pair: Pair) -> dict[str, Any]:
    """Every field of ``pair`` (``None`` for unset optional ones), lists for tuples."""
    row = pair.to_dict()
    return {name: row.get(name) for name, _ in pair_columns()}


def tsv_cells(pair: Pair, escape: Any) -> list[str]:
    """The full TSV row of ``pair``: every column of :func:`pair_columns` (texts through ``escape``)."""
    row = pair_row(pair)
    cells = []
    for name, kind in pair_columns():
        v = row[name]
        if kind == "str":
            cells.append(escape(v or ""))
        elif kind in ("float", "optional-float"):
            cells.append("" if v is None else f"{v:.4f}" if name in ("score", "quality") else f"{v:.6g}")
        elif kind == "int-list":
            cells.append(",".join(str(i) for i in v))
        else:
            cells.append(",".join(escape(s) for s in v))
    return cells


def from_tsv_row(cells: dict[str, str], unescape: Any, src_lang: str, tgt_lang: str) -> Pair:
    """A ``Pair`` from a TSV row keyed by column name (missing columns take their defaults)."""
    d: dict[str, Any] = {"src_lang": src_lang, "tgt_lang": tgt_lang}
    for name, kind in pair_columns():
        if name not in cells:
            continue
        v = cells[name]
        if kind == "str":
            d[name] = unescape(v)
        elif kind == "float":
            d[name] = float(v) if v else 0.0
        elif kind == "optional-float":
            d[name] = float(v) if v else None
        elif kind == "int-list":
            d[name] = [int(i) for i in v.split(",") if i]
        else:
            d[name] = [unescape(s) for s in v.split(",") if s]
    return Pair.from_dict(d)
