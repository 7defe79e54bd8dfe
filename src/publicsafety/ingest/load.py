"""Load one file into the store: checksum, read in batches, normalise in DuckDB, account for rows.

One load is one transaction: it either lands whole (rows, quarantine, a `loads` history row,
area placements) or not at all. The same file with the same profile is loaded once; loading it
again changes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publicsafety import tables
from publicsafety.engine import Store
from publicsafety.errors import InputError
from publicsafety.ingest import quarantine
from publicsafety.ingest.normalize import VALUE_COLUMN, Plan, lit
from publicsafety.ingest.readers import open_reader, prefetch
from publicsafety.profiles import Profile, load_profile
from publicsafety.vocab import Kind

Progress = Callable[[int, int], None]  # (bytes done, bytes total)
EVENT_KINDS = frozenset(tables.EVENT_TABLES)
ANY_CITY = "any"  # [profile] city of a profile that fits every city (the caller names it)


@dataclass
class IngestResult:
    load_id: int
    file: str
    profile: str
    kind: str
    city: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    skipped: bool = False
    seconds: float = 0.0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    rows_blank: int = 0  # records with every field empty: no data, not counted as rows
    dates_sentinel: int = 0  # date values that were a "never happened" sentinel, read as missing
    bytes_replaced: int = 0  # bytes not valid in the file's encoding, kept as U+FFFD
    duplicate_headers: list[str] = field(default_factory=list)
    # Raw values a value map without `default` did not match: column -> raw value -> rows.
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    quarantine_file: str | None = None
    messages: list[str] = field(default_factory=list)
    placed: bool | None = None  # area ids assigned (None: not an event table or no areas code)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def _scalar(store: Store, sql: str, params: list[Any] | None = None) -> Any:
    rows = store.con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def _previous(store: Store, checksum: str, profile: str) -> IngestResult | None:
    rows = store.con.execute(
        "SELECT load_id, source_file, kind, city, rows_read, rows_loaded, rows_quarantined"
        " FROM loads WHERE checksum = ? AND profile = ? ORDER BY load_id LIMIT 1",
        [checksum, profile],
    ).fetchall()
    if not rows:
        return None
    row = rows[0]
    reasons = dict(store.con.execute(
        "SELECT reason, count(*) FROM quarantine WHERE load_id = ? GROUP BY reason ORDER BY reason",
        [row[0]],
    ).fetchall())  # fmt: skip
    return IngestResult(row[0], row[1], profile, row[2], row[3], row[4], row[5], row[6],
                        skipped=True, quarantine_reasons=reasons)  # fmt: skip


def ingest_file(
    store: Store,
    path: Path | str,
    profile: Profile | str | Path,
    *,
    progress: Progress | None = None,
    quarantine_dir: Path | None = None,
    city: str | None = None,
) -> IngestResult:
    """Load `path` through `profile` (a Profile, a built-in name or a TOML path).

    Quarantined rows are also written as CSV to `quarantine_dir` (default: the workspace's
    quarantine folder for a store on disk; none for an in-memory store). `city` replaces the
    profile's city; a profile for any city (city = "any", such as acs_population_tracts) needs it.
    """
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    if city:
        prof = dataclasses.replace(prof, city=city)
    elif prof.city == ANY_CITY:
        raise InputError(
            f"the profile {prof.name!r} is for any city, and the file does not say which",
            where=str(path),
            fix=f'pass city="Your City" to ingest_file, or copy the profile ({prof.path or prof.name})'
            " and set city in its [profile] table",
        )
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", where=str(path), fix="check the path and try again")
    started = time.perf_counter()
    checksum = sha256(path)
    before = _previous(store, checksum, prof.name)
    if before is not None:
        before.seconds = time.perf_counter() - started
        before.messages.append(
            f"{path.name} was already loaded with profile {prof.name} (load {before.load_id});"
            " nothing changed."
        )
        return before
    con = store.con
    load_id = int(_scalar(store, "SELECT coalesce(max(load_id), 0) + 1 FROM loads"))
    result = IngestResult(load_id, path.name, prof.name, prof.kind, prof.city)
    con.execute("BEGIN TRANSACTION")
    try:
        if prof.kind == Kind.AREAS:
            _load_areas(store, path, prof, result)
        else:
            _load_rows(store, path, prof, result, progress)
            _check_stored(store, prof, result, path)
        if result.rows_read != result.rows_loaded + result.rows_quarantined:
            raise InputError(
                f"internal error: rows read ({result.rows_read:,}) != rows loaded"
                f" ({result.rows_loaded:,}) + rows quarantined ({result.rows_quarantined:,})",
                where=str(path),
                fix="nothing was loaded; please report this file and profile",
            )
        if prof.kind in EVENT_KINDS and result.rows_loaded:
            result.placed = _place(store, prof.kind, load_id)
        result.seconds = time.perf_counter() - started
        con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, prof.city, prof.kind, prof.name, path.name, str(path), checksum,
             result.rows_read, result.rows_loaded, result.rows_quarantined,
             datetime.now().replace(microsecond=0), result.seconds,
             prof.areas.get("area_set") or prof.population.get("area_set")],
        )  # fmt: skip
        con.execute("COMMIT")
    except BaseException:
        with suppress(duckdb.Error):  # keep the original error, not a failed rollback's
            con.execute("ROLLBACK")
        raise
    qdir = quarantine_dir if quarantine_dir is not None else quarantine.default_dir(store)
    if result.rows_quarantined and qdir is not None:
        result.quarantine_file = str(quarantine.write_csv(store, load_id, path.name, qdir))
    result.messages = quarantine.messages(store, result, prof) + result.messages
    return result


def _check_stored(store: Store, prof: Profile, result: IngestResult, path: Path) -> None:
    """What the store now holds for this load must match the reader's own counts."""
    held = _scalar(store, "SELECT count(*) FROM quarantine WHERE load_id = ?", [result.load_id])
    stored = _scalar(
        store, f'SELECT count(*) FROM "{prof.table}" WHERE load_id = ?', [result.load_id]
    )
    # With [[rows]] an input row yields up to one row per entry (none when values are missing).
    most = result.rows_loaded * max(1, len(prof.rows))
    fits = stored == result.rows_loaded if not prof.rows else stored <= most
    if held != result.rows_quarantined or not fits:
        raise InputError(
            f"internal error: the store holds {stored:,} rows and {held:,} quarantined rows for"
            f" this load, but the reader counted {result.rows_loaded:,} loaded and"
            f" {result.rows_quarantined:,} quarantined",
            where=str(path),
            fix="nothing was loaded; please report this file and profile",
        )


def _load_areas(store: Store, path: Path, prof: Profile, result: IngestResult) -> None:
    try:
        from publicsafety.ingest.areas import load_areas
    except ImportError as exc:
        raise InputError(
            "area files cannot be loaded yet: the areas loader is not installed",
            where=str(path),
        ) from exc
    read, loaded, quarantined = load_areas(store, path, prof, result.load_id)
    result.rows_read, result.rows_loaded, result.rows_quarantined = read, loaded, quarantined


def _place(store: Store, kind: str, load_id: int) -> bool:
    """Assign area ids to the new points; False when the areas code is not there yet."""
    try:
        from publicsafety.ingest.areas import place
    except ImportError:
        return False
    place(store, kind, load_id)
    return True


def _load_rows(
    store: Store, path: Path, prof: Profile, result: IngestResult, progress: Progress | None
) -> None:
    reader = open_reader(path, prof)
    try:
        if reader.header is None:
            return  # an empty file: nothing to read
        result.duplicate_headers = reader.duplicates
        plan = Plan(prof, reader.header, path.name)
        loader = _BatchLoader(store, plan, prof, result, path.name)
        total = path.stat().st_size

        def tick() -> None:
            if progress:
                progress(reader.position, total)

        for batch in prefetch(reader.batches(tick)):
            loader.load(batch)
        result.bytes_replaced = reader.replaced
        if loader.rebuilt:
            rows = pa.concat_tables(loader.rebuilt)
            quarantine.keep_verbatim(store.con, path, prof, result.load_id, rows)
    finally:
        reader.close()
    if progress:
        progress(total, total)


class _BatchLoader:
    """Loads batches of one file: stage, insert good rows, quarantine the rest, count."""

    def __init__(self, store: Store, plan: Plan, prof: Profile, result: IngestResult, file: str):
        self.con = store.con
        self.plan = plan
        self.prof = prof
        self.result = result
        self.file = file
        table = prof.table
        self.table = table
        names = set(tables.column_names(table))
        self.outputs = [{k: v for k, v in o.items() if k in names or k in ("x", "y", "city")}
                        for o in plan.outputs]  # fmt: skip
        self.per_record = max(1, len(self.outputs))
        self.rebuilt: list[pa.Table] = []  # (line, raw) of quarantined CSV rows
        self.base = int(_scalar(store, f'SELECT coalesce(max(row_id), 0) FROM "{table}"'))
        self.lon = "lng" if "lng" in names else "lon"
        self.xy = "x" in self.outputs[0] and "y" in self.outputs[0]
        if self.xy and not prof.read.crs:
            raise InputError(
                "the profile maps projected x / y columns but gives no read.crs",
                where=str(prof.path or prof.name),
                fix='set crs = "EPSG:nnnn" in [read] (the coordinate system of the x / y columns)',
            )

    def load(self, batch: Any) -> None:
        # Arrow tables reach DuckDB as relations queried under a name (`run`), not through
        # con.register: inside the load's transaction a registered view is kept, with its
        # data, until commit, so memory would grow with every batch.
        con, r = self.con, self.result
        batch_rows = self.plan.prepare(batch.table)
        # Rows that fail are few: find them first, then load the rest in one INSERT.
        bad = run(con, batch_rows, "batch_rows", self.plan.bad_sql("batch_rows")).to_arrow_table()
        good_rows = batch_rows
        if bad.num_rows:
            keep = pc.invert(pc.is_in(batch_rows.column("__rec"), value_set=bad.column("__rec")))
            good_rows = batch_rows.filter(keep)
        r.rows_read += batch.table.num_rows + len(batch.bad)
        r.rows_loaded += good_rows.num_rows
        r.rows_quarantined += bad.num_rows + len(batch.bad)
        r.rows_blank += batch.blank
        self._insert(good_rows)
        sentinels = self.plan.sentinel_sql("good_rows")
        if sentinels and good_rows.num_rows:
            got = run(con, good_rows, "good_rows", sentinels).fetchall()
            r.dates_sentinel += int(got[0][0] or 0)
        unmapped = self.plan.unmapped_sql("good_rows")
        if unmapped and good_rows.num_rows:
            for col, value, n in run(con, good_rows, "good_rows", unmapped).fetchall():
                per = r.unmapped.setdefault(col, {})
                per[value] = per.get(value, 0) + int(n)
        if bad.num_rows:
            quarantine.insert_rows(con, bad, self.prof, r.load_id, self.file)
            if self.prof.read.format == "csv":
                # Their raw is rebuilt from fields; the file's own text replaces it after the load.
                line, raw = bad.column("__line"), bad.column("raw")
                self.rebuilt.append(pa.table({"line": line, "raw": raw}))
        if batch.bad:
            quarantine.insert_bad(con, batch.bad, self.prof, r.load_id, self.file)

    def _insert(self, good_rows: pa.Table) -> None:
        con = self.con
        source = f"({self.plan.values_sql('good_rows')})"
        if self.xy:
            good_rows = self._project(source, good_rows)
            source = f"({self.plan.values_sql('good_rows', ('__lon', '__lat'))})"
        city = lit(self.prof.city)
        for j, out in enumerate(self.outputs):
            cols = {k: v for k, v in out.items() if k not in ("x", "y")}
            if "city" in cols:
                city = f"coalesce({cols.pop('city')}, {city})"
            if self.xy:
                cols[self.lon], cols["lat"] = "__lon", "__lat"
            names = ["city", "load_id", "row_id", "source_file", "source_line", *cols]
            values = [city, str(self.result.load_id), f"{self.base} + __rec * {self.per_record} + {j}",
                      lit(self.file), "__line", *cols.values()]  # fmt: skip
            where = "TRUE"
            value_col = VALUE_COLUMN.get(self.prof.kind)
            if self.prof.rows and value_col in cols:
                where = f"({cols[value_col]}) IS NOT NULL"
            col_sql = ", ".join(f'"{n}"' for n in names)
            sql = f'INSERT INTO "{self.table}" ({col_sql}) SELECT {", ".join(values)}'
            run(con, good_rows, "good_rows", f"{sql} FROM {source} WHERE {where}")

    def _project(self, source: str, good_rows: pa.Table) -> pa.Table:
        """`good_rows` with __lon / __lat: its projected x / y converted by pyproj."""
        from publicsafety.ingest.geo import to_wgs84

        x_sql, y_sql = self.outputs[0]["x"], self.outputs[0]["y"]
        sql = f"SELECT {x_sql}, {y_sql} FROM {source} ORDER BY __rec"
        got = run(self.con, good_rows, "good_rows", sql).fetchnumpy()
        x, y = (np.ma.filled(np.ma.asarray(v, dtype="float64"), np.nan) for v in got.values())
        lon, lat = to_wgs84(x, y, str(self.prof.read.crs))
        # NaN (no point, or one the projection cannot convert) is stored as NULL. Rows of
        # good_rows are in __rec order, as the query's result is.
        good_rows = good_rows.append_column("__lon", pa.array(lon, from_pandas=True))
        return good_rows.append_column("__lat", pa.array(lat, from_pandas=True))


def run(con: duckdb.DuckDBPyConnection, table: pa.Table, name: str, sql: str) -> Any:
    """Run `sql` with the Arrow `table` visible as `name` (no catalog entry is made)."""
    return con.from_arrow(table).query(name, sql)
