"""One reader interface over CSV, Parquet, XLSX and shapefile .dbf tables: a header and batches of text rows.

Every reader hands ingest the same thing: Arrow tables of text columns c0..cN with `__rec` (the
record number) and `__line` (where the record starts: the physical line for CSV, the sheet row
for XLSX, the row number for Parquet), plus bad records it could not split into fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from publicsafety.errors import InputError
from publicsafety.ingest.csvread import BadRecord, Batch, CsvReader, unique_names
from publicsafety.profiles import Profile

XLSX_BATCH = 50_000


class BatchReader(Protocol):
    header: list[str] | None
    duplicates: list[str]

    @property
    def position(self) -> int: ...

    @property
    def replaced(self) -> int: ...

    def batches(self, on_progress: Callable[[], None]) -> Iterator[Batch]: ...

    def close(self) -> None: ...


class CsvBatches:
    def __init__(self, path: Path, prof: Profile, native: bool = True) -> None:
        self.csv = CsvReader(path, prof.read, native)
        head = self.csv.header
        self.header = head.names if head else None
        self.duplicates = head.duplicates if head else []

    @property
    def position(self) -> int:
        return self.csv.position

    @property
    def replaced(self) -> int:
        return self.csv.replaced

    def batches(self, on_progress: Callable[[], None]) -> Iterator[Batch]:
        return self.csv.batches(on_progress)

    def close(self) -> None:
        self.csv.close()


def _table(columns: list[list[str]], recs: list[int], lines: list[int]) -> pa.Table:
    data: dict[str, Any] = {f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)}
    data["__rec"] = pa.array(recs, pa.int64())
    data["__line"] = pa.array(lines, pa.int64())
    return pa.table(data)


class ParquetBatches:
    """Parquet row groups as text; a record's line is its row number (1 = first row)."""

    def __init__(self, path: Path, prof: Profile) -> None:
        self.path = path
        self.dataset = ds.dataset(str(path), format="parquet")
        names, self.duplicates = unique_names(self.dataset.schema.names)
        self.header: list[str] | None = names
        self.done = 0
        self.size = path.stat().st_size
        self.rows = self.dataset.count_rows()

    @property
    def position(self) -> int:
        return int(self.size * self.done / self.rows) if self.rows else self.size

    replaced = 0

    def batches(self, on_progress: Callable[[], None]) -> Iterator[Batch]:
        for rb in self.dataset.to_batches(batch_size=1 << 18):
            cols = {}
            for i, col in enumerate(rb.columns):
                text = col if pa.types.is_string(col.type) else pc.cast(col, pa.string())
                cols[f"c{i}"] = pc.fill_null(text, "")
            n = rb.num_rows
            cols["__rec"] = pa.array(range(self.done + 1, self.done + n + 1), pa.int64())
            cols["__line"] = cols["__rec"]
            self.done += n
            yield Batch(pa.table(cols))
            on_progress()

    def close(self) -> None:
        pass


def _cell(value: Any) -> str:
    """A spreadsheet cell as the text a person sees (whole numbers without `.0`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


class XlsxBatches:
    """Rows of one sheet (openpyxl read-only, streamed); a record's line is its sheet row."""

    def __init__(self, path: Path, prof: Profile) -> None:
        import openpyxl

        self.path = path
        self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        opts = prof.read
        name = opts.sheet or self.book.sheetnames[0]
        if name not in self.book.sheetnames:
            raise InputError(
                f"no sheet named {name!r}",
                where=str(path),
                fix=f"set read.sheet to one of: {', '.join(self.book.sheetnames)}",
            )
        self.rows = self.book[name].iter_rows(values_only=True)
        self.line = 0
        for _ in range(opts.skip_lines):
            next(self.rows, None)
            self.line += 1
        parts: list[list[str]] = []
        for _ in range(max(1, opts.header_rows)):
            row = next(self.rows, None)
            if row is None:
                break
            self.line += 1
            parts.append([_cell(v).strip() for v in row])
        self.header: list[str] | None = None
        self.duplicates: list[str] = []
        if parts and any(any(p) for p in parts):
            width = max(len(p) for p in parts)
            # A multi-row header: each column's name joins its non-empty header cells.
            raw = [" ".join(p[i] for p in parts if i < len(p) and p[i]) for i in range(width)]
            while raw and not raw[-1]:
                raw.pop()
            self.header, self.duplicates = unique_names(raw)

    position = 0
    replaced = 0

    def batches(self, on_progress: Callable[[], None]) -> Iterator[Batch]:
        assert self.header is not None
        ncols = len(self.header)
        cols: list[list[str]] = [[] for _ in range(ncols)]
        recs: list[int] = []
        lines: list[int] = []
        bad: list[BadRecord] = []
        blank = 0
        for row in self.rows:
            self.line += 1
            cells = [_cell(v) for v in row]
            while len(cells) > ncols and not cells[-1]:
                cells.pop()
            if not any(cells):
                blank += 1
                continue
            if len(cells) > ncols:
                bad.append(BadRecord(self.line, "\t".join(cells),
                                     f"has {len(cells)} cells, the header has {ncols}"))  # fmt: skip
                continue
            cells += [""] * (ncols - len(cells))
            for i, c in enumerate(cells):
                cols[i].append(c)
            recs.append(self.line)
            lines.append(self.line)
            if len(recs) >= XLSX_BATCH:
                yield Batch(_table(cols, recs, lines), bad, blank)
                on_progress()
                cols, recs, lines, bad, blank = [[] for _ in range(ncols)], [], [], [], 0
        yield Batch(_table(cols, recs, lines), bad, blank)

    def close(self) -> None:
        self.book.close()


class DbfBatches:
    """The attribute table (.dbf) of a shapefile, for tables such as population counts kept
    beside boundaries; a record's line is its record number (1 = first)."""

    def __init__(self, path: Path, prof: Profile) -> None:
        import shapefile

        from publicsafety.ingest.geo import dbf_encoding

        self.path = path.with_suffix(".dbf")
        # The .cpg beside the shapefile names the encoding; without one, the profile's.
        has_cpg = path.with_suffix(".cpg").exists()
        self.encoding = dbf_encoding(path) if has_cpg else prof.read.encoding
        try:
            self.file = open(self.path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise InputError(
                f"cannot open the attribute table: {exc}",
                where=str(self.path),
                fix="a shapefile's .dbf must sit beside its .shp with the same name",
            ) from exc
        self.reader = shapefile.Reader(dbf=self.file, encoding=self.encoding)
        names = [f[0] for f in self.reader.fields[1:]]
        self.header: list[str] | None
        self.header, self.duplicates = unique_names(names) if names else (None, [])
        self.line = 0

    position = 0
    replaced = 0

    def batches(self, on_progress: Callable[[], None]) -> Iterator[Batch]:
        import shapefile

        assert self.header is not None
        cols: list[list[str]] = [[] for _ in self.header]
        try:
            for rec in self.reader.iterRecords():
                self.line += 1
                for i, v in enumerate(rec):
                    cols[i].append(_cell(v))
        except (UnicodeDecodeError, shapefile.ShapefileException) as exc:
            raise InputError(
                f"the attribute table is not {self.encoding}: {exc}",
                where=f"{self.path}, record {self.line + 1}",
                fix="write the right encoding (for example ISO-8859-1) into the .cpg file",
            ) from exc
        lines = list(range(1, self.line + 1))
        # Attribute tables are small (one row per area): one batch.
        yield Batch(_table(cols, lines, lines))
        on_progress()

    def close(self) -> None:
        self.reader.close()
        self.file.close()


def open_reader(path: Path, prof: Profile, native: bool = True) -> BatchReader:
    """The reader for `prof`'s format; `native` lets Arrow read a plain UTF-8 CSV itself."""
    fmt = prof.read.format
    if fmt == "csv":
        return CsvBatches(path, prof, native)
    if fmt == "parquet":
        return ParquetBatches(path, prof)
    if fmt == "xlsx":
        return XlsxBatches(path, prof)
    if fmt == "shapefile":
        return DbfBatches(path, prof)
    raise InputError(
        f"read.format {fmt!r} is not a table format",
        where=str(prof.path or prof.name),
        fix="geojson is for kind = 'areas'; use csv, parquet, xlsx or shapefile (its .dbf) here",
    )
