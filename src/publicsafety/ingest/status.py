"""What the workspace holds: rows per canonical table, and per loaded file with quarantine counts."""

from __future__ import annotations

from typing import Any

from publicsafety import tables
from publicsafety.engine import Store

DATA_TABLES = [t for t in tables.TABLES if t not in ("quarantine", "loads", "placements")]


def status(store: Store) -> list[dict[str, Any]]:
    """One dict per canonical data table: `table`, `rows`, `quarantined`, and its `files`.

    Each file entry is one load: load_id, file, profile, city, rows read / loaded / quarantined,
    when it was loaded and how long it took. Tables with no rows and no loads are included with
    zeros so the answer always lists every table.
    """
    con = store.con
    loads = con.execute(
        "SELECT load_id, kind, source_file, profile, city, rows_read, rows_loaded,"
        " rows_quarantined, started_at, seconds FROM loads ORDER BY load_id"
    ).fetchall()
    quarantined = dict(
        con.execute("SELECT kind, count(*) FROM quarantine GROUP BY kind").fetchall()
    )
    out = []
    for table in DATA_TABLES:
        files = [
            {
                "load_id": r[0],
                "file": r[2],
                "profile": r[3],
                "city": r[4],
                "rows_read": r[5],
                "rows_loaded": r[6],
                "rows_quarantined": r[7],
                "loaded_at": r[8].isoformat(sep=" ") if r[8] else None,
                "seconds": round(r[9] or 0.0, 2),
            }
            for r in loads
            if r[1] == table
        ]
        out.append({
            "table": table,
            "rows": int(con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]),
            "quarantined": int(quarantined.get(table, 0)),
            "files": files,
        })  # fmt: skip
    return out
