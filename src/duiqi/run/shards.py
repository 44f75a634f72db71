"""Deterministic sharding: the ordered sources are cut into shards of ``shard_size`` documents.

A shard is a small, picklable description (paths, byte ranges of JSONL files, row ranges of Parquet
files), never the documents themselves: workers read their own documents, so the driver's memory does
not grow with the corpus. Shard ``k`` holds documents ``k*shard_size .. (k+1)*shard_size - 1`` of the
input order, so the same inputs and shard size always give the same shards (what resuming relies on).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from duiqi.errors import ConfigError, DuiqiError, InputError, MissingDependencyError
from duiqi.io.decode import decode_bytes
from duiqi.io.lines import decode_line, loads_record, wide_encoding
from duiqi.io.text import clean_id, clean_surrogates
from duiqi.run.inputs import Source


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of consecutive documents of one source inside a shard.

    For JSONL ``start``/``end`` are byte offsets and ``first`` the 1-based line number at ``start``;
    for Parquet they are row numbers (``first`` = ``start``); for the other kinds one document.
    """

    source: Source
    start: int = 0
    end: int = 0
    first: int = 0
    count: int = 1
    encoding: str | None = None
    """JSONL in UTF-16/32 (their newlines are not the byte ``\\n``): ``start``/``end`` are then line
    indices into the decoded file instead of byte offsets."""


@dataclass(frozen=True, slots=True)
class ShardSpec:
    index: int
    segments: tuple[Segment, ...]

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"

    @property
    def n_docs(self) -> int:
        return sum(s.count for s in self.segments)


def _wide(path: str) -> str | None:
    """The UTF-16/32 codec of a JSONL file, else ``None`` (byte-offset sharding works)."""
    with open(path, "rb") as fh:
        return wide_encoding(fh.read(4096))


def _wide_lines(path: str, encoding: str) -> list[str]:
    with open(path, "rb") as fh:
        return decode_bytes(fh.read(), source=path, encoding=None).text.split("\n")


def _jsonl_runs(source: Source, encoding: str | None) -> Iterator[tuple[int, int, int]]:
    """(start, end, line number) of every non-blank line, streaming: byte offsets, or line indices
    for a UTF-16/32 file (``encoding``)."""
    if encoding is not None:
        for k, text in enumerate(_wide_lines(source.path, encoding)):
            if text.strip():
                yield k, k + 1, k + 1
        return
    offset = 0
    with open(source.path, "rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            end = offset + len(line)
            if line.strip():
                yield offset, end, lineno
            offset = end


def _parquet_rows(source: Source) -> int:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("Parquet input", "pip install 'duiqi[parquet]'") from None
    try:
        return int(pq.ParquetFile(source.path).metadata.num_rows)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise InputError(source.path, f"not a readable Parquet file ({exc})") from None


class _Builder:
    def __init__(self, shard_size: int) -> None:
        self.size = shard_size
        self.index = 0
        self.segments: list[Segment] = []
        self.n = 0

    def add(self, seg: Segment) -> ShardSpec | None:
        self.segments.append(seg)
        self.n += seg.count
        if self.n >= self.size:
            return self.flush()
        return None

    def flush(self) -> ShardSpec | None:
        if not self.segments:
            return None
        spec = ShardSpec(self.index, tuple(self.segments))
        self.index += 1
        self.segments = []
        self.n = 0
        return spec

    @property
    def room(self) -> int:
        return self.size - self.n


def plan_shards(sources: Sequence[Source], shard_size: int) -> Iterator[ShardSpec]:
    """Shards of ``shard_size`` documents (the last may be smaller), lazily, in order."""
    if shard_size < 1:
        raise ConfigError(f"shard_size must be at least 1, not {shard_size}")
    b = _Builder(shard_size)
    for source in sources:
        if source.kind == "jsonl":
            try:
                wide = _wide(source.path)
            except OSError as exc:  # gone or unreadable since the inputs were listed: one reject
                spec = b.add(Segment(Source("unreadable", source.path, source.name,
                                            problem=f"cannot be read: {exc.strerror or exc}")))
                if spec:
                    yield spec
                continue
            run_start = run_end = run_first = -1
            count = 0
            for start, end, lineno in _jsonl_runs(source, wide):
                if count == 0:
                    run_start, run_first = start, lineno
                run_end = end
                count += 1
                if count == b.room:
                    spec = b.add(Segment(source, run_start, run_end, run_first, count, wide))
                    count = 0
                    if spec:
                        yield spec
            if count:
                spec = b.add(Segment(source, run_start, run_end, run_first, count, wide))
                if spec:
                    yield spec
        elif source.kind == "parquet":
            rows = _parquet_rows(source)
            row = 0
            while row < rows:
                take = min(b.room, rows - row)
                spec = b.add(Segment(source, row, row + take, row, take))
                row += take
                if spec:
                    yield spec
        else:
            spec = b.add(Segment(source))
            if spec:
                yield spec
    last = b.flush()
    if last:
        yield last


def count_plan(sources: Sequence[Source], shard_size: int) -> tuple[int, int]:
    """(shards, documents) of the plan, streaming (nothing is kept)."""
    shards = docs = 0
    for spec in plan_shards(sources, shard_size):
        shards += 1
        docs += spec.n_docs
    return shards, docs


# --- reading a shard's documents (worker side) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """One document of a shard, not read yet (files) or with its record (JSONL/Parquet).

    ``error`` is set when the record itself is unusable (bad JSON, no text field).
    """

    position: int
    doc_id: str
    source: str
    kind: str
    path: str | None = None
    tgt_path: str | None = None
    text: str | None = None
    error: str | None = None


def _record_item(
    pos: int, source: Source, where: str, record: Any, text_field: str, id_field: str | None
) -> Item:
    label = f"{source.path}:{where}"
    default_id = f"{source.name}:{where}"
    if not isinstance(record, dict):
        return Item(pos, default_id, label, "record", error="record is not a JSON object")
    doc_id = default_id
    if id_field and record.get(id_field) is not None:
        doc_id = clean_id(str(record[id_field]))[:1000]
    text = record.get(text_field)
    if not isinstance(text, str):
        fields = ", ".join(sorted(map(str, record))) or "none"
        what = "is not a string" if text_field in record else "is missing"
        return Item(pos, doc_id, label, "record",
                    error=f"the text field {text_field!r} {what}; the record has fields: {fields} "
                          "(choose one with --text-field)")
    return Item(pos, doc_id, label, "record", text=clean_surrogates(text))


def _jsonl_items(
    seg: Segment, pos: int, text_field: str, id_field: str | None
) -> Iterator[Item]:
    """The records of a JSONL segment. Each line is decoded on its own (UTF-8, else detected: GB18030,
    Big5, ...); a bad line -- not JSON, nested too deeply, undecodable -- is one bad record."""
    lines: list[str | bytes]
    if seg.encoding is not None:
        lines = list(_wide_lines(seg.source.path, seg.encoding)[seg.start:seg.end])
    else:
        with open(seg.source.path, "rb") as fh:
            fh.seek(seg.start)
            lines = list(fh.read(seg.end - seg.start).split(b"\n"))
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        where = str(seg.first + k)
        try:
            if isinstance(line, bytes):
                line = decode_line(line.rstrip(b"\r"), f"{seg.source.path}:{where}")[0]
            record = loads_record(line)
        except (ValueError, DuiqiError) as exc:
            label = f"{seg.source.path}:{where}"
            yield Item(pos, f"{seg.source.name}:{where}", label, "record", error=f"bad JSON line ({exc})")
        else:
            yield _record_item(pos, seg.source, where, record, text_field, id_field)
        pos += 1


def _parquet_items(
    seg: Segment, pos: int, text_field: str, id_field: str | None
) -> Iterator[Item]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(seg.source.path)
    names = set(pf.schema_arrow.names)
    if text_field not in names:
        for row in range(seg.start, seg.end):
            yield Item(pos, f"{seg.source.name}:{row}", f"{seg.source.path}:{row}", "record",
                       error=f"no column {text_field!r} in the Parquet file; its columns: "
                             f"{', '.join(sorted(names))} (choose one with --text-field)")
            pos += 1
        return
    columns = [text_field] + ([id_field] if id_field and id_field in names else [])
    row0 = 0
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        lo, hi = max(seg.start, row0), min(seg.end, row0 + n)
        if lo < hi:
            table = pf.read_row_group(g, columns=columns).slice(lo - row0, hi - lo)
            for k, record in enumerate(table.to_pylist()):
                yield _record_item(pos, seg.source, str(lo + k), record, text_field, id_field)
                pos += 1
        row0 += n
        if row0 >= seg.end:
            break


def iter_items(spec: ShardSpec, text_field: str = "text", id_field: str | None = "id") -> Iterator[Item]:
    """The documents of a shard in order; ``position`` is the index inside the shard."""
    pos = 0
    for seg in spec.segments:
        src = seg.source
        if src.kind == "jsonl":
            yield from _jsonl_items(seg, pos, text_field, id_field)
        elif src.kind == "parquet":
            yield from _parquet_items(seg, pos, text_field, id_field)
        elif src.kind == "pair":
            yield Item(pos, src.name, f"{src.path} + {src.tgt_path}", "pair", path=src.path, tgt_path=src.tgt_path)
        elif src.kind == "unpaired":
            yield Item(pos, src.name, src.path, "file", error="no file of the same name in the other folder")
        elif src.kind == "unreadable":
            yield Item(pos, src.name, src.path, "unreadable", error=src.problem or "cannot be read")
        else:
            yield Item(pos, src.name, src.path, "file", path=src.path)
        pos += seg.count


def file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
