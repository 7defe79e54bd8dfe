"""Stream a CSV file as Arrow batches of text columns, each record tagged with its start line.

pyarrow's streaming reader parses; we count. Every record is either a row of a batch or a bad
record (wrong number of fields, unclosed quote) handed back with its line and verbatim text, so
ingest can check rows read = rows loaded + rows quarantined with a count of its own. Records whose
every field is empty or white space (blank lines, `,,,`, ` , , `) hold no data: they are counted
apart as blank.
Line numbers are physical lines (1 = the header): a record starts one line after the previous
record plus the line breaks inside its quoted values.
"""

from __future__ import annotations

import csv
import functools
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from publicsafety.errors import InputError
from publicsafety.ingest.textstream import (
    FileText,
    Utf8Stream,
    is_plain_utf8,
    open_text,
    replaced_bytes,
)
from publicsafety.ingest.threads import prefetch
from publicsafety.profiles import ReadOptions

BLOCK = 1 << 24


@dataclass
class BadRecord:
    line: int
    text: str
    reason: str
    column: str | None = None
    value: str | None = None


@dataclass
class Batch:
    """Rows of one block: columns c0..cN as text plus `__rec` (record number) and `__line`."""

    table: pa.Table
    bad: list[BadRecord] = field(default_factory=list)
    blank: int = 0


class NotUtf8Error(Exception):
    """Arrow could not read a plain UTF-8 file natively (stray bytes in a malformed row): read it
    again through the decoding stream."""


@dataclass
class Header:
    names: list[str]  # disambiguated: Name, Name_2
    duplicates: list[str]  # header names that occurred more than once
    lines: int  # physical lines up to and including the header


def unique_names(raw: list[str]) -> tuple[list[str], list[str]]:
    """Trimmed header names with repeats renamed `Name_2`, `Name_3`; and the repeated names."""
    names: list[str] = []
    dups: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(raw):
        base = name.replace("\ufeff", "").strip() or f"column_{i + 1}"
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}_{n}"
        if n > 1 and base not in dups:
            dups.append(base)
        seen.add(candidate)
        names.append(candidate)
    return names, dups


def _read_header(reader: object, opts: ReadOptions) -> tuple[Header | None, int]:
    """Skip `skip_lines` lines and parse the header record (which may span quoted line breaks)."""
    readline = reader.readline  # type: ignore[attr-defined]
    lines = replaced = 0
    for _ in range(opts.skip_lines):
        line = readline()
        if not line:
            return None, replaced
        replaced += replaced_bytes(line)
        lines += 1
    text = ""
    while True:
        line = readline()
        if not line:
            break
        lines += 1
        replaced += replaced_bytes(line)
        text += line.decode("utf-8", errors="replace")
        if text.count(opts.quote) % 2 == 0:
            break
    if not text.strip("\r\n"):
        return None, replaced
    row = next(csv.reader([text.rstrip("\r\n")], delimiter=opts.delimiter, quotechar=opts.quote))
    names, dups = unique_names(row)
    return Header(names, dups, lines), replaced


def _text(col: pa.ChunkedArray) -> tuple[pa.ChunkedArray, int]:
    """A binary column as text; values that are not valid UTF-8 get U+FFFD for each stray
    byte (as the decoding stream would give), and how many bytes were replaced."""
    try:
        return col.cast(pa.string()), 0
    except pa.ArrowInvalid:
        values = col.to_pylist()
        replaced = sum(replaced_bytes(v) for v in values)
        return pa.chunked_array([[v.decode("utf-8", errors="replace") for v in values]]), replaced


def _breaks(arr: pa.Array) -> np.ndarray | None:
    """Line breaks inside each value (\\n, \\r\\n or a lone \\r), or None when there are none."""
    data = arr.buffers()[2]
    if data is None:
        return None
    mv = memoryview(data)
    raw = mv.tobytes() if len(mv) < 1 << 16 else bytes(mv)
    if b"\n" not in raw and b"\r" not in raw:
        return None
    n = pc.count_substring(arr, "\n").to_numpy(zero_copy_only=False)
    r = pc.count_substring(arr, "\r").to_numpy(zero_copy_only=False)
    rn = pc.count_substring(arr, "\r\n").to_numpy(zero_copy_only=False)
    return np.asarray(n + r - rn, dtype=np.int64)


def text_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


class CsvReader:
    """Iterate a CSV file as `Batch`es; `header` is None for an empty file."""

    def __init__(self, path: Path, opts: ReadOptions, native: bool = True) -> None:
        self.path = path
        self.opts = opts
        self.source: FileText | Utf8Stream
        # A plain UTF-8 file is read by Arrow itself; others through the decoding stream.
        self.native = native and is_plain_utf8(path, opts.encoding)
        if self.native:
            self.source = FileText(path)
            self.reader: Any = self.source.file
        else:
            self.source, self.reader = open_text(path, opts.encoding)
        self.header, self.header_replaced = _read_header(self.reader, opts)

    @property
    def position(self) -> int:
        return self.source.position

    @property
    def replaced(self) -> int:
        return self.source.replaced + self.header_replaced

    def close(self) -> None:
        self.reader.close()
        self.source.close()

    def batches(self, on_progress: Callable[[], None] | None = None) -> Iterator[Batch]:
        if self.header is None or not self.reader.peek(1):
            return
        ncols = len(self.header.names)
        names = [f"c{i}" for i in range(ncols)]
        invalid: list[tuple[int, str, int]] = []  # (record number, text, fields)

        def on_invalid(row: pacsv.InvalidRow) -> str:
            invalid.append((row.number, row.text, row.actual_columns))
            return "skip"

        if isinstance(self.source, FileText):
            # Binary columns: Arrow does not check UTF-8, `_text` does (and mends) per batch.
            source, kind = self.source.arrow_file(self.reader.tell()), pa.binary()
        else:
            source, kind = pa.PythonFile(self.reader, mode="r"), pa.string()
        opener = functools.partial(
            pacsv.open_csv,
            source,
            read_options=pacsv.ReadOptions(use_threads=False, column_names=names, block_size=BLOCK),
            parse_options=pacsv.ParseOptions(
                delimiter=self.opts.delimiter,
                quote_char=self.opts.quote,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: kind for n in names},
                strings_can_be_null=False,
                null_values=[],
                quoted_strings_can_be_null=False,
            ),
        )
        state = _Cursor(1, self.header.lines + 1, self.opts.quote, self.opts.delimiter)
        held: Batch | None = None
        carry: list[tuple[int, str, int]] = []  # invalid records not yet placed
        for table, found in self._tables(opener, on_invalid, invalid):
            carry.extend(found)
            if table is None:
                break
            batch = state.place(table, carry, ncols)
            if held is not None:
                yield held
            if on_progress:
                on_progress()
            held = batch
        tail = state.flush(carry, ncols)
        if held is None:
            held = Batch(pa.table({**{n: pa.array([], pa.string()) for n in names},
                                   "__rec": pa.array([], pa.int64()),
                                   "__line": pa.array([], pa.int64())}))  # fmt: skip
        tail, spaced = _drop_blank(tail, self.opts.quote, self.opts.delimiter)
        held.bad.extend(tail)
        held.blank += spaced
        yield self._check_last(held, ncols)

    def _tables(
        self, opener: Callable[[], Any], handler: Callable[..., str], invalid: list[Any]
    ) -> Iterator[tuple[pa.Table | None, list[Any]]]:
        """The parser's batches as tables of text columns, each with the invalid records the
        parser reported while reading it; last (None, the rest). Parsing runs in a thread of
        its own, ahead of the caller.

        Natively, a malformed row holding stray bytes cannot reach `handler` (Arrow fails to
        decode it first, reports that as unraisable and stops): that becomes NotUtf8Error, and
        the report, about our handler only, is kept off the console."""
        hook = sys.unraisablehook

        def quiet(info: Any) -> None:
            if not (self.native and info.object is handler):
                hook(info)

        sys.unraisablehook = quiet
        try:
            yield from prefetch(self._parse(opener, invalid))
        except pa.ArrowInvalid as exc:
            if self.native:
                raise NotUtf8Error(str(exc)) from exc
            raise
        finally:
            sys.unraisablehook = hook

    def _parse(
        self, opener: Callable[[], Any], invalid: list[Any]
    ) -> Iterator[tuple[pa.Table | None, list[Any]]]:
        reader = opener()
        while True:
            try:
                rb = reader.read_next_batch()
            except StopIteration:
                break
            table = self._as_text(pa.Table.from_batches([rb]))
            found = invalid[:]
            del invalid[: len(found)]
            yield table, found
        yield None, invalid[:]

    def _as_text(self, table: pa.Table) -> pa.Table:
        if not self.native:
            return table
        cols = []
        for col in table.columns:
            text, replaced = _text(col)
            self.source.replaced += replaced
            cols.append(text)
        return pa.Table.from_arrays(cols, names=table.column_names)

    def _check_last(self, batch: Batch, ncols: int) -> Batch:
        """An unclosed quote in the last field swallows the rest of the file into one value.

        The parser accepts that at end of file, so the last record is checked here: a line break
        in its last value while the file does not end with the quote character means the quote
        was never closed. The record goes to quarantine with a reason saying how many lines it
        swallowed.
        """
        t = batch.table
        if t.num_rows == 0:
            return batch
        last = t.slice(t.num_rows - 1)
        value = last.column(f"c{ncols - 1}")[0].as_py()
        ends_in_quote = self.source.tail.rstrip(b"\r\n").endswith(self.opts.quote.encode())
        if not value or text_breaks(value) == 0 or ends_in_quote:
            return batch
        fields = [last.column(f"c{i}")[0].as_py() for i in range(ncols)]
        line = last.column("__line")[0].as_py()
        text = self.opts.delimiter.join(
            self.opts.quote + f if i == ncols - 1 else f for i, f in enumerate(fields)
        )
        batch.bad.append(BadRecord(line, text.rstrip("\r\n"), unclosed_reason(line, text)))
        batch.table = t.slice(0, t.num_rows - 1)
        return batch


def unclosed_reason(line: int, text: str) -> str:
    return (
        f"unclosed quote: the record starting at line {line:,} runs to the end of the file"
        f" ({text_breaks(text.rstrip(chr(13) + chr(10))) + 1:,} lines)"
    )


_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 13, 32]] = True  # tab, line feed, return, space


@dataclass
class _Cursor:
    """Where the reader is: the next record number and the line it starts on."""

    next_record: int
    next_line: int
    quote: str
    delimiter: str = ","

    def place(self, table: pa.Table, invalid: list[tuple[int, str, int]], ncols: int) -> Batch:
        n = table.num_rows
        pending = sorted(invalid)
        invalid.clear()
        if n == 0:
            invalid.extend(pending)
            return Batch(table)
        # Valid rows take the record numbers not used by invalid rows, in order.
        span_len = n + len(pending)
        numbers = np.arange(self.next_record, self.next_record + span_len, dtype=np.int64)
        bad_numbers = np.array([p[0] for p in pending], dtype=np.int64)
        is_bad = np.isin(numbers, bad_numbers)
        valid_numbers = numbers[~is_bad][:n]
        last = int(valid_numbers[-1])
        mine = [p for p in pending if p[0] < last]
        invalid.extend(p for p in pending if p[0] > last)
        numbers = np.arange(self.next_record, last + 1, dtype=np.int64)
        is_bad = np.isin(numbers, np.array([p[0] for p in mine], dtype=np.int64))
        if int((~is_bad).sum()) != n:
            raise InputError(
                "internal error: the CSV reader's record numbers do not add up",
                fix="please report this file; the load was stopped so no rows are lost",
            )
        spans = np.ones(len(numbers), dtype=np.int64)
        valid_spans = np.ones(n, dtype=np.int64)
        # Rows that may be blank: every field so far empty or starting with white space. Few
        # rows stay candidates after the first column, so the rest look at those rows only.
        cand = np.arange(n)
        empty = np.ones(n, dtype=bool)  # of the candidates: every field so far empty
        for col in table.columns:
            # combine_chunks copies even a single chunk.
            arr = col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
            br = _breaks(arr)
            if br is not None:
                valid_spans += br
            if not cand.size:
                continue
            offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset :]
            size = offsets[cand + 1] - offsets[cand]
            data = arr.buffers()[2]
            if data is not None and data.size:
                first = np.frombuffer(data, dtype=np.uint8)[
                    np.minimum(offsets[cand], data.size - 1)
                ]
                keep = (size == 0) | _SPACE[first]
            else:
                keep = size == 0
            cand, empty = cand[keep], empty[keep] & (size[keep] == 0)
        spans[~is_bad] = valid_spans
        bad_text = {p[0]: p for p in mine}
        bad_idx = np.nonzero(is_bad)[0]
        for i in bad_idx:
            spans[i] += text_breaks(bad_text[int(numbers[i])][1])
        starts = self.next_line + np.concatenate(([0], np.cumsum(spans)[:-1]))
        bad = [_bad(bad_text[int(numbers[i])], int(starts[i]), ncols, self.quote) for i in bad_idx]
        bad, spaced = _drop_blank(bad, self.quote, self.delimiter)
        blank = np.zeros(n, dtype=bool)
        blank[cand[empty]] = True
        # Rows of only spaces (a last row of blanks) are blank too; the first-byte test above
        # leaves few candidates, checked here field by field.
        for i in cand[~empty]:
            blank[i] = all(not (c[int(i)].as_py() or "").strip(" \t\r\n") for c in table.columns)
        keep = ~blank
        table = table.append_column("__rec", pa.array(valid_numbers))
        table = table.append_column("__line", pa.array(starts[~is_bad]))
        if blank.any():
            table = table.filter(pa.array(keep))
        self.next_record = last + 1
        self.next_line = int(starts[-1] + spans[-1])
        return Batch(table, bad, int(blank.sum()) + spaced)

    def flush(self, invalid: list[tuple[int, str, int]], ncols: int) -> list[BadRecord]:
        """Invalid records after the last valid one."""
        out = []
        for number, text, fields in sorted(invalid):
            # Blank lines between the last valid record and this one are not reported by the
            # parser as rows we can see, so the line is advanced by record number.
            line = self.next_line + (number - self.next_record)
            out.append(_bad((number, text, fields), line, ncols, self.quote))
            self.next_line = line + 1 + text_breaks(text)
            self.next_record = number + 1
        invalid.clear()
        return out


def _drop_blank(bad: list[BadRecord], quote: str, delimiter: str) -> tuple[list[BadRecord], int]:
    """Records of only white space whatever their field count (`   `, or ` , , ,` on a wider
    header) are blank, not bad: the rest, and how many were blank."""
    kept = [b for b in bad if not _only_spaces(b.text, quote, delimiter)]
    return kept, len(bad) - len(kept)


def _only_spaces(text: str, quote: str, delimiter: str) -> bool:
    if quote not in text:
        return not text.replace(delimiter, "").strip(" \t\r\n")
    try:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote)
        return all(not f.strip(" \t\r\n") for row in rows for f in row)
    except csv.Error:
        return False


def _bad(entry: tuple[int, str, int], line: int, ncols: int, quote: str) -> BadRecord:
    _number, text, fields = entry
    if text.count(quote) % 2 == 1 and text_breaks(text) > 0:
        return BadRecord(line, text, unclosed_reason(line, text))
    return BadRecord(line, text, f"has {fields} fields, the header has {ncols}")
