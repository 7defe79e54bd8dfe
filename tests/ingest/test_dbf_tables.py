"""A shapefile's attribute table (.dbf) read as a table: population counts kept beside tracts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shapefile

from publicsafety.engine import Store, memory_store
from publicsafety.errors import InputError
from publicsafety.ingest import ingest_file
from publicsafety.profiles import parse_profile


def write_tracts(base: Path, cpg: str | None) -> Path:
    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding=cpg or "utf-8") as w:
        w.field("GEOID", "C", size=11)
        w.field("NAME", "C", size=20)
        w.field("POP", "N", size=10)
        w.field("POVERTY", "N", size=10, decimal=1)
        square = [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]
        for geoid, name, pop, pov in [("22071000100", "Bywater", 3071, 512.0),
                                      ("22071000200", "Tremé", 2408, None),
                                      ("22071001600", "Empty", 0, 0.0)]:  # fmt: skip
            w.poly(square)
            w.record(geoid, name, pop, pov)
    if cpg:
        base.with_suffix(".cpg").write_text(cpg)
    return base.with_suffix(".shp")


def profile() -> Any:
    return parse_profile({
        "profile": {"name": "tracts_pop", "city": "Dbf Town", "kind": "population"},
        "read": {"format": "shapefile"},
        "population": {"area_set": "tracts", "id": "GEOID", "year": 2017, "source": "fixture"},
        "rows": [
            {"dimension": {"const": "total"}, "group": {"const": "total"},
             "count": {"from": "POP", "parse": "float"}},
            {"dimension": {"const": "poverty"}, "group": {"const": "below_poverty"},
             "count": {"from": "POVERTY", "parse": "float"}},
        ],
    })  # fmt: skip


def test_dbf_records_load_as_rows(store: Store, tmp_path: Path) -> None:
    shp = write_tracts(tmp_path / "tracts", cpg="latin-1")
    result = ingest_file(store, shp, profile())
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    rows = store.con.execute(
        'SELECT area_id, "group", "count", source_line FROM population ORDER BY 1, 2'
    ).fetchall()
    # A missing POVERTY number writes no poverty row for that tract.
    assert rows == [
        ("22071000100", "below_poverty", 512.0, 1),
        ("22071000100", "total", 3071.0, 1),
        ("22071000200", "total", 2408.0, 2),
        ("22071001600", "below_poverty", 0.0, 3),
        ("22071001600", "total", 0.0, 3),
    ]


def test_the_dbf_path_itself_is_accepted_and_the_cpg_decides_the_encoding(
    store: Store, tmp_path: Path
) -> None:
    shp = write_tracts(tmp_path / "tracts", cpg="latin-1")
    result = ingest_file(store, shp.with_suffix(".dbf"), profile())
    assert result.rows_loaded == 3
    assert "Tremé".encode("latin-1") in shp.with_suffix(".dbf").read_bytes()
    # Without the .cpg the profile's utf-8 applies, and the latin-1 é is an error with its record.
    shp.with_suffix(".cpg").unlink()
    fresh = memory_store(threads=1)  # the same file in `store` would be skipped as loaded
    with pytest.raises(InputError, match="record 2") as err:
        ingest_file(fresh, tmp_path / "tracts.dbf", profile())
    fresh.close()
    assert "is not utf-8" in str(err.value)
