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
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from publicsafety import tables
from publicsafety.engine import Store
from publicsafety.errors import InputError
from publicsafety.ingest import quarantine
from publicsafety.ingest.batches import GROUP_ROWS, BatchLoader, grouped
from publicsafety.ingest.csvread import NotUtf8Error
from publicsafety.ingest.normalize import Plan
from publicsafety.ingest.placing import Placer
from publicsafety.ingest.readers import open_reader
from publicsafety.ingest.result import IngestResult
from publicsafety.ingest.threads import prefetch
from publicsafety.ingest.verbatim import LineFinder
from publicsafety.profiles import Profile, load_profile
from publicsafety.vocab import Kind

Progress = Callable[[int, int], None]  # (bytes done, bytes total)
EVENT_KINDS = frozenset(tables.EVENT_TABLES)
ANY_CITY = "any"  # [profile] city of a profile that fits every city (the caller names it)


_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-sha256")


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
    # The usual repeat is the same file under the same name: then the checksum comes first
    # and the load is skipped. Otherwise it is computed beside the load (another core), and a
    # renamed copy of a loaded file is still caught before the load commits.
    checksum: Future[str] | str
    if _named_before(store, path.name, prof.name):
        checksum = sha256(path)
        before = _previous(store, checksum, prof.name)
        if before is not None:
            return _already(before, path, prof, started)
    else:
        checksum = _HASHER.submit(sha256, path)
    con = store.con
    load_id = int(_scalar(store, "SELECT coalesce(max(load_id), 0) + 1 FROM loads"))
    result = IngestResult(load_id, path.name, prof.name, prof.kind, prof.city)
    # Rows carry their own row_id and source line, so the order DuckDB writes them in does not
    # matter; letting it write in any order lets every core insert.
    order = _scalar(store, "SELECT current_setting('preserve_insertion_order')")
    con.execute("SET preserve_insertion_order = false")
    con.execute("BEGIN TRANSACTION")
    try:
        if prof.kind == Kind.AREAS:
            _load_areas(store, path, prof, result)
        else:
            try:
                _load_rows(store, path, prof, result, progress)
            except NotUtf8Error:
                # Stray bytes in a row Arrow could not split: start again, decoding in Python.
                con.execute("ROLLBACK")
                con.execute("BEGIN TRANSACTION")
                result = IngestResult(load_id, path.name, prof.name, prof.kind, prof.city)
                _load_rows(store, path, prof, result, progress, native=False)
            _check_stored(store, prof, result, path)
        if result.rows_read != result.rows_loaded + result.rows_quarantined:
            raise InputError(
                f"internal error: rows read ({result.rows_read:,}) != rows loaded"
                f" ({result.rows_loaded:,}) + rows quarantined ({result.rows_quarantined:,})",
                where=str(path),
                fix="nothing was loaded; please report this file and profile",
            )
        if isinstance(checksum, Future):
            checksum = checksum.result()
            before = _previous(store, checksum, prof.name)
            if before is not None:
                con.execute("ROLLBACK")
                return _already(before, path, prof, started)
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
    finally:
        with suppress(duckdb.Error):
            con.execute(f"SET preserve_insertion_order = {bool(order)}")
    qdir = quarantine_dir if quarantine_dir is not None else quarantine.default_dir(store)
    if result.rows_quarantined and qdir is not None:
        result.quarantine_file = str(quarantine.write_csv(store, load_id, path.name, qdir))
    result.messages = quarantine.messages(store, result, prof) + result.messages
    return result


def _named_before(store: Store, file: str, profile: str) -> bool:
    rows = store.con.execute(
        "SELECT count(*) FROM loads WHERE source_file = ? AND profile = ?", [file, profile]
    ).fetchall()
    return bool(rows[0][0])


def _already(before: IngestResult, path: Path, prof: Profile, started: float) -> IngestResult:
    before.seconds = time.perf_counter() - started
    before.messages.append(
        f"{path.name} was already loaded with profile {prof.name} (load {before.load_id});"
        " nothing changed."
    )
    return before


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


def _load_rows(
    store: Store,
    path: Path,
    prof: Profile,
    result: IngestResult,
    progress: Progress | None,
    native: bool = True,
) -> None:
    reader = open_reader(path, prof, native)
    finder = placer = None
    try:
        if reader.header is None:
            return  # an empty file: nothing to read
        result.duplicate_headers = reader.duplicates
        plan = Plan(prof, reader.header, path.name)
        total = path.stat().st_size
        if prof.read.format == "csv":
            finder = LineFinder(path, prof.read.encoding)
        if prof.kind in EVENT_KINDS:
            placer = Placer(store, prof.kind, result.load_id, min(GROUP_ROWS, total // 100 + 1))
        loader = BatchLoader(store, plan, prof, result, path.name, finder=finder, placer=placer)

        def tick() -> None:
            if progress:
                progress(reader.position, total)

        # Arrow work (trim, null sentinels) runs in the reader's thread; DuckDB gets groups of
        # about GROUP_ROWS rows, which it parses and writes on every core.
        prepared = (
            dataclasses.replace(b, table=plan.prepare(b.table)) for b in reader.batches(tick)
        )
        try:
            for group in grouped(prefetch(prepared)):
                loader.load(group)
            loader.finish()
        finally:
            loader.close()
        result.bytes_replaced = reader.replaced
        result.placed = placer is not None and result.rows_loaded > 0
    finally:
        reader.close()
        if finder is not None:
            finder.close()
    if progress:
        progress(total, total)
