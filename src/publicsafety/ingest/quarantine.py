"""Quarantine: rows ingest could not load, kept verbatim, written as CSV, and explained.

Each quarantined row keeps file, line, column, value and reason. After a load, each kind of
problem gets one message: where the first case is, how many rows are like it, where the CSV is,
and what to change in the profile.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from publicsafety.engine import Store
from publicsafety.ingest.csvread import BadRecord
from publicsafety.ingest.normalize import lit
from publicsafety.profiles import Profile

if TYPE_CHECKING:
    from publicsafety.ingest.result import IngestResult


def default_dir(store: Store) -> Path | None:
    """The workspace's quarantine folder, or None for an in-memory store."""
    rows = store.con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    return store.settings.quarantine_dir if rows and rows[0][0] else None


def insert_bad(
    con: duckdb.DuckDBPyConnection, bad: list[BadRecord], prof: Profile, load_id: int, file: str
) -> None:
    """Records the reader could not split into the header's fields."""
    bad_table = pa.table({
        "city": [prof.city] * len(bad),
        "load_id": pa.array([load_id] * len(bad), pa.int32()),
        "kind": [prof.kind] * len(bad),
        "source_file": [file] * len(bad),
        "source_line": pa.array([b.line for b in bad], pa.int64()),
        "column_name": pa.array([b.column for b in bad], pa.string()),
        "value": pa.array([b.value for b in bad], pa.string()),
        "reason": [b.reason for b in bad],
        "raw": [b.text for b in bad],
    })  # fmt: skip
    con.from_arrow(bad_table).query("bad_table", "INSERT INTO quarantine SELECT * FROM bad_table")


def insert_rows(
    con: duckdb.DuckDBPyConnection, bad_rows: pa.Table, prof: Profile, load_id: int, file: str
) -> None:
    """Rows whose values did not parse or that a profile rule excluded (from `Plan.bad_sql`)."""
    fixed = f"{lit(prof.city)}, {int(load_id)}, {lit(prof.kind)}, {lit(file)}"
    con.from_arrow(bad_rows).query(
        "bad_rows",
        f"INSERT INTO quarantine SELECT {fixed}, __line, column_name, value, reason, raw"
        " FROM bad_rows ORDER BY __line",
    )


def csv_name(file: str) -> str:
    return file if file.lower().endswith(".csv") else f"{file}.csv"


def write_csv(store: Store, load_id: int, file: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / csv_name(file)
    store.con.execute(
        "COPY (SELECT source_file, source_line, column_name, value, reason, raw FROM quarantine"
        f" WHERE load_id = {int(load_id)} ORDER BY source_line) TO '{str(out).replace(chr(39), chr(39) * 2)}'"
        " (HEADER, DELIMITER ',')"
    )
    return out


def _hint(reason: str, value: str | None, prof: Profile) -> str:
    v = value or ""
    if "not a date" in reason:
        m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})", v)
        if m and int(m.group(1)) > 12 and int(m.group(2)) <= 12:
            sep = v[len(m.group(1))]
            return (f'If the file uses day-first dates, set date_formats = ["%d{sep}%m{sep}%Y"]'
                    " (and datetime_formats to match) in your city profile.")  # fmt: skip
        return ("Add the format this file uses to date_formats / datetime_formats in your city"
                " profile (strptime codes, e.g. %m/%d/%Y %H:%M).")  # fmt: skip
    if "not a number" in reason or "whole number" in reason:
        return ("If such values mean 'unknown', add them to null_values in [read], or mark the"
                " column optional = true to read them as missing.")  # fmt: skip
    if "yes/no" in reason:
        return "List how this file writes yes and no in the profile's [booleans] table."
    if re.match(r"has \d+ fields", reason):
        return (f"Check the delimiter ({prof.read.delimiter!r}) and quote settings in [read]; rows"
                " with a different number of fields cannot be matched to the header.")  # fmt: skip
    if reason.startswith("unclosed quote"):
        return ("A quote character opens a value and never closes: fix the file, or set a"
                " different quote in [read].")  # fmt: skip
    if "WKT" in reason:
        return 'Coordinates should read like "POINT (-90.07 29.95)".'
    return "These rows were excluded by a rule in the profile."


def messages(store: Store, result: IngestResult, prof: Profile) -> list[str]:
    """One message per kind of problem, and the reason counts on `result`."""
    rows = store.con.execute(
        "SELECT reason, count(*) AS n, min(source_line) AS first,"
        # arg_min skips NULL arguments: coalesce keeps the value on the first row's own line.
        " arg_min(coalesce(value, ''), source_line), arg_min(coalesce(column_name, ''), source_line),"
        " arg_min(coalesce(raw, ''), source_line)"
        " FROM quarantine WHERE load_id = ? GROUP BY reason ORDER BY n DESC, reason",
        [result.load_id],
    ).fetchall()
    result.quarantine_reasons = {r[0]: int(r[1]) for r in rows}
    out = []
    where = result.quarantine_file or "the quarantine table"
    for reason, n, first, value, column, _raw in rows:
        col = f", column {column}" if column else ""
        if column and reason.startswith(f"{column}: "):
            what = f'"{value}" {reason.split(": ", 1)[1]}'  # a value that did not parse
        elif column:
            # A row excluded by a profile rule; a missing value prints as (empty), not None.
            shown = f'"{value}"' if value is not None and value.strip() else "(empty)"
            what = f"{shown}: {reason}"
        else:
            what = reason
        like = "this row was" if n == 1 else f"{n:,} rows like this were"
        out.append(
            f"{result.file} line {first:,}{col}: {what}. {like.capitalize()} moved to quarantine"
            f" ({where}). {_hint(reason, value, prof)}"
        )
    for col, counts in sorted(result.unmapped.items()):
        total = sum(counts.values())
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{v} x{n:,}" for v, n in top[:5]) + (", ..." if len(top) > 5 else "")
        vm = prof.values.get(col)
        kept = vm is not None and vm.unmapped == "keep"
        then = "were kept as they are" if kept else "were read as missing"
        fix = "" if kept else (f" Add them to [values.{col}] map, set a default, or set"
                               ' unmapped = "keep" or "quarantine".')  # fmt: skip
        out.append(f"{result.file}: {col}: {total:,} values not in the map ({shown}); they"
                   f" {then}.{fix}")  # fmt: skip
    if result.bytes_replaced:
        out.append(
            f"{result.file}: {result.bytes_replaced:,} bytes are not valid {prof.read.encoding};"
            " their rows were kept with \ufffd in their place. If the file was saved on Windows,"
            ' set encoding = "cp1252" in [read].'
        )
    if result.duplicate_headers:
        out.append(
            f"{result.file}: the header repeats {', '.join(result.duplicate_headers)}; the later"
            " copies are named with _2, _3 ... (map them by those names in the profile)."
        )
    if result.dates_sentinel:
        out.append(
            f"{result.file}: {result.dates_sentinel:,} dates were a 'never happened' sentinel"
            f" ({', '.join(prof.read.date_sentinels)}) and were read as missing."
        )
    return out
