"""Writers for Sample City's raw files: labelled CSV (pyarrow, no row-by-row Python) and GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import shapely

LABEL = "Sample City — synthetic data"


def label_line(seed: int) -> str:
    return f"# {LABEL} (publicsafety demo, seed {seed}). Not real people, places or events."


def write_csv(table: pa.Table, path: Path, seed: int) -> Path:
    """CSV with the label as its first line (profiles skip it with read.skip_lines = 1)."""
    with path.open("wb") as f:
        f.write((label_line(seed) + "\n").encode("utf-8"))
        pcsv.write_csv(table, f, pcsv.WriteOptions(quoting_style="needed"))
    return path


def write_geojson(
    features: list[dict[str, object]], geoms: list[shapely.Geometry], path: Path, seed: int
) -> Path:
    collection = {
        "type": "FeatureCollection",
        "name": LABEL,
        "description": label_line(seed)[2:],
        "features": [
            {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(g)}
            for props, g in zip(features, geoms, strict=True)
        ],
    }
    path.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return path
