"""Draft a city profile for a file never seen before, for a person to review and then use as is.

`draft_profile` samples the first rows of a CSV (any common encoding and delimiter, gzip or not),
XLSX or Parquet file, detects its dialect, and maps its columns onto the canonical table of a
kind by header names (synonyms kept as data in draft_data/synonyms.toml) and by the shapes of
the values. Each mapping carries a confidence (0-1) and its reason, written as TOML comments.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from publicsafety import tables
from publicsafety.errors import InputError, ProfileError
from publicsafety.profiles import TABLE_OF_KIND
from publicsafety.profiles.draft_shapes import (
    ColumnShape,
    describe,
    label_value,
    origin_of,
    pick_crs,
)

SAMPLE_ROWS = 5000
HEAD_BYTES = 1 << 20  # enough raw text to judge encoding, delimiter and header
DELIMITERS = (",", ";", "\t", "|")
# The parser a canonical type takes when the sample has no value to judge by.
DEFAULT_PARSE = {"TIMESTAMP": "datetime", "DATE": "date", "TIME": "time", "DOUBLE": "float",
                 "INTEGER": "int", "BIGINT": "int", "BOOLEAN": "bool"}  # fmt: skip
EVENT_KINDS = ("calls", "stops", "incidents", "arrests", "force")


@cache
def rules() -> dict[str, Any]:
    """The synonym and value rules (draft_data/synonyms.toml)."""
    text = (resources.files("publicsafety.profiles") / "draft_data" / "synonyms.toml").read_text(
        encoding="utf-8"
    )
    return tomllib.loads(text)


def words(header: str) -> tuple[str, ...]:
    """A header as lower-case words: "TimeCreate", "time_create", "Time Create" -> (time, create)."""
    s = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", s)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", s)
    return tuple(re.sub(r"[^a-z0-9]+", " ", s.lower()).split())


def header_score(header: str, synonyms: list[str]) -> tuple[float, str]:
    """How well a header names a role (0-1), and the synonym that matched."""
    hw = words(header)
    best, why = 0.0, ""
    for syn in synonyms:
        sw = tuple(syn.split())
        if hw == sw or "".join(hw) == "".join(sw):
            return 1.0, syn
        if sw and set(sw) <= set(hw):
            score = max(0.5, 0.75 - 0.05 * (len(hw) - len(sw)))
            if score > best:
                best, why = score, syn
    return best, why


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


@dataclass
class Mapping:
    """One proposed canonical column."""

    column: str
    source: str | list[str] | None
    confidence: float
    reason: str
    parse: str = "text"
    format: str | None = None
    const: Any = None
    optional: bool = False

    def toml_value(self) -> str:
        if self.const is not None:
            return "{ const = " + toml(self.const) + " }"
        if self.parse == "text" and isinstance(self.source, str) and not self.optional:
            return toml(self.source)
        parts = [f"from = {toml(self.source)}", f"parse = {toml(self.parse)}"]
        if self.format:
            parts.append(f"format = {toml(self.format)}")
        if self.optional:
            parts.append("optional = true")
        return "{ " + ", ".join(parts) + " }"


@dataclass
class Draft:
    """A drafted profile: what was read, what maps where, and the TOML text."""

    path: Path
    kind: str
    name: str
    city: str
    dialect: Dialect
    headers: list[str]
    sample_rows: int
    mappings: dict[str, Mapping]
    values: dict[str, dict[str, Any]]
    read: dict[str, Any]
    unmapped: list[str]
    shapes: dict[str, ColumnShape]
    text: str = ""

    def role(self, column: str) -> str | list[str] | None:
        """Source column(s) a canonical column is drafted from (None when unmapped)."""
        m = self.mappings.get(column)
        return m.source if m else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path.name,
            "kind": self.kind,
            "name": self.name,
            "sample_rows": self.sample_rows,
            "read": self.read,
            "mappings": [
                {
                    "column": m.column,
                    "source": m.source,
                    "parse": m.parse,
                    "format": m.format,
                    "const": m.const,
                    "confidence": m.confidence,
                    "reason": m.reason,
                }
                for m in self.mappings.values()
            ],
            "values": self.values,
            "unmapped": self.unmapped,
        }


def toml(value: Any) -> str:
    """A TOML literal for a string, number, bool or list of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    s = str(value)
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    out = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in out)
    return f'"{out}"'


# ---------------------------------------------------------------- reading a sample


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
        header, rows = _xlsx_sample(path, d)
        return d, header, rows
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


# ---------------------------------------------------------------- choosing roles


def role_synonyms(kind: str) -> dict[str, tuple[list[str], list[str]]]:
    """Canonical column (plus x / y) -> (synonyms, weak synonyms) for a kind."""
    r = rules()
    table = TABLE_OF_KIND[kind]
    allowed = {c.name for c in tables.mappable(table)} | {"x", "y"}
    section, common = r.get(kind, {}), r["common"]
    out: dict[str, tuple[list[str], list[str]]] = {}
    for part, weak_part in ((section, section.get("weak", {})), (common, common.get("weak", {}))):
        for role, syns in part.items():
            if role == "weak" or not isinstance(syns, list):
                continue
            name = "lng" if role == "lon" and "lng" in allowed else role
            if name in allowed and name not in out:
                out[name] = (syns, weak_part.get(role, []))
    return out


def fit(role: str, ctype: str, s: ColumnShape) -> tuple[float, str, str | None, str]:
    """How a column's values fit a role: (score 0-1, parser, format, why)."""
    if s.nonnull == 0:
        return 0.3, DEFAULT_PARSE.get(ctype, "text"), None, "no values in the sample"
    if role in ("lon", "lng", "lat"):
        if s.wkt:
            return 0.95, "wkt_x" if role != "lat" else "wkt_y", None, "WKT POINT values"
        lo, hi = (-180, 180) if role != "lat" else (-90, 90)
        if s.numeric and s.min is not None and s.max is not None and lo <= s.min <= s.max <= hi:
            return 1.0, "float", None, f"numbers from {s.min:g} to {s.max:g}"
        return 0.0, "", None, ""
    if role in ("x", "y"):
        if s.numeric and s.max is not None and max(abs(s.max), abs(s.min or 0)) > 1000:
            return 1.0, "float", None, f"projected coordinates {s.min:,.0f} to {s.max:,.0f}"
        return 0.0, "", None, ""
    if ctype == "TIMESTAMP":
        if s.kind == "datetime":
            return 1.0, "datetime", s.format, f"dates and times like {s.example!r} ({s.format})"
        if s.kind == "date":
            return 0.9, "datetime", s.format, f"dates only like {s.example!r} ({s.format})"
        return 0.0, "", None, ""
    if ctype == "DATE":
        if s.kind in ("date", "datetime"):
            return (1.0 if s.kind == "date" else 0.8), "date", s.format, f"dates ({s.format})"
        return 0.0, "", None, ""
    if ctype == "TIME":
        return (
            (1.0, "time", s.format, f"times ({s.format})")
            if s.kind == "time"
            else (0, "", None, "")
        )
    if ctype == "BOOLEAN":
        ok = s.kind == "bool"
        return (1.0, "bool", None, f"yes/no values {s.distinct_text}") if ok else (0, "", None, "")
    if role == "subject_age":
        ages = sum(n for v, n in s.counts.items() if v.isdigit() and int(v) <= 120)
        if ages >= 0.9 * s.nonnull:
            return 1.0, "int", None, f"{ages / s.nonnull:.1%} whole numbers from 0 to 120"
        return 0.0, "", None, ""
    if ctype in ("INTEGER", "BIGINT"):
        return (
            (1.0, "int", None, "whole numbers") if s.kind in ("int", "bool") else (0, "", None, "")
        )
    # Text roles from here on.
    if s.wkt or s.kind in ("datetime", "date", "time"):
        return 0.0, "", None, ""
    if role == "origin":
        if s.origin_share >= 0.6:
            return 1.0, "text", None, f"{s.origin_share:.0%} of values name how a call came in"
        if s.kind == "bool":
            return 0.9, "text", None, f"a yes/no flag {s.distinct_text}"
        return 0.0, "", None, ""
    if role in ("subject_race", "subject_sex"):
        share = s.race_share if role == "subject_race" else s.sex_share
        if share >= 0.8:
            return 1.0, "text", None, f"{share:.0%} of values are {role.split('_')[1]} values"
        return 0.0, "", None, ""
    penalty = 0.3 if s.origin_share >= 0.6 else 1.0  # how-received values are not call types
    if role in ("priority", "initial_priority"):
        ok = s.distinct <= 40 and s.max_len <= 4
        return (penalty, "text", None, f"{s.distinct} short codes") if ok else (0, "", None, "")
    if role in ("beat", "district"):
        if s.max_len > 16 or s.distinct > 2000:
            return 0.0, "", None, ""
        parse = "excel_text" if s.excel_mangled else "text"
        why = f"{s.distinct} short area codes" + (
            f"; {s.excel_mangled} Excel-mangled like 8.00E+01" if s.excel_mangled else ""
        )
        return penalty, parse, None, why
    if role.endswith("_id"):
        if s.unique_share >= 0.999:
            return 1.0, "text", None, "unique in the sample"
        return 0.7, "text", None, f"{s.repeats:,} repeated values in the sample"
    if role.endswith("_code") or role == "disposition":
        return (
            (1.0 if s.code_like else 0.5) * penalty,
            "text",
            None,
            "short codes" if s.code_like else "text",
        )
    if role in ("call_type", "initial_call_type", "disposition_text", "offense", "charge"):
        return (
            (0.6 if s.code_like else 1.0) * penalty,
            "text",
            None,
            "text" if not s.code_like else "codes",
        )
    return 0.8 * penalty, "text", None, "text"


def propose(kind: str, header: list[str], shapes: dict[str, ColumnShape]) -> dict[str, Mapping]:
    """Greedy assignment of source columns to roles by confidence."""
    table = TABLE_OF_KIND[kind]
    ctypes = {c.name: c.type for c in tables.mappable(table)} | {"x": "DOUBLE", "y": "DOUBLE"}
    dupes = {h for h in header if header.count(h) > 1}
    cands: list[tuple[float, int, str, Mapping]] = []
    for role, (syns, weak) in role_synonyms(kind).items():
        for pos, col in enumerate(header):
            if not col or col in dupes:
                continue
            s = shapes[col]
            h, syn = header_score(col, syns)
            hw, wsyn = header_score(col, weak)
            if hw * 0.6 > h:
                h, syn = hw * 0.6, wsyn
            score, parse, fmt, why = fit(role, ctypes[role], s)
            if score <= 0:
                continue
            if h > 0:
                conf = 0.6 * h + 0.4 * score
                if any("zero-padded" in n for n in s.notes):
                    conf *= 0.7  # it will not read as it stands
                reason = f"header {col!r} ~ {syn!r}; {why}"
            elif role in ("lon", "lng", "lat") and s.wkt:
                conf, reason = 0.85, f"{why} in {col!r}"
            elif role == "origin" and s.origin_share >= 0.8:
                conf, reason = 0.7, f"{why} (column {col!r})"
            else:
                continue
            m = Mapping(role, col, round(conf, 2), reason, parse, fmt)
            # Some values will not parse (e.g. "**" ages): read them as missing, not quarantine.
            m.optional = parse in ("int", "float") and s.kind not in ("int", "float", "empty")
            # A stop with an unreadable time is still a stop; its date decides its day.
            m.optional |= ctypes[role] == "TIME" and any("zero-padded" in n for n in s.notes)
            cands.append((conf, -pos, role, m))
    cands.sort(key=lambda c: (c[0], c[1]), reverse=True)
    chosen: dict[str, Mapping] = {}
    used: set[str] = set()
    for conf, _pos, role, m in cands:
        col = str(m.source)
        shared = m.parse in ("wkt_x", "wkt_y")  # one WKT column gives both lon and lat
        if role in chosen or (col in used and not shared) or conf < 0.45:
            continue
        chosen[role] = m
        used.add(col)
    return chosen


def settle(kind: str, chosen: dict[str, Mapping], shapes: dict[str, ColumnShape]) -> list[str]:
    """Fix up pairs the greedy pass cannot see; returns notes for the reviewer."""
    notes: list[str] = []
    lon = "lng" if kind == "stops" else "lon"
    for a, b in ((lon, "lat"), ("x", "y")):
        if (a in chosen) != (b in chosen):
            lone = chosen.pop(a, None) or chosen.pop(b)
            notes.append(
                f"{lone.source!r} looked like {lone.column} but has no partner: not mapped"
            )
    if lon in chosen and "x" in chosen:
        notes.append(
            f"{chosen['x'].source!r}/{chosen['y'].source!r} (projected) unused: lon/lat are given"
        )
        del chosen["x"], chosen["y"]
    if "disposition_text" in chosen and "disposition" not in chosen:
        m = chosen.pop("disposition_text")
        m.column = "disposition"
        chosen["disposition"] = m
    if kind == "stops":
        st = chosen.get("stopped_at")
        if st and st.parse == "datetime":
            for role in ("date", "time"):
                if role not in chosen:
                    chosen[role] = Mapping(
                        role,
                        st.source,
                        st.confidence,
                        f"{role} part of {st.source!r}",
                        role,
                        st.format,
                    )
        d, t = chosen.get("date"), chosen.get("time")
        if d and t and "stopped_at" not in chosen and d.source != t.source:
            chosen["stopped_at"] = Mapping(
                "stopped_at",
                [str(d.source), str(t.source)],
                min(d.confidence, t.confidence),
                f"{d.source!r} and {t.source!r} joined",
                "datetime",
                f"{d.format} {t.format}",
            )
            chosen["stopped_at"].optional = t.optional
    if kind in ("calls", "incidents", "arrests"):
        times = [m for m in chosen.values() if m.parse == "datetime"]
        if times and all(shapes[str(m.source)].kind == "date" for m in times):
            chosen["date_only"] = Mapping(
                "date_only", None, 0.9, "the file has dates without times", const=True
            )
    return notes


# ---------------------------------------------------------------- values, [read] and the TOML


TRUE_TOKENS = frozenset({"Y", "YES", "TRUE", "T", "1"})
MAX_MAPPED_VALUES = 60


def value_maps(
    chosen: dict[str, Mapping], shapes: dict[str, ColumnShape]
) -> dict[str, dict[str, Any]]:
    """[values.*] tables for origin, race and sex, from the values seen in the sample."""
    r = rules()
    out: dict[str, dict[str, Any]] = {}
    m = chosen.get("origin")
    if m and isinstance(m.source, str):
        s = shapes[m.source]
        if s.kind == "bool":
            officer = header_score(m.source, r["origin_flags"]["officer"])[0]
            community = header_score(m.source, r["origin_flags"]["community"])[0]
            yes, no = ("community", "officer") if community > officer else ("officer", "community")
            mapping = {v: yes if v.upper() in TRUE_TOKENS else no for v in s.counts}
        else:
            mapping = {
                v: origin_of(v, r["origin_values"]) or "unknown"
                for v, _ in s.counts.most_common(MAX_MAPPED_VALUES)
            }
        out["origin"] = {"map": mapping, "default": "unknown", "missing": "unknown"}
    for role, key in (("subject_race", "race_values"), ("subject_sex", "sex_values")):
        m = chosen.get(role)
        if not (m and isinstance(m.source, str)):
            continue
        s = shapes[m.source]
        letters = r[key]["letters"] if all(len(v) == 1 for v in s.counts) else {}
        mapping = {
            v: label_value(v, r[key]["words"], letters) or "other"
            for v, _ in s.counts.most_common(MAX_MAPPED_VALUES)
        }
        out[role] = {"map": mapping, "default": "other", "missing": "unknown"}
    return out


def read_section(
    d: Dialect,
    chosen: dict[str, Mapping],
    shapes: dict[str, ColumnShape],
    place: dict[str, Any] | None,
) -> dict[str, Any]:
    read: dict[str, Any] = {"format": d.format}
    if d.format == "csv":
        read |= {
            "encoding": d.encoding,
            "delimiter": d.delimiter,
            "quote": d.quote,
            "skip_lines": d.skip_lines,
        }
    if d.sheet:
        read["sheet"] = d.sheet
    tokens = sorted({t for s in shapes.values() for t in s.null_tokens})
    read["null_values"] = ["", *tokens]
    if place:
        read["timezone"] = place["timezone"]
    sources = {str(m.source) for m in chosen.values() if isinstance(m.source, str)}
    for key, kind in (
        ("datetime_formats", "datetime"),
        ("date_formats", "date"),
        ("time_formats", "time"),
    ):
        fmts = [shapes[c].format for c in sources if shapes[c].kind == kind and shapes[c].format]
        if fmts:
            read[key] = sorted(set(fmts), key=fmts.index)
    sentinels = sorted({k for c in sources for k in shapes[c].sentinels})
    if sentinels:
        read["date_sentinels"] = sentinels
    return read


def render(draft: Draft, crs_note: str, notes: list[str], state: str | None) -> str:
    """The draft as TOML, with confidences, reasons and unmapped columns as comments."""
    d = draft.dialect
    lines = [
        f"# Draft profile for {draft.path.name}, written by `publicsafety profile draft` from the",
        f"# first {draft.sample_rows:,} rows. Review it before use: each mapping gives how sure the",
        "# draft is (confidence 0-1) and why. Delete what is wrong, map what is missing.",
    ]
    lines += [f"# File: {n}" for n in d.notes + (["CRLF line endings"] if d.crlf else [])]
    lines += [f"# Check: {n}" for n in notes]
    lines += ["", "[profile]", f"name = {toml(draft.name)}", f"city = {toml(draft.city)}"]
    if state:
        lines.append(f"state = {toml(state)}")
    lines += [
        f"kind = {toml(draft.kind)}",
        f"title = {toml('Draft: ' + draft.path.name)}",
        f"source = {toml(draft.path.name)}",
        f"notes = {toml('Drafted automatically from a sample of the file; reviewed by: (nobody yet)')}",
        "",
        "[read]",
    ]
    for key, value in draft.read.items():
        comment = f"  # {crs_note}" if key == "crs" and crs_note else ""
        lines.append(f"{key} = {toml(value)}{comment}")
    lines += ["", "[columns]"]
    for m in draft.mappings.values():
        lines.append(f"# {m.confidence:.2f}  {m.reason}")
        for note in shapes_notes(draft, m):
            lines.append(f"#       {note}")
        lines.append(f"{m.column} = {m.toml_value()}")
    for role, vm in draft.values.items():
        lines += [
            "",
            f"[values.{role}]",
            "# values seen in the sample; review the ones mapped to unknown/other",
        ]
        pairs = ", ".join(f"{toml(k)} = {toml(v)}" for k, v in vm["map"].items())
        lines += [
            f"map = {{ {pairs} }}",
            f"default = {toml(vm['default'])}",
            f"missing = {toml(vm['missing'])}",
        ]
    if draft.unmapped:
        lines += [
            "",
            f"# Not mapped ({len(draft.unmapped)} columns): map them above if they matter.",
        ]
        for col in draft.unmapped:
            s = draft.shapes.get(col)
            desc = (
                f"{s.kind}, {s.distinct:,} distinct, e.g. {', '.join(s.top[:3])}"
                if s and s.nonnull
                else "empty"
            )
            lines.append(f"#   {col!r}: {desc[:110]}")
    return "\n".join(lines) + "\n"


def shapes_notes(draft: Draft, m: Mapping) -> list[str]:
    sources = m.source if isinstance(m.source, list) else [m.source] if m.source else []
    out: list[str] = []
    for src in sources:
        s = draft.shapes.get(src)
        if s:
            out += s.notes
            out += [
                f"{n:,} sampled values are the sentinel {k} (read as missing)"
                for k, n in s.sentinels.items()
            ]
    return out


def draft_profile(
    path: Path | str,
    kind: str,
    out: Path | str | None = None,
    *,
    city: str | None = None,
    crs: str | None = None,
) -> Draft:
    """Draft a profile for `path` as a source of `kind`; write it to `out` when given."""
    from publicsafety.profiles import parse_profile

    path = Path(path)
    if kind not in EVENT_KINDS:
        raise ProfileError(
            f"cannot draft a profile of kind {kind!r}",
            fix=f"draft one of {', '.join(EVENT_KINDS)}; write areas, population and budget"
            " profiles by hand from profiles/FORMAT.md",
        )
    d, header, rows = sample(path)
    if not header:
        raise InputError(
            "no header row found", where=str(path), fix="the first row must name the columns"
        )
    r = rules()
    shapes: dict[str, ColumnShape] = {}
    for i, col in enumerate(header):
        if col and col not in shapes:
            values = [row[i] if i < len(row) else None for row in rows]
            shapes[col] = describe(col, values, words(col), r)
    chosen = propose(kind, header, shapes)
    notes = settle(kind, chosen, shapes)
    place = r["places"].get(city.strip().lower()) if city else None
    crs_note = ""
    read = read_section(d, chosen, shapes, place)
    if "x" in chosen:
        xs, ys = (shapes[str(chosen[c].source)] for c in ("x", "y"))
        pts = _pairs(rows, header, str(chosen["x"].source), str(chosen["y"].source))
        code, conf, why, alts = pick_crs([p[0] for p in pts], [p[1] for p in pts], place)
        if crs:
            code, conf, why = crs, 1.0, "given with --crs"
        if code:
            read["crs"] = code
            crs_note = f"{conf:.2f}  {why}" + (
                f"; also possible: {', '.join(alts[:4])}" if alts else ""
            )
        else:
            notes.append(f"x/y {xs.name!r}/{ys.name!r}: {why}; set read.crs or pass --crs")
            del chosen["x"], chosen["y"]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        notes.append(f"duplicate headers, not mapped: {', '.join(dupes)}")
    used: set[str] = set()
    for m in chosen.values():
        used.update([m.source] if isinstance(m.source, str) else m.source or [])
    for role, raw in (("origin", "origin_raw"), ("subject_race", "subject_race_raw")):
        base = chosen.get(role)
        if (
            base
            and isinstance(base.source, str)
            and raw in {c.name for c in tables.mappable(TABLE_OF_KIND[kind])}
        ):
            chosen[raw] = Mapping(raw, base.source, base.confidence, f"the raw value of {role}")
    order = {c.name: i for i, c in enumerate(tables.mappable(TABLE_OF_KIND[kind]))}
    chosen = dict(sorted(chosen.items(), key=lambda kv: order.get(kv[0], len(order))))
    out_path = Path(out) if out else None
    name = out_path.stem if out_path else f"draft_{kind}"
    draft = Draft(
        path=path,
        kind=kind,
        name=name,
        city=city or "Unknown city",
        dialect=d,
        headers=header,
        sample_rows=len(rows),
        mappings=chosen,
        values=value_maps(chosen, shapes),
        read=read,
        unmapped=[h for h in dict.fromkeys(header) if h and h not in used],
        shapes=shapes,
    )
    draft.text = render(draft, crs_note, notes, place["state"] if place else None)
    parse_profile(tomllib.loads(draft.text), out_path)  # the draft must load as it is
    if out_path:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(draft.text, encoding="utf-8")
    return draft


def _pairs(
    rows: list[list[str | None]], header: list[str], xcol: str, ycol: str
) -> list[tuple[float, float]]:
    ix, iy = header.index(xcol), header.index(ycol)
    out = []
    for row in rows:
        try:
            x, y = float(str(row[ix]).strip()), float(str(row[iy]).strip())
        except (ValueError, IndexError):
            continue
        if x and y:
            out.append((x, y))
    return out
