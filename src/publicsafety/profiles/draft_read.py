"""Reading a sample of a file never seen before, for `profile draft`: format (CSV, gzip CSV,
XLSX, Parquet), encoding, delimiter, lines above the header, and the first rows as text.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from publicsafety.errors import InputError

SAMPLE_ROWS = 5000
HEAD_BYTES = 1 << 20  # enough raw text to judge encoding, delimiter and header
DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Dialect:
    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    quote: str = '"'
    skip_lines: int = 0
    sheet: str | None = None
    compressed: bool = False
    crlf: bool = False
    notes: list[str] = field(default_factory=list)


def _head(path: Path) -> tuple[bytes, bool]:
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as gz:
            return gz.read(HEAD_BYTES), True
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES), False


def sniff(path: Path) -> tuple[Dialect, list[str], str]:
    """The file's format and dialect, its header (trimmed, BOM removed) and its first text."""
    if not path.exists():
        raise InputError(f"no such file: {path}", fix="check the path")
    raw, compressed = _head(path)
    d = Dialect(compressed=compressed)
    if raw[:4] == b"PAR1":
        d.format = "parquet"
        return d, [], ""
    if raw[:4] == b"PK\x03\x04":
        d.format = "xlsx"
        return d, [], ""
    if not raw.strip():
        raise InputError("the file is empty", where=str(path), fix="check the download or export")
    if raw[:3] == b"\xef\xbb\xbf":
        d.encoding = "utf-8-sig"
        d.notes.append("starts with a UTF-8 byte-order mark")
        raw = raw[3:]
    if len(raw) == HEAD_BYTES and b"\n" in raw:
        raw = raw[: raw.rindex(b"\n") + 1]  # never judge a character cut in half
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1]
        # cp1252 leaves five bytes undefined; a file using them can only be latin-1.
        d.encoding = "latin-1" if any(b in raw for b in b"\x81\x8d\x8f\x90\x9d") else "cp1252"
        d.notes.append(f"not UTF-8 (byte {bad!r} at offset {exc.start:,}): read as {d.encoding}")
        text = raw.decode(d.encoding, errors="replace")
    d.crlf = "\r\n" in text[:10000]
    lines = text.splitlines()[:60]
    best: tuple[float, int, str] = (-1.0, 0, ",")
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim, quotechar='"')]
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        share = counts.count(modal) / len(counts)
        if modal > 1 and (share, modal) > best[:2]:
            best = (share, modal, delim)
    d.delimiter = best[2]
    modal = best[1]
    # Lines before the header (a title, an export note) have fewer fields than the data rows.
    for i, line in enumerate(lines):
        fields = next(csv.reader([line], delimiter=d.delimiter), [])
        if len(fields) >= max(modal, 1) and any(f.strip() for f in fields):
            d.skip_lines = i
            break
    if d.skip_lines:
        d.notes.append(f"{d.skip_lines} line(s) before the header row")
    reader = csv.reader(io.StringIO("\n".join(lines[d.skip_lines :])), delimiter=d.delimiter)
    header = [h.strip().lstrip("\ufeff").strip() for h in next(reader, [])]
    return d, header, text


def _xlsx_sample(path: Path, d: Dialect) -> tuple[list[str], list[list[str | None]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        d.sheet = ws.title
        rows: list[list[str | None]] = []
        header: list[str] = []
        for row in ws.iter_rows(values_only=True):
            cells = [None if v is None else _cell_text(v) for v in row]
            if not header:
                if any(c and c.strip() for c in cells):
                    header = [(c or "").strip() for c in cells]
                continue
            rows.append(cells)
            if len(rows) >= SAMPLE_ROWS:
                break
    finally:
        wb.close()
    return header, rows


def _cell_text(v: Any) -> str:
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def sample(path: Path) -> tuple[Dialect, list[str], list[list[str | None]]]:
    """Dialect, header and the first SAMPLE_ROWS rows as text, read by DuckDB (never whole)."""
    d, header, text = sniff(path)
    if d.format == "xlsx":
        header, cells = _xlsx_sample(path, d)
        return d, header, cells
    con = duckdb.connect()
    try:
        if d.format == "parquet":
            rel = con.sql(f"SELECT * FROM read_parquet({_lit(str(path))}) LIMIT {SAMPLE_ROWS}")
            header = list(rel.columns)
            cols = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in header)
            got = con.sql(f"SELECT {cols} FROM rel").fetchall()
            return d, header, [list(r) for r in got]
        if not header:
            return d, header, []
        if d.encoding.startswith("utf-8"):
            # Positional names: DuckDB would rename duplicate or blank headers; ours stay verbatim.
            names = {f"c{i}": "VARCHAR" for i in range(len(header))}
            sql = (
                "SELECT * FROM read_csv(?, columns = ?, header = true, auto_detect = false,"
                " delim = ?, quote = ?, escape = ?, skip = ?, null_padding = true,"
                f" ignore_errors = true, strict_mode = false) LIMIT {SAMPLE_ROWS}"
            )
            params = [str(path), names, d.delimiter, d.quote, d.quote, d.skip_lines]
            try:
                return d, header, [list(r) for r in con.execute(sql, params).fetchall()]
            except duckdb.Error as exc:
                d.notes.append(f"DuckDB could not read the first rows ({exc}); sampled the head")
    finally:
        con.close()
    # DuckDB reads only UTF-8 and strict latin-1 here: legacy encodings (cp1252 with curly
    # quotes and the euro sign) are sampled from the head already decoded by sniff().
    lines = io.StringIO(text)
    for _ in range(d.skip_lines + 1):
        lines.readline()
    reader = csv.reader(lines, delimiter=d.delimiter, quotechar=d.quote)
    rows: list[list[str | None]] = []
    for row in reader:
        rows.append(list(row))
        if len(rows) >= SAMPLE_ROWS:
            break
    if len(text.encode(d.encoding, errors="replace")) >= HEAD_BYTES - 4096:
        rows = rows[:-1]  # the head may end inside a record
    return d, header, rows


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"
