"""Print-quality SVG choropleth maps drawn straight from the area polygons (WKB, WGS84).

Coordinates are projected with a transverse Mercator centred on the city (conformal, so shapes
are true locally). Classes use a sequential palette whose lightness steps evenly, so a map
printed in black and white still reads from light (low) to dark (high). Suppressed areas are
hatched and labelled "suppressed", never coloured; areas without data are left white.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

FONT = "DejaVu Sans"
# ColorBrewer YlGnBu (5 classes): colour-blind safe, lightness falls evenly from class to class.
SEQUENTIAL = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
SUPPRESSED = "suppressed"
HATCH_ID = "hatch-suppressed"


@dataclass(frozen=True)
class MapLayer:
    """What to draw: a value per area (NaN: no data), which areas are suppressed, and names."""

    values: Mapping[str, float]
    suppressed: frozenset[str]
    names: Mapping[str, str]


def _projector(geoms: Sequence[BaseGeometry]) -> pyproj.Transformer:
    xmin, ymin, xmax, ymax = shapely.total_bounds(np.array(list(geoms), dtype=object))
    lon0, lat0 = (xmin + xmax) / 2, (ymin + ymax) / 2
    crs = pyproj.CRS.from_proj4(f"+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +units=m")
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _path(geom: BaseGeometry, fx: object) -> str:
    """SVG path data of a (multi)polygon, holes included (even-odd fill)."""
    parts = []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            pts = fx(xy)  # type: ignore[operator]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def breaks(values: Sequence[float], classes: int = 5) -> list[float]:
    """Quantile class breaks (upper bounds of all but the last class), rounded for a legend."""
    v = np.asarray([x for x in values if np.isfinite(x)], dtype=float)
    if len(v) == 0:
        return []
    qs = np.quantile(v, np.linspace(0, 1, classes + 1)[1:-1])
    out: list[float] = []
    for q in qs:
        digits = max(0, 2 - int(np.floor(np.log10(abs(q))))) if q else 0
        r = round(float(q), digits)
        if not out or r > out[-1]:
            out.append(r)
    return out


def _fmt(v: float) -> str:
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


# The words a map draws besides its title, legend title, caption and source.
WORDS = {
    "suppressed": "suppressed",
    "suppressed (too few)": "suppressed (too few events to publish)",
    "no data": "no data",
    "under": "under {}",
    "or more": "{} or more",
    "to": "{} to {}",
    "Source": "Source: {}",
}


def choropleth(
    geometry: Mapping[str, BaseGeometry],
    layer: MapLayer,
    *,
    title: str,
    legend_title: str,
    source: str,
    caption: str,
    class_breaks: Sequence[float] | None = None,
    width: int = 720,
    words: Mapping[str, str] | None = None,
) -> str:
    """A choropleth as a standalone SVG document (title, map, legend, caption, source line).

    `words` translates the drawing's own words (keys of WORDS), for pages in other languages."""
    w = {**WORDS, **(words or {})}
    ids = list(geometry)
    geoms = [geometry[i] for i in ids]
    tr = _projector(geoms)
    proj = [shapely.transform(g, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))
            for g in geoms]  # fmt: skip
    xmin, ymin, xmax, ymax = shapely.total_bounds(np.array(proj, dtype=object))
    map_w = width - 40
    scale = map_w / max(xmax - xmin, 1e-9)
    map_h = (ymax - ymin) * scale
    if map_h > 640:  # tall cities: fit the height instead
        scale *= 640 / map_h
        map_h = 640.0
    title_lines = _wrap(title, int(width / 11))
    top = 30.0 + 21 * len(title_lines)

    def fx(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([20 + (xy[:, 0] - xmin) * scale, top + (ymax - xy[:, 1]) * scale])

    vals = [layer.values.get(i, np.nan) for i in ids]
    shown = [v for i, v in zip(ids, vals, strict=True) if i not in layer.suppressed]
    cuts = list(class_breaks) if class_breaks is not None else breaks(shown)
    palette = SEQUENTIAL if len(cuts) >= 4 else SEQUENTIAL[:: max(1, 4 // max(len(cuts), 1))]
    palette = palette[: len(cuts) + 1]

    def colour(v: float) -> str:
        return palette[int(np.searchsorted(cuts, v, side="left"))]

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="HEIGHT" '
        f'viewBox="0 0 {width} HEIGHT" font-family="{FONT}">',
        f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#555" stroke-width="1.5"/></pattern></defs>',
        '<rect width="100%" height="100%" fill="white"/>',
        *[
            f'<text x="20" y="{26 + 21 * k}" font-size="17" font-weight="bold" fill="#111" '
            f'class="title">{escape(line)}</text>'
            for k, line in enumerate(title_lines)
        ],
        '<g class="areas" stroke="#444" stroke-width="0.6" fill-rule="evenodd">',
    ]
    labels = []
    boxes: list[tuple[float, float, float, float]] = []
    for i, pg, v in zip(ids, proj, vals, strict=True):
        name = escape(str(layer.names.get(i, i)))
        if i in layer.suppressed:
            fill, kind, tip = f"url(#{HATCH_ID})", "suppressed", f"{name}: {w['suppressed']}"
        elif not np.isfinite(v):
            fill, kind, tip = "white", "nodata", f"{name}: {w['no data']}"
        else:
            fill, kind, tip = colour(v), "value", f"{name}: {_fmt(v)}"
        out.append(
            f'<path d="{_path(pg, fx)}" fill="{fill}" class="area {kind}" data-area="{escape(i)}">'
            f"<title>{tip}</title></path>"
        )
        minx, miny, maxx, maxy = pg.bounds
        w_px, h_px = (maxx - minx) * scale, (maxy - miny) * scale
        label = w["suppressed"] if i in layer.suppressed else str(layer.names.get(i, i))
        if w_px > 6.2 * len(label) + 4 and h_px > 14:
            p = shapely.get_coordinates(pg.representative_point())
            x, y = fx(p)[0]
            half = 3.1 * len(label)
            x = min(max(x, half + 4), width - half - 4)  # a name near the edge stays on the map
            box = _label_box(x, y, half, boxes, shapely.transform(pg, fx))
            if box is None:
                continue  # a name that would overprint another wherever it goes is left off
            x, y = (box[0] + box[2]) / 2, box[1] + 7
            boxes.append(box)
            # A white halo drawn first, then the name: print renderers (WeasyPrint) ignore
            # paint-order, and a stroke over the letters left white blobs on paper.
            at = f'x="{x:.1f}" y="{y + 3:.1f}" font-size="9" text-anchor="middle"'
            labels.append(
                f'<text {at} fill="white" stroke="white" stroke-width="2.5" '
                f'stroke-linejoin="round" aria-hidden="true" class="area-halo">'
                f"{escape(label)}</text>"
                f'<text {at} fill="#000" class="area-label">{escape(label)}</text>'
            )
    out.append("</g>")
    out.extend(labels)
    y = top + map_h + 24
    out.append(f'<g class="legend"><text x="20" y="{y:.0f}" font-size="12" fill="#111">'
               f"{escape(legend_title)}</text>")  # fmt: skip
    edges = [-np.inf, *cuts, np.inf]
    x = 20.0
    y += 8
    for k, col in enumerate(palette):
        lo, hi = edges[k], edges[k + 1]
        text = (w["under"].format(_fmt(hi)) if not np.isfinite(lo)
                else w["or more"].format(_fmt(lo)) if not np.isfinite(hi)
                else w["to"].format(_fmt(lo), _fmt(hi)))  # fmt: skip
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="16" height="12" fill="{col}" '
                   f'stroke="#444" stroke-width="0.6"/>'
                   f'<text x="{x + 20:.0f}" y="{y + 10:.0f}" font-size="11">{escape(text)}</text>')  # fmt: skip
        x += 26 + 6.5 * len(text)
        if x > width - 140 and k < len(palette) - 1:
            x, y = 20.0, y + 18
    y += 18
    x = 20.0
    if layer.suppressed:
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="16" height="12" fill="url(#{HATCH_ID})" '
                   f'stroke="#444" stroke-width="0.6"/><text x="{x + 20:.0f}" y="{y + 10:.0f}" '
                   f'font-size="11">{escape(w["suppressed (too few)"])}</text>')  # fmt: skip
        x += 250
    if any(not np.isfinite(v) for i, v in zip(ids, vals, strict=True) if i not in layer.suppressed):
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="16" height="12" fill="white" '
                   f'stroke="#444" stroke-width="0.6"/><text x="{x + 20:.0f}" y="{y + 10:.0f}" '
                   f'font-size="11">{escape(w["no data"])}</text>')  # fmt: skip
    out.append("</g>")
    y += 34
    for line in _wrap(caption, int(width / 7.6)):
        out.append(f'<text x="20" y="{y:.0f}" font-size="13" fill="#111" class="caption">'
                   f"{escape(line)}</text>")  # fmt: skip
        y += 17
    y += 6
    for k, line in enumerate(_wrap(w["Source"].format(source), width // 6)):
        out.append(f'<text x="20" y="{y:.0f}" font-size="10" fill="#333" '
                   f'class="source-line{"" if k == 0 else " source-more"}">{escape(line)}</text>')  # fmt: skip
        y += 13
    out.append("</svg>")
    height = int(y + 4)
    return "\n".join(out).replace("HEIGHT", str(height))


def _label_box(
    x: float,
    y: float,
    half: float,
    taken: list[tuple[float, float, float, float]],
    area: object,
) -> tuple[float, float, float, float] | None:
    """Where a name of half-width `half` goes: at (x, y), else a line or more above or below
    (nudged sideways if need be) where the name still lies inside its area (screen
    coordinates) and overprints no other name."""
    shifts = [(0.0, 0.0)] + [(dx, dy) for dy in (-11.0, 11.0, -22.0, 22.0, -33.0, 33.0, -44.0, 44.0)
                             for dx in (0.0, -12.0, 12.0)]  # fmt: skip
    for dx, dy in shifts:
        box = (x + dx - half, y + dy - 7, x + dx + half, y + dy + 5)
        if any(_overlap(box, b) for b in taken):
            continue
        if (dx or dy) and not shapely.contains(area, shapely.box(*box)):
            continue
        return box
    return None


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _wrap(text: str, chars: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def layer_from(
    df: pd.DataFrame, value: str, counts: Sequence[str], names: str = "name"
) -> MapLayer:
    """A layer from a published table indexed by area id. An area whose count in any of `counts`
    was hidden by the privacy layer (NA) is suppressed and its value never reaches the drawing; a
    missing value otherwise (no residents, not modelled) is drawn as "no data"."""
    hidden = pd.Series(False, index=df.index)
    for col in counts:
        hidden |= df[col].isna()
    vals = {
        str(i): (np.nan if h or pd.isna(v) else float(v))
        for i, v, h in zip(df.index, df[value], hidden, strict=True)
    }
    return MapLayer(
        vals,
        frozenset(str(i) for i in df.index[hidden]),
        {str(k): str(v) for k, v in df[names].items()},
    )


def render(spec: Mapping[str, object], geometry: Mapping[str, BaseGeometry], source: str) -> str:
    """Draw one map spec from publicsafety.analysis.places.run.map_specs."""
    table = spec["table"]
    assert isinstance(table, pd.DataFrame)
    layer = layer_from(table, str(spec["value"]), list(spec["counts"]))  # type: ignore[call-overload]
    cuts = spec.get("breaks")
    return choropleth(
        {k: g for k, g in geometry.items() if k in table.index},
        layer,
        title=str(spec["title"]),
        legend_title=str(spec["legend"]),
        source=source,
        caption=str(spec["caption"]),
        class_breaks=list(cuts) if cuts is not None else None,  # type: ignore[call-overload]
    )
