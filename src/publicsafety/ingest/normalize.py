"""Turn a profile and a file's header into the SQL that normalises one batch of raw text rows.

All parsing runs in DuckDB: each canonical column becomes an expression over the trimmed raw
text (null sentinels removed), plus a check that is true when a value was present but did not
parse. The first failing column of a row, or an exclusion rule, sends the row to quarantine.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publicsafety import tables
from publicsafety.errors import InputError
from publicsafety.profiles import ColumnSpec, Profile

DEFAULT_PARSE = {"TIMESTAMP": "datetime", "DATE": "date", "TIME": "time", "DOUBLE": "float",
                 "INTEGER": "int", "BIGINT": "int", "BOOLEAN": "bool"}  # fmt: skip
REASONS = {
    "int": "is not a whole number",
    "float": "is not a number",
    "number": "is not a number",
    "share": "is not a number",
    "bool": "is not a yes/no value",
    "date": "is not a date",
    "datetime": "is not a date and time",
    "time": "is not a time",
    "wkt_x": "is not a WKT point",
    "wkt_y": "is not a WKT point",
    "sum": "is not a number",
    "fiscal_year": "is not a fiscal year",
}
# A fiscal year: 2019, FY2019, "2007/8", "FY 2018-19", "1999/00", "2018-2019" (group e: its end).
FISCAL_YEAR = r"'^(?i)(?:FY\s*)?(\d{4})(?:\s*[-/–]\s*(\d{1,4}))?$'"
# The value column of each wide-to-long output row: a row without it is not written.
VALUE_COLUMN = {"population": "count", "budget": "amount"}


def lit(value: Any) -> str:
    """A SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def lits(values: Any) -> str:
    return ", ".join(lit(v) for v in values)


@dataclass
class Parsed:
    """One parsed value: `p{i}` in the stage table."""

    expr: str  # parsed value before date sentinels
    check: str | None  # true when a raw value is present but did not parse
    source: str  # source column(s), for quarantine messages
    raw: str  # SQL of the raw value (for the quarantine record)
    reason: str
    sentinel: bool = False  # a date: apply the profile's date sentinels
    # A "parse" check is `raw IS NOT NULL AND value IS NULL`: ingest can verify it after the
    # insert by counting (Plan.verifiable); a "rule" check (value map, sum) is tested row by row.
    check_kind: str = "parse"


@dataclass
class Verifiable:
    """Parsed value index -> the canonical column that stores it (Plan.verifiable)."""

    checked: dict[int, str]  # values with a parse check
    dated: dict[int, str]  # dates to clear of sentinels after the insert

    def columns(self) -> set[str]:
        return {*self.checked.values(), *self.dated.values()}


class Plan:
    """The SQL for one profile against one header."""

    def __init__(self, profile: Profile, header: list[str], file: str) -> None:
        self.profile = profile
        self.header = header
        self.file = file
        self.opts = profile.read
        self.table = profile.table
        self.types = {c.name: c.type for c in tables.columns(self.table)}
        self.types.update(x="DOUBLE", y="DOUBLE")  # projected coordinates, made lon/lat later
        self.used: dict[int, str] = {}  # header index -> t-name
        self.parsed: list[Parsed] = []
        self.missing: list[str] = []
        self.outputs: list[dict[str, str]] = []  # per output row: canonical -> SQL over stage
        # Value-mapped columns whose raw values may fall outside the map: (column, t, condition).
        self.unmapped: list[tuple[str, str, str]] = []
        common = self._specs(profile.columns)
        extra = self._special()
        if profile.rows:
            for row in profile.rows:
                self.outputs.append({**common, **extra, **self._specs(row)})
        else:
            self.outputs.append({**common, **extra})
        self.exclusions = [(self._t(e.column, False), e) for e in profile.exclude]
        if self.missing:
            raise self._missing_error()

    # -- source columns -------------------------------------------------------------------
    def _index(self, name: str) -> int | None:
        if name in self.header:
            return self.header.index(name)
        folded = [h for h in self.header if h.lower() == name.strip().lower()]
        return self.header.index(folded[0]) if len(folded) == 1 else None

    def _t(self, name: str, optional: bool) -> str | None:
        """The trimmed, null-sentinel-free text of a source column, or None when absent."""
        i = self._index(name)
        if i is None:
            if not optional and name not in self.missing:
                self.missing.append(name)
            return None
        self.used.setdefault(i, f"t{i}")
        return f"t{i}"

    def _missing_error(self) -> InputError:
        parts = []
        for name in self.missing:
            close = difflib.get_close_matches(name, self.header, n=3, cutoff=0.5)
            near = f" (closest in the file: {', '.join(close)})" if close else ""
            parts.append(f"{name!r}{near}")
        cols = ", ".join(self.header[:30]) + (" ..." if len(self.header) > 30 else "")
        return InputError(
            f"the profile {self.profile.name!r} needs column(s) the file does not have: "
            + "; ".join(parts),
            where=self.file,
            fix=f"fix the column names in the profile's [columns] (the file's columns are: {cols}),"
            " or mark a column optional = true",
        )

    # -- canonical columns ----------------------------------------------------------------
    def _special(self) -> dict[str, str]:
        """Columns from [values] not mapped in [columns], and from the [population] section."""
        out: dict[str, str] = {}
        for col, vm in self.profile.values.items():
            if col not in self.profile.columns and vm.source:
                out.update(self._specs({col: ColumnSpec(sources=(vm.source,))}))
        pop = self.profile.population
        if self.profile.kind == "population" and pop:
            specs: dict[str, ColumnSpec] = {}
            for canonical, key in (
                ("area_set", "area_set"),
                ("year", "year"),
                ("source", "source"),
            ):
                if key in pop and canonical not in self.profile.columns:
                    specs[canonical] = ColumnSpec(const=pop[key])
            if "id" in pop and "area_id" not in self.profile.columns:
                specs["area_id"] = ColumnSpec(sources=(pop["id"],))
            out.update(self._specs(specs))
        return out

    def _specs(self, specs: dict[str, ColumnSpec]) -> dict[str, str]:
        out: dict[str, str] = {}
        for col, spec in specs.items():
            out[col] = self._column(col, spec)
            raw_col = f"{col}_raw"
            if col in self.profile.values and raw_col in self.types and raw_col not in specs:
                out[raw_col] = self._column(raw_col, ColumnSpec(sources=spec.sources[:1]))
        return out

    def _column(self, col: str, spec: ColumnSpec) -> str:
        """SQL over the stage table giving canonical column `col`."""
        if spec.const is not None and not spec.sources:
            return lit(spec.const)
        ts = [self._t(s, spec.optional) for s in spec.sources]
        if any(t is None for t in ts):
            return "NULL"  # an optional column the file lacks
        vm = self.profile.values.get(col)
        if vm is not None:
            t = self._t(vm.source, spec.optional) if vm.source else ts[0]
            if t is None:
                return "NULL"
            whens = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in vm.mapping.items())
            keep = vm.default is None and vm.unmapped == "keep"
            other = t if keep else lit(vm.default)
            mapped = f"CASE upper({t}) {whens} ELSE {other} END" if whens else other
            source = vm.source or spec.sources[0]
            check = None
            if vm.default is None:
                keys = f"upper({t}) IN ({lits(vm.mapping)})" if vm.mapping else "FALSE"
                cond = f"({t} IS NOT NULL AND NOT ({keys}))"
                if vm.unmapped == "quarantine":
                    # bad_sql fills {p} with str.format: braces in map keys must be doubled.
                    check = cond.replace("{", "{{").replace("}", "}}")
                elif col not in {u[0] for u in self.unmapped}:
                    self.unmapped.append((col, t, cond))
            return self._add(Parsed(f"CASE WHEN {t} IS NULL THEN {lit(vm.missing)} ELSE {mapped} END",
                                    check, source, t, "is not in the value map",
                                    check_kind="rule"))  # fmt: skip
        raw = _joined([str(x) for x in ts])
        if spec.parse == "sum":
            return self._sum(col, spec, [str(x) for x in ts], raw)
        if spec.pad:
            # lpad alone would cut a longer value to the width: pad only shorter ones.
            ts = [f"(CASE WHEN length({x}) < {n} THEN lpad({x}, {n}, '0') ELSE {x} END)"
                  if n else x for x, n in zip(ts, spec.pad, strict=True)]  # fmt: skip
        t = _joined([str(x) for x in ts])
        ctype = self.types.get(col, "VARCHAR")
        parse = spec.parse if spec.parse != "text" else DEFAULT_PARSE.get(ctype, "text")
        expr = self._parse(parse, t, spec, ctype)
        check = (
            None if parse == "text" or spec.optional else f"({raw} IS NOT NULL AND {{p}} IS NULL)"
        )
        source = " + ".join(spec.sources)
        if parse == "share" and spec.of:
            source += f" (share of {spec.of})"
        sentinel = parse in ("date", "datetime") and bool(self.opts.date_sentinels)
        return self._add(Parsed(expr, check, source, raw, REASONS.get(parse, ""), sentinel))

    def _sum(self, col: str, spec: ColumnSpec, ts: list[str], raw: str) -> str:
        """The sum of several number columns (civilian + sworn FTE): NULL only when all are
        missing; a value present in any of them that is not a number quarantines the row."""
        nums = [_number(t) for t in ts]
        total = " + ".join(f"coalesce({n}, 0)" for n in nums)
        present = " OR ".join(f"{t} IS NOT NULL" for t in ts)
        expr = f"(CASE WHEN {present} THEN {total} END)"
        bad = " OR ".join(
            f"({t} IS NOT NULL AND {n} IS NULL)" for t, n in zip(ts, nums, strict=True)
        )
        check = None if spec.optional else f"({bad})".replace("{", "{{").replace("}", "}}")
        if spec.optional:
            # An optional sum reads an unparseable part as missing, like any optional column.
            expr = f"(CASE WHEN {bad} THEN NULL ELSE {expr} END)"
        return self._add(
            Parsed(expr, check, " + ".join(spec.sources), raw, REASONS["sum"], check_kind="rule")
        )

    def _add(self, parsed: Parsed) -> str:
        self.parsed.append(parsed)
        return f"p{len(self.parsed) - 1}"

    def _parse(self, parse: str, t: str, spec: ColumnSpec, ctype: str) -> str:
        if parse == "text":
            return t
        if parse == "int":
            d = f"TRY_CAST(replace({t}, ',', '') AS DOUBLE)"
            target = "INTEGER" if ctype == "INTEGER" else "BIGINT"
            return f"(CASE WHEN {d} = trunc({d}) THEN TRY_CAST({d} AS {target}) END)"
        if parse == "float":
            return f"TRY_CAST({t} AS DOUBLE)"
        if parse in ("number", "share"):
            num = _number(t)
            if parse == "share" and spec.of:
                of = self._t(spec.of, spec.optional)
                return f"({num} / {spec.scale!r} * {_number(of) if of else 'NULL'})"
            return num
        if parse == "bool":
            p = self.profile
            return (f"(CASE WHEN upper({t}) IN ({lits(p.true_values)}) THEN TRUE"
                    f" WHEN upper({t}) IN ({lits(p.false_values)}) THEN FALSE END)")  # fmt: skip
        if parse == "excel_text":
            rx = r"'^(\d+)\.?(\d*?)0*E\+(\d+)$'"
            m = f"regexp_extract({t}, {rx}, ['i', 'f', 'e'])"
            # The LIKE guard is cheap; the regular expression only runs on likely candidates.
            return (f"(CASE WHEN {t} LIKE '%E+%' AND regexp_full_match({t}, {rx}) THEN {m}.i || {m}.f || 'E' ||"
                    f" lpad(CAST(CAST({m}.e AS INTEGER) - length({m}.f) AS VARCHAR), 2, '0')"
                    f" ELSE {t} END)")  # fmt: skip
        if parse == "fiscal_year":
            m = f"regexp_extract({t}, {FISCAL_YEAR}, ['s', 'e'])"
            start, end = f"TRY_CAST({m}.s AS INTEGER)", f"TRY_CAST({m}.e AS INTEGER)"
            # A short end year takes the start's leading digits ("2007/8" -> 2008) and rolls
            # over a century or decade when it would not come after the start ("1999/00" -> 2000).
            unit = f"CAST(pow(10, length({m}.e)) AS INTEGER)"
            base = f"({start} // {unit} * {unit} + {end})"
            return (f"(CASE WHEN {m}.e = '' THEN {start} WHEN length({m}.e) = 4 THEN {end}"
                    f" WHEN {base} <= {start} THEN {base} + {unit} ELSE {base} END)")  # fmt: skip
        if parse in ("wkt_x", "wkt_y"):
            rx = r"'^(?i)\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$'"
            return f"TRY_CAST(regexp_extract({t}, {rx}, {1 if parse == 'wkt_x' else 2}) AS DOUBLE)"
        o = self.opts
        if parse == "time":
            fmts = [spec.format] if spec.format else list(o.time_formats)
            return f"CAST({_strptime(t, fmts, None)} AS TIME)"
        if parse == "date":
            fmts = [spec.format] if spec.format else [*o.date_formats, *o.datetime_formats]
            return f"CAST({_strptime(t, fmts, o.timezone)} AS DATE)"
        fmts = [spec.format] if spec.format else [*o.datetime_formats, *o.date_formats]
        return _strptime(t, fmts, o.timezone)

    # -- SQL ------------------------------------------------------------------------------
    def prepare(self, table: pa.Table) -> pa.Table:
        """Add t{i}: the used columns trimmed, with null sentinels as NULL (Arrow is fast here)."""
        values = sorted({v.strip() for v in self.opts.null_values})
        nulls = pa.array(values, pa.string())
        for i, name in sorted(self.used.items()):
            col = trim(table.column(f"c{i}"))
            if values == [""]:
                col = _empty_as_null(col)
            else:
                hit = pc.is_in(col, value_set=nulls)
                if pc.any(hit).as_py():
                    col = pc.if_else(hit, pa.scalar(None, pa.string()), col)
            table = table.append_column(name, col)
        return table

    def _qs(self, source: str) -> str:
        qs = "".join(f", {p.expr} AS q{i}" for i, p in enumerate(self.parsed))
        return f"SELECT *{qs} FROM {source}"

    def _sentinel(self, i: int) -> str:
        return f"(CAST(q{i} AS DATE) IN ({lits(self.opts.date_sentinels)}))"

    def values_sql(self, source: str, keep: tuple[str, ...] = (), sentinels: bool = True) -> str:
        """SELECT of `__rec`, `__line`, the `keep` columns and every parsed value p{i}, with
        sentinel dates as NULL (unless `sentinels` is false: then the caller clears them)."""
        ps = []
        for i, p in enumerate(self.parsed):
            if p.sentinel and sentinels:
                ps.append(f"CASE WHEN {self._sentinel(i)} THEN NULL ELSE q{i} END AS p{i}")
            else:
                ps.append(f"q{i} AS p{i}")
        cols = ", ".join(["__rec", "__line", *keep, *ps])
        return f"SELECT {cols} FROM ({self._qs(source)})"

    def sentinel_sql(self, source: str) -> str | None:
        """SELECT counting the sentinel dates of `source`, or None when there are none to count."""
        hits = [f"CASE WHEN {self._sentinel(i)} THEN 1 ELSE 0 END"
                for i, p in enumerate(self.parsed) if p.sentinel]  # fmt: skip
        return f"SELECT sum({' + '.join(hits)}) FROM ({self._qs(source)})" if hits else None

    def unmapped_sql(self, source: str) -> str | None:
        """SELECT of column, raw value, count for values of `source` that no value map matched."""
        parts = [f"SELECT {lit(col)} AS col, {t} AS value, count(*) AS n FROM {source}"
                 f" WHERE {cond} GROUP BY {t}" for col, t, cond in self.unmapped]  # fmt: skip
        return " UNION ALL ".join(parts) if parts else None

    def verifiable(self) -> Verifiable | None:
        """Where each value of a "parse" check, and each date that may hold a sentinel, is
        stored, when every such value lands in one column of one output row; else None.

        Then ingest need not test those checks row by row: it inserts the parsed values, and a
        parse failed in a batch exactly when fewer stored values than present raw values are
        not NULL; sentinel dates are cleared after the insert."""
        if len(self.outputs) != 1 or "x" in self.outputs[0]:
            return None
        column = {v: k for k, v in self.outputs[0].items() if k != "city"}
        out = Verifiable({}, {})
        for i, p in enumerate(self.parsed):
            checked = bool(p.check) and p.check_kind == "parse"
            if (checked or p.sentinel) and f"p{i}" not in column:
                return None
            if checked:
                out.checked[i] = column[f"p{i}"]
            if p.sentinel:
                out.dated[i] = column[f"p{i}"]
        return out

    def present_sql(self, source: str, indexes: list[int]) -> str:
        """SELECT of how many rows of `source` have each parsed value's raw text present."""
        counts = [f"count({self.parsed[i].raw})" for i in indexes]
        return f"SELECT {', '.join(counts) or '0'} FROM {source}"

    def sentinel_test(self, column: str) -> str:
        """SQL true when a stored date or time `column` holds one of the date sentinels."""
        return f'(CAST("{column}" AS DATE) IN ({lits(self.opts.date_sentinels)}))'

    def _conditions(self) -> tuple[list[tuple[str, Parsed]], list[tuple[str, Any, str]]]:
        """SQL of each check (true: the row fails it) and of each exclusion rule."""
        fails = [(p.check.format(p=f"q{i}"), p) for i, p in enumerate(self.parsed) if p.check]
        excl: list[tuple[str, Any, str]] = []
        for t, e in self.exclusions:
            if t is None:
                continue
            if e.values:
                cond = f"upper({t}) IN ({lits(v.strip().upper() for v in e.values)})"
            else:
                keep = lits(v.strip().upper() for v in e.not_values)
                cond = f"coalesce(upper({t}) NOT IN ({keep}), TRUE)"
            excl.append((cond, e, t))
        return fails, excl

    def ruled_sql(self, source: str) -> str:
        """SELECT of `__rec` of the rows an exclusion or a "rule" check sends to quarantine:
        cheap text tests that read only the columns they need (no parsing of every row)."""
        fails, excl = self._conditions()
        tests = [c for c, p in fails if p.check_kind == "rule"] + [c for c, _, _ in excl]
        where = " OR ".join(f"({c})" for c in tests) or "FALSE"
        return f"SELECT __rec FROM ({self._qs(source)}) WHERE {where}"

    def bad_sql(self, source: str) -> str:
        """SELECT of the rows of `source` that go to quarantine: column, value, reason, raw."""
        fails, excl = self._conditions()
        if not fails and not excl:
            return f"SELECT * FROM {source} WHERE FALSE"
        # An exclusion rule wins over a parse failure: void / test rows often hold junk.
        column = _case(
            [(c, lit(e.column)) for c, e, _ in excl] + [(c, lit(p.source)) for c, p in fails]
        )
        value = _case([(c, t) for c, _, t in excl] + [(c, p.raw) for c, p in fails])
        reason = _case([(c, lit(e.reason)) for c, e, _ in excl]
                       + [(c, lit(f"{p.source}: {p.reason}")) for c, p in fails])  # fmt: skip
        bad = " OR ".join([f"({c})" for c, _ in fails] + [f"({c})" for c, _, _ in excl])
        return (
            f"SELECT __rec, __line, {column} AS column_name, {value} AS value, {reason} AS reason,"
            f" {self._raw_sql()} AS raw FROM ({self._qs(source)}) WHERE {bad}"
        )

    def _raw_sql(self) -> str:
        """The raw record rebuilt from its fields (quoted where needed), for quarantine.

        For CSV files the load then swaps in the record's own text from the file
        (`batches.BatchLoader._verbatim`); for Parquet, XLSX and .dbf tables this rebuilt line (cells
        as text, joined with read.delimiter) is what `raw` holds."""
        q, d = self.opts.quote, self.opts.delimiter
        parts = []
        for i in range(len(self.header)):
            c = f"c{i}"
            needs = f"({c} LIKE {lit('%' + d + '%')} OR {c} LIKE {lit('%' + q + '%')} OR {c} LIKE '%' || chr(10) || '%')"
            quoted = f"{lit(q)} || replace({c}, {lit(q)}, {lit(q + q)}) || {lit(q)}"
            parts.append(f"CASE WHEN {needs} THEN {quoted} ELSE {c} END")
        return f"concat_ws({lit(d)}, {', '.join(parts)})"


def _joined(ts: list[str]) -> str:
    """One text value from one or more source columns, space-separated."""
    return ts[0] if len(ts) == 1 else f"nullif(concat_ws(' ', {', '.join(ts)}), '')"


def _case(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return "NULL"
    return "CASE " + " ".join(f"WHEN {c} THEN {v}" for c, v in pairs) + " END"


def _number(t: str) -> str:
    """Money and counts: `$1,234`, `(1,234)` for a negative, `8.00E+01` from Excel."""
    clean = f"regexp_replace({t}, '[$,\\s()]', '', 'g')"
    sign = f"CASE WHEN {t} LIKE '(%)' THEN -1 ELSE 1 END"
    return f"({sign} * TRY_CAST({clean} AS DOUBLE))"


def _strptime(t: str, fmts: list[str], tz: str | None) -> str:
    """Try each strptime format; with none given, ISO 8601 text. Zoned formats become local time."""
    if not fmts:
        return f"TRY_CAST({t} AS TIMESTAMP)"
    plain = [f for f in fmts if "%z" not in f and "%Z" not in f]
    zoned = [f for f in fmts if f not in plain]
    parts = []
    if plain:
        parts.append(f"try_strptime({t}, [{lits(plain)}])")
    if zoned:
        parts.append(f"timezone({lit(tz or 'UTC')}, try_strptime({t}, [{lits(zoned)}]))")
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


# Bytes utf8_trim_whitespace trims that ascii_trim_whitespace does not: \x1c-\x1f and all
# non-ASCII (some of which start Unicode white space).
_UNICODE_SPACE = np.zeros(256, dtype=bool)
_UNICODE_SPACE[0x1C:0x20] = True
_UNICODE_SPACE[0x80:] = True


def trim(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Values without leading and trailing Unicode white space.

    Arrow's ASCII trim is several times faster and gives the same values when no byte could
    start other white space, which a pass over the bytes tells."""
    chunks = []
    for arr in col.chunks:
        data = arr.buffers()[2]
        raw = np.frombuffer(data, np.uint8) if data is not None else np.empty(0, np.uint8)
        plain = not raw.size or (raw.max() < 0x80 and not ((raw >= 0x1C) & (raw < 0x20)).any())
        trimmed = pc.ascii_trim_whitespace(arr) if plain else pc.utf8_trim_whitespace(arr)
        # Nothing trimmed (the usual case): keep the original, whose text the raw columns
        # already hold, rather than a second copy of it.
        chunks.append(arr if _text_bytes(trimmed) == _text_bytes(arr) else trimmed)
    return pa.chunked_array(chunks, pa.string())


def _text_bytes(arr: pa.Array) -> int:
    offsets = np.frombuffer(arr.buffers()[1], np.int32)
    return int(offsets[arr.offset + len(arr)] - offsets[arr.offset]) if len(arr) else 0


def _empty_as_null(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Empty values as NULL: a validity bitmap from the offsets, the strings themselves kept."""
    chunks = []
    for arr in col.chunks:
        offsets = np.frombuffer(arr.buffers()[1], np.int32)[arr.offset : arr.offset + len(arr) + 1]
        empty = offsets[1:] == offsets[:-1]
        if not empty.any():
            chunks.append(arr)
        elif arr.offset or arr.null_count:
            chunks.append(pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), arr))
        else:
            valid = pa.py_buffer(np.packbits(~empty, bitorder="little"))
            chunks.append(pa.Array.from_buffers(pa.string(), len(arr), [valid, *arr.buffers()[1:]]))
    return pa.chunked_array(chunks, pa.string())
