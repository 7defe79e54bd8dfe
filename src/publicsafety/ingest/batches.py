"""Write the batches of one file into the store: parse in DuckDB, quarantine, count, place.

Batches from the reader are joined into groups of about GROUP_ROWS rows: DuckDB parses and
writes a group on every core. Each group's quarantined CSV records get their own text from the
file (`verbatim.LineFinder`) and its new rows their areas (`placing.Placer`) before the next
group, so no pass over the file or the rows is left for after the load.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publicsafety import tables
from publicsafety.engine import Store
from publicsafety.errors import InputError
from publicsafety.ingest import quarantine
from publicsafety.ingest.csvread import Batch, text_breaks
from publicsafety.ingest.normalize import VALUE_COLUMN, Plan, lit
from publicsafety.ingest.placing import Placed, Placer
from publicsafety.ingest.result import IngestResult
from publicsafety.ingest.verbatim import LineFinder
from publicsafety.profiles import Profile

GROUP_ROWS = 1 << 19


def grouped(batches: Iterator[Batch]) -> Iterator[Batch]:
    """Batches joined into groups of at least GROUP_ROWS rows (the last may be smaller)."""
    held: list[Batch] = []
    rows = 0
    for batch in batches:
        held.append(batch)
        rows += batch.table.num_rows
        if rows >= GROUP_ROWS:
            yield _join(held)
            held, rows = [], 0
    if held:
        yield _join(held)


def _join(batches: list[Batch]) -> Batch:
    if len(batches) == 1:
        return batches[0]
    table = pa.concat_tables([b.table for b in batches])
    return Batch(table, [bad for b in batches for bad in b.bad], sum(b.blank for b in batches))


class BatchLoader:
    """Loads batches of one file: stage, insert good rows, quarantine the rest, count."""

    def __init__(
        self,
        store: Store,
        plan: Plan,
        prof: Profile,
        result: IngestResult,
        file: str,
        *,
        finder: LineFinder | None = None,
        placer: Placer | None = None,
    ) -> None:
        self.store = store
        self.con = store.con
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-worker")
        self.pending: list[Future[object]] = []
        self.finder = finder  # the file's own text of quarantined records (CSV)
        self.placer = placer  # areas of the new rows (event tables)
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
        got = store.con.execute(f'SELECT coalesce(max(row_id), 0) FROM "{table}"').fetchall()
        self.base = int(got[0][0])
        self.lon = "lng" if "lng" in names else "lon"
        self.xy = "x" in self.outputs[0] and "y" in self.outputs[0]
        # Parse checks verified by counts after the insert (see _load_fast), when each parsed
        # value lands in a column of the table.
        verify = plan.verifiable()
        self.verify = verify if verify and verify.columns() <= set(self.outputs[0]) else None
        if self.xy and not prof.read.crs:
            raise InputError(
                "the profile maps projected x / y columns but gives no read.crs",
                where=str(prof.path or prof.name),
                fix='set crs = "EPSG:nnnn" in [read] (the coordinate system of the x / y columns)',
            )

    def load(self, batch: Batch) -> None:
        # Arrow tables reach DuckDB as relations queried under a name (`run`), not through
        # con.register: inside the load's transaction a registered view is kept, with its
        # data, until commit, so memory would grow with every batch.
        r = self.result
        rows = batch.table  # prepared (Plan.prepare) in the reader's thread
        r.rows_read += rows.num_rows + len(batch.bad)
        r.rows_blank += batch.blank
        bad = self._load_fast(rows) if self.verify is not None and rows.num_rows else None
        if bad is None:
            bad = self._load_checked(rows)
        r.rows_loaded += rows.num_rows - bad.num_rows
        r.rows_quarantined += bad.num_rows + len(batch.bad)
        if batch.bad:
            quarantine.insert_bad(self.con, batch.bad, self.prof, r.load_id, self.file)
        # Finding quarantined records' text in the file and new points' areas is numpy work,
        # done in a thread while DuckDB writes the next group; its results are stored then.
        tasks: list[Callable[[], object]] = []
        if bad.num_rows:
            tasks.append(functools.partial(self._verbatim, bad))
        if self.placer is not None and rows.num_rows > bad.num_rows:
            recs = rows.column("__rec")
            lo = self.base + int(pc.min(recs).as_py()) * self.per_record
            hi = self.base + (int(pc.max(recs).as_py()) + 1) * self.per_record - 1
            tasks.extend(placed.assign for placed in self.placer.points(lo, hi))
        self.finish()
        self.pending = [self.worker.submit(task) for task in tasks]

    def finish(self) -> None:
        """Store what the thread found for the previous group (quarantine, placements)."""
        for future in self.pending:
            done = future.result()
            if isinstance(done, Placed):
                done.write(self.store, self.table)
            else:
                assert isinstance(done, pa.Table)
                quarantine.insert_rows(self.con, done, self.prof, self.result.load_id, self.file)
        self.pending = []

    def close(self) -> None:
        for future in self.pending:
            future.cancel()
        self.worker.shutdown(wait=True)

    def _verbatim(self, bad: pa.Table) -> pa.Table:
        """`bad` with each record's own text from the file as `raw` where it can be found.

        The raw that `Plan.bad_sql` gives is rebuilt from the fields; it holds the record's
        inner line breaks, so it tells how many lines to read."""
        if self.finder is None:
            return bad
        lines = bad.column("__line").to_pylist()
        rebuilt = bad.column("raw").to_pylist()
        spans = [
            (int(n), text_breaks(raw or "") + 1) for n, raw in zip(lines, rebuilt, strict=True)
        ]
        found = self.finder.texts(spans)
        raw = [found.get(int(n), text) for n, text in zip(lines, rebuilt, strict=True)]
        return bad.set_column(bad.schema.get_field_index("raw"), "raw", pa.array(raw, pa.string()))

    def _load_checked(self, rows: pa.Table) -> pa.Table:
        """Test every check row by row, insert the rows that pass; the failing rows."""
        con = self.con
        bad = run(con, rows, "batch_rows", self.plan.bad_sql("batch_rows")).to_arrow_table()
        good, source = _passing(rows, bad)
        if self.xy:
            good = good.filter(pc.invert(good.column("__bad"))) if bad.num_rows else good
            source = "good_rows"
        self._insert(good, source)
        sentinels = self.plan.sentinel_sql(source)
        if sentinels and rows.num_rows > bad.num_rows:
            got = run(con, good, "good_rows", sentinels).fetchall()
            self.result.dates_sentinel += int(got[0][0] or 0)
        self._unmapped(good, source)
        return bad

    def _load_fast(self, rows: pa.Table) -> pa.Table | None:
        """Insert parsing every row once: rows failing an exclusion or a rule check are found
        first (cheap text tests), the parse checks are verified by counts after the insert.
        None when a parse failed in this batch: its rows are removed again, and the caller
        tests it row by row."""
        con, plan, verify = self.con, self.plan, self.verify
        assert verify is not None
        # The few rows an exclusion or rule check catches are described by the full test,
        # run on them alone (it reads every column).
        ruled = run(con, rows, "batch_rows", plan.ruled_sql("batch_rows")).fetchnumpy()["__rec"]
        few = _take_sorted(rows, np.searchsorted(rows.column("__rec").to_numpy(), np.sort(ruled)))
        bad = run(con, few, "batch_rows", plan.bad_sql("batch_rows")).to_arrow_table()
        good, source = _passing(rows, bad)
        self._insert(good, source, sentinels=False)
        indexes = list(verify.checked)
        present = run(con, good, "good_rows", plan.present_sql(source, indexes)).fetchall()[0]
        recs = rows.column("__rec")
        lo, hi = self.base + int(pc.min(recs).as_py()), self.base + int(pc.max(recs).as_py())
        stored_sql = [f'count("{verify.checked[i]}")' for i in indexes]
        dated = list(verify.dated.values())
        stored_sql += [f"count(*) FILTER (WHERE {plan.sentinel_test(c)})" for c in dated]
        span = f"load_id = {self.result.load_id} AND row_id BETWEEN {lo} AND {hi}"
        got = con.execute(
            f'SELECT {", ".join(stored_sql) or "0"} FROM "{self.table}" WHERE {span}'
        ).fetchall()[0]
        n = len(indexes)
        if any(int(a) != int(b) for a, b in zip(present[:n], got[:n], strict=True)):
            con.execute(f'DELETE FROM "{self.table}" WHERE {span}')
            return None
        for column, hits in zip(dated, got[n : n + len(dated)], strict=True):
            if hits:
                con.execute(
                    f'UPDATE "{self.table}" SET "{column}" = NULL'
                    f" WHERE {span} AND {plan.sentinel_test(column)}"
                )
                self.result.dates_sentinel += int(hits)
        self._unmapped(good, source)
        return bad

    def _unmapped(self, good: pa.Table, source: str) -> None:
        unmapped = self.plan.unmapped_sql(source)
        if unmapped:
            r = self.result
            for col, value, n in run(self.con, good, "good_rows", unmapped).fetchall():
                per = r.unmapped.setdefault(col, {})
                per[value] = per.get(value, 0) + int(n)

    def _insert(self, good_rows: pa.Table, source: str, sentinels: bool = True) -> None:
        con = self.con
        values = f"({self.plan.values_sql(source, sentinels=sentinels)})"
        if self.xy:
            good_rows = self._project(values, good_rows)
            values = f"({self.plan.values_sql(source, ('__lon', '__lat'))})"
        city = lit(self.prof.city)
        for j, out in enumerate(self.outputs):
            cols = {k: v for k, v in out.items() if k not in ("x", "y")}
            if "city" in cols:
                city = f"coalesce({cols.pop('city')}, {city})"
            if self.xy:
                cols[self.lon], cols["lat"] = "__lon", "__lat"
            names = ["city", "load_id", "row_id", "source_file", "source_line", *cols]
            values_ = [city, str(self.result.load_id), f"{self.base} + __rec * {self.per_record} + {j}",
                       lit(self.file), "__line", *cols.values()]  # fmt: skip
            where = "TRUE"
            value_col = VALUE_COLUMN.get(self.prof.kind)
            if self.prof.rows and value_col in cols:
                where = f"({cols[value_col]}) IS NOT NULL"
            col_sql = ", ".join(f'"{n}"' for n in names)
            sql = f'INSERT INTO "{self.table}" ({col_sql}) SELECT {", ".join(values_)}'
            run(con, good_rows, "good_rows", f"{sql} FROM {values} WHERE {where}")

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


def _passing(rows: pa.Table, bad: pa.Table) -> tuple[pa.Table, str]:
    """`rows` (as `good_rows`) and the SQL source of those not in `bad`: a `__bad` flag column
    is added when some failed (filtering an Arrow table copies every column; DuckDB skips them)."""
    if not bad.num_rows:
        return rows, "good_rows"
    failed = np.isin(rows.column("__rec").to_numpy(), bad.column("__rec").to_numpy())
    rows = rows.append_column("__bad", pa.array(failed))
    return rows, "(SELECT * FROM good_rows WHERE NOT __bad)"


def _take_sorted(rows: pa.Table, at: np.ndarray) -> pa.Table:
    """The rows at sorted positions `at`, taken batch by batch (Table.take would first copy
    every chunk into one)."""
    parts, start = [], 0
    for rb in rows.to_batches():
        lo, hi = np.searchsorted(at, [start, start + rb.num_rows])
        if hi > lo:
            parts.append(rb.take(pa.array(at[lo:hi] - start, pa.int64())))
        start += rb.num_rows
    return pa.Table.from_batches(parts, schema=rows.schema)
