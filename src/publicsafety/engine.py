"""The one door to the store: a DuckDB file per workspace by default, or any Ibis backend URL.

Analyses call `Store.table(name)` and build Ibis expressions, so the same code runs on the
embedded DuckDB file and on a distributed engine (e.g. Spark through Ibis) chosen by URL.
Ingest writes through `Store.con`, the raw DuckDB connection, which only the embedded engine has.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

import duckdb
import ibis

from publicsafety import tables
from publicsafety.config import Settings, settings
from publicsafety.errors import StoreError


class Store:
    """An open workspace store."""

    def __init__(
        self,
        cfg: Settings,
        con: duckdb.DuckDBPyConnection | None,
        backend: Any,
    ) -> None:
        self.settings = cfg
        self._con = con
        self.backend = backend
        self._tables: dict[str, ibis.Table] = {}  # the canonical tables' schemas never change

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection (embedded engine only)."""
        if self._con is None:
            raise StoreError(
                "this operation needs the embedded DuckDB store",
                where=self.settings.engine_url,
                fix="run ingest with the default engine, then point analyses at the other engine",
            )
        return self._con

    @property
    def is_duckdb(self) -> bool:
        return self._con is not None

    def table(self, name: str) -> ibis.Table:
        if self._con is not None:
            # DuckDB 2.0 refuses new work while a result of execute() is unread (a fetchone()
            # in a notebook cell, say); Ibis would fail on it. Such a result is finished here.
            self._con.complete()
        if name in self._tables:
            return self._tables[name]
        if name not in tables.TABLES and name not in self.backend.list_tables():
            raise StoreError(
                f"no table named {name!r} in the store",
                where=str(self.settings.store_path),
                fix=f"known tables: {', '.join(sorted(tables.TABLES))}",
            )
        table = self.backend.table(name)
        if name in tables.TABLES:
            self._tables[name] = table
        return table

    def count(self, name: str, where: str | None = None) -> int:
        sql = f'SELECT count(*) FROM "{name}"' + (f" WHERE {where}" if where else "")
        # fetchall: with DuckDB 2.0 a fetchone() leaves the result open and a later
        # con.register() on the same connection fails.
        rows = self.con.execute(sql).fetchall()
        return int(rows[0][0]) if rows else 0

    def close(self) -> None:
        if self._con is not None:
            with suppress(Exception):
                self._con.close()
            self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for name in tables.TABLES:
        con.execute(tables.ddl(name))


def open_store(
    workspace: Path | str | None = None,
    *,
    engine_url: str | None = None,
    read_only: bool = False,
    threads: int | None = None,
) -> Store:
    """Open (creating if needed) the workspace store, or connect to the engine at `engine_url`."""
    cfg = settings(workspace, engine_url)
    if cfg.engine_url == "pyspark://local":
        from publicsafety.engines import spark  # imported here: Spark starts only when asked for

        return spark.open_local(cfg)
    if cfg.engine_url and not cfg.engine_url.startswith("duckdb"):
        return Store(cfg, None, ibis.connect(cfg.engine_url))
    path = cfg.store_path
    if cfg.engine_url:
        path = Path(cfg.engine_url.split("://", 1)[1] or path)
    if read_only and not path.exists():
        raise StoreError(
            "the workspace has no store yet",
            where=str(path),
            fix="load data first with `publicsafety ingest FILE --profile NAME` or run `publicsafety demo`",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {}
    if threads:
        config["threads"] = threads
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        raise StoreError(
            f"cannot open the store: {exc}",
            where=str(path),
            fix="close other programs using this workspace (another publicsafety command or notebook)",
        ) from exc
    if not read_only:
        create_schema(con)
    return Store(cfg, con, ibis.duckdb.from_connection(con))


def memory_store(threads: int | None = None) -> Store:
    """A throw-away in-memory store (tests, notebooks)."""
    cfg = settings(Path("."))
    con = duckdb.connect(":memory:", config={"threads": threads} if threads else {})
    create_schema(con)
    return Store(cfg, con, ibis.duckdb.from_connection(con))
