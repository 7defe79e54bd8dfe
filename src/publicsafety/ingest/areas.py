"""Area sets (beats, zones, neighbourhoods, tracts) in the store.

`load_areas` writes one area set of a city into `areas` and places the city's events in it
(`placing.place`); `place_by_attribute` fills in rows whose source names the area instead of
giving a point (a neighbourhood name, a beat code).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import shapely

from publicsafety import tables
from publicsafety.engine import Store
from publicsafety.errors import ProfileError, StoreError
from publicsafety.ingest import geo
from publicsafety.ingest.placing import EVENT_KINDS, check_kind, missing_sql, place
from publicsafety.profiles import Profile


def _population(value: object) -> tuple[float | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (float(value), None) if np.isfinite(value) else (None, None)
    try:
        return float(str(value).strip().replace(",", "")), None
    except ValueError:
        return None, f"population {value!r} is not a number"


def _exclude(feat: geo.Feature, profile: Profile) -> None:
    """Mark a feature a profile's [[exclude]] rule matches; the rule wins over other problems,
    as for CSV rows (excluded features often hold junk)."""
    folded = {str(k).strip().lower(): k for k in feat.properties}
    for rule in profile.exclude:
        key = rule.column if rule.column in feat.properties else folded.get(rule.column.lower())
        value = feat.properties.get(key) if key is not None else None
        text = None if value is None else str(value).strip().upper()
        if rule.values:
            hit = text in {v.strip().upper() for v in rule.values}
        else:
            hit = text not in {v.strip().upper() for v in rule.not_values}
        if hit:
            feat.problem, feat.problem_column = rule.reason, key or rule.column
            return


def load_areas(
    store: Store, path: Path | str, profile: Profile, load_id: int
) -> tuple[int, int, int]:
    """Load a boundary file as one area set of the profile's city; returns (read, loaded, quarantined).

    An area set of the same name and city is replaced (with its quarantined features from earlier
    loads). Features without an id or a polygon go to `quarantine`. Afterwards every event row of
    the city is placed in the new set. Features sharing an id stay separate rows (a multi-part area
    split over records), so each keeps its source line. The caller owns the transaction.
    """
    path = Path(path)
    spec = profile.areas
    for key in ("area_set", "id"):
        if not spec.get(key):
            raise ProfileError(
                f"[areas] lacks {key!r}",
                where=str(profile.path or profile.name),
                fix='an areas profile needs [areas] area_set = "..." and id = "<id field>"',
            )
    area_set, pop_field = spec["area_set"], spec.get("population")
    found = geo.read_polygons(
        path, id_field=spec["id"], name_field=spec.get("name"), crs=profile.read.crs
    )
    good: list[tuple[geo.Feature, float | None]] = []
    bad: list[geo.Feature] = []
    for feat in found.features:
        pop = None
        _exclude(feat, profile)
        if feat.problem is None and pop_field:
            pop, problem = _population(feat.properties.get(pop_field))
            if problem:
                feat.problem, feat.problem_column = problem, pop_field
        if feat.problem is None:
            good.append((feat, pop))
        else:
            bad.append(feat)
    con, city = store.con, profile.city
    old_loads = con.execute(
        """SELECT load_id FROM areas WHERE city = ? AND area_set = ?
        UNION SELECT load_id FROM loads WHERE kind = 'areas' AND city = ? AND area_set = ?""",
        [city, area_set, city, area_set],
    ).fetchall()
    con.execute("DELETE FROM areas WHERE city = ? AND area_set = ?", [city, area_set])
    stale = [r[0] for r in old_loads if r[0] is not None and r[0] != load_id]
    if stale:
        con.execute(
            "DELETE FROM quarantine WHERE kind = 'areas' AND city = ? AND list_contains(?, load_id)",
            [city, stale],
        )
    _insert_areas(store, good, city, area_set, load_id, path.name)
    _quarantine(store, bad, city, load_id, path.name)
    for kind in EVENT_KINDS:
        has_rows = con.execute(f'SELECT count(*) FROM "{kind}" WHERE city = ?', [city]).fetchall()
        if has_rows[0][0]:
            place(store, kind, area_set=area_set)
    return len(found.features), len(good), len(bad)


def _insert_areas(
    store: Store,
    good: list[tuple[geo.Feature, float | None]],
    city: str,
    area_set: str,
    load_id: int,
    source_file: str,
) -> None:
    if not good:
        return
    con = store.con
    # fetchall, not fetchone: DuckDB refuses register() while a result is left unfinished.
    start = int(con.execute("SELECT coalesce(max(row_id), 0) + 1 FROM areas").fetchall()[0][0])
    geoms = np.array([f.geometry for f, _ in good], dtype=object)
    bounds = shapely.bounds(geoms)
    n = len(good)
    new = pa.table(
        {
            "city": [city] * n,
            "load_id": pa.array([load_id] * n, pa.int32()),
            "row_id": pa.array(np.arange(start, start + n, dtype=np.int64)),
            "source_file": [source_file] * n,
            "source_line": pa.array([f.number for f, _ in good], pa.int64()),
            "area_set": [area_set] * n,
            "area_id": [f.id for f, _ in good],
            "name": [f.name if f.name is not None else f.id for f, _ in good],
            "geometry": pa.array(list(shapely.to_wkb(geoms)), pa.binary()),
            "population": pa.array([p for _, p in good], pa.float64()),
            "xmin": bounds[:, 0],
            "ymin": bounds[:, 1],
            "xmax": bounds[:, 2],
            "ymax": bounds[:, 3],
        }
    )
    con.register("_areas_new", new)
    try:
        con.execute("INSERT INTO areas BY NAME SELECT * FROM _areas_new")
    finally:
        con.unregister("_areas_new")


def _quarantine(
    store: Store, bad: list[geo.Feature], city: str, load_id: int, source_file: str
) -> None:
    for feat in bad:
        column = feat.problem_column
        value = feat.properties.get(column) if column and column != "geometry" else None
        store.con.execute(
            """INSERT INTO quarantine (city, load_id, kind, source_file, source_line,
            column_name, value, reason, raw) VALUES (?, ?, 'areas', ?, ?, ?, ?, ?, ?)""",
            [
                city,
                load_id,
                source_file,
                feat.number,
                column,
                None if value is None else str(value),
                feat.problem,
                feat.raw,
            ],
        )


def normalise_name(value: str) -> str:
    """Upper case, hyphens as spaces, runs of spaces as one: "Bryn- Mawr" == "BRYN - MAWR"."""
    return " ".join(value.upper().replace("-", " ").replace("_", " ").split())


@dataclass
class AttributeSummary:
    """What `place_by_attribute` did for one city."""

    kind: str
    city: str
    area_set: str
    column: str
    rows_with_value: int
    matched: int  # rows whose value names an area
    filled: int  # matched rows that had no area from a point and now have one
    agree: int  # matched rows already placed by their point in the same area
    disagree: int  # ... placed by their point in another area (the point wins)
    unmatched: dict[str, int] = field(default_factory=dict)  # value -> rows

    @property
    def agreement(self) -> float | None:
        both = self.agree + self.disagree
        return self.agree / both if both else None


def place_by_attribute(
    store: Store,
    kind: str,
    column: str,
    area_set: str,
    transform: Callable[[str], str | None] | None = None,
) -> list[AttributeSummary]:
    """Give rows the area their source names in `column` (after `transform`), where no point did.

    Values match an area's id, else its name, case-insensitively after normalising spaces and
    hyphens. Rows already placed by their point keep that area; the summary counts how often the
    named area agrees with it, and lists the values that match no area.
    """
    check_kind(kind)
    if column not in tables.column_names(kind):
        raise StoreError(
            f"{kind} has no column {column!r}",
            fix=f"columns of {kind}: {', '.join(tables.column_names(kind))}",
        )
    con = store.con
    cities = con.execute(
        f'SELECT DISTINCT e.city FROM "{kind}" e JOIN areas a ON a.city = e.city'
        " WHERE a.area_set = ? ORDER BY 1",
        [area_set],
    ).fetchall()
    out = []
    for (city,) in cities:
        out.append(_place_city_by_attribute(store, kind, column, area_set, city, transform))
    return out


def _place_city_by_attribute(
    store: Store,
    kind: str,
    column: str,
    area_set: str,
    city: str,
    transform: Callable[[str], str | None] | None,
) -> AttributeSummary:
    con = store.con
    keys: dict[str, str] = {}
    areas = con.execute(
        "SELECT area_id, name FROM areas WHERE city = ? AND area_set = ? ORDER BY area_id",
        [city, area_set],
    ).fetchall()
    # Ids win over names, and the first area in id order wins a shared name.
    for area_id, _ in areas:
        keys.setdefault(normalise_name(area_id), area_id)
    for area_id, name in areas:
        if name:
            keys.setdefault(normalise_name(name), area_id)
    values = con.execute(
        f'SELECT CAST("{column}" AS VARCHAR), count(*) FROM "{kind}"'
        f' WHERE city = ? AND "{column}" IS NOT NULL GROUP BY 1',
        [city],
    ).fetchall()
    mapping: dict[str, str] = {}
    unmatched: dict[str, int] = {}
    for raw, n in values:
        text = transform(raw) if transform else raw
        hit = keys.get(normalise_name(text)) if text else None
        if hit is None:
            unmatched[raw] = int(n)
        else:
            mapping[raw] = hit
    new = pa.table(
        {
            "value": pa.array(list(mapping), pa.string()),
            "area_id": pa.array(list(mapping.values()), pa.string()),
        }
    )
    con.register("_attr_map", new)
    try:
        matched_rows = f"""SELECT e.row_id, m.area_id FROM "{kind}" e
            JOIN _attr_map m ON CAST(e."{column}" AS VARCHAR) = m.value WHERE e.city = ?"""
        row = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE p.area_id = r.area_id),
            count(*) FILTER (WHERE p.area_id <> r.area_id)
            FROM ({matched_rows}) r LEFT JOIN placements p
            ON p.kind = ? AND p.area_set = ? AND p.row_id = r.row_id""",
            [city, kind, area_set],
        ).fetchall()[0]
        matched, agree, disagree = (int(v) for v in row)
        con.execute(
            f"""DELETE FROM placements WHERE kind = ? AND area_set = ? AND area_id IS NULL
            AND row_id IN (SELECT row_id FROM ({matched_rows}))""",
            [kind, area_set, city],
        )
        con.execute(
            f"""INSERT INTO placements (kind, row_id, area_set, area_id)
            SELECT ?, r.row_id, ?, r.area_id FROM ({matched_rows}) r
            WHERE NOT EXISTS (SELECT 1 FROM placements p
                WHERE p.kind = ? AND p.area_set = ? AND p.row_id = r.row_id)""",
            [kind, area_set, city, kind, area_set],
        )
    finally:
        con.unregister("_attr_map")
    return AttributeSummary(
        kind=kind,
        city=city,
        area_set=area_set,
        column=column,
        rows_with_value=sum(int(n) for _, n in values),
        matched=matched,
        filled=matched - agree - disagree,
        agree=agree,
        disagree=disagree,
        unmatched=dict(sorted(unmatched.items(), key=lambda kv: -kv[1])),
    )


def placement_summary(store: Store) -> list[dict[str, object]]:
    """Per event table, city and area set: rows placed, not placed, without a point, not yet run.

    The four counts add up to the table's rows for that city (for `publicsafety status` and the
    data-quality report).
    """
    parts = []
    for kind in EVENT_KINDS:
        parts.append(
            f"""SELECT '{kind}' AS kind, e.city, a.area_set, count(*) AS rows,
            count(p.area_id) AS placed,
            count(*) FILTER (WHERE p.row_id IS NOT NULL AND p.area_id IS NULL
                AND NOT {missing_sql(kind, "e.")}) AS not_placed,
            count(*) FILTER (WHERE p.row_id IS NOT NULL AND p.area_id IS NULL
                AND {missing_sql(kind, "e.")}) AS no_coordinates,
            count(*) FILTER (WHERE p.row_id IS NULL) AS pending
            FROM "{kind}" e JOIN (SELECT DISTINCT city, area_set FROM areas) a ON a.city = e.city
            LEFT JOIN placements p
              ON p.kind = '{kind}' AND p.row_id = e.row_id AND p.area_set = a.area_set
            GROUP BY ALL"""
        )
    sql = " UNION ALL ".join(parts) + " ORDER BY kind, city, area_set"
    cur = store.con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def city_bbox(store: Store, city: str) -> geo.BBox | None:
    """The box around every loaded area of a city (for the out-of-town sanity check)."""
    row = store.con.execute(
        "SELECT min(xmin), min(ymin), max(xmax), max(ymax) FROM areas WHERE city = ?", [city]
    ).fetchall()[0]
    if row[0] is None:
        return None
    return geo.BBox(*(float(v) for v in row))
