"""Checks shared by the area-profile tests, computed with shapely rather than by the loader."""

from __future__ import annotations

import shapely

from publicsafety.engine import Store


def areas_at(store: Store, lon: float, lat: float) -> list[str]:
    """Ids of the loaded polygons that contain a point."""
    rows = store.con.execute("SELECT area_id, geometry FROM areas ORDER BY area_id").fetchall()
    point = shapely.Point(lon, lat)
    return [area_id for area_id, wkb in rows if shapely.from_wkb(wkb).contains(point)]


def bounds(store: Store) -> tuple[float, float, float, float]:
    """Bounding box of every loaded area, rounded to 3 decimals."""
    rows = store.con.execute(
        "SELECT min(xmin), min(ymin), max(xmax), max(ymax) FROM areas"
    ).fetchall()
    x0, y0, x1, y1 = rows[0]
    return (round(x0, 3), round(y0, 3), round(x1, 3), round(y1, 3))
