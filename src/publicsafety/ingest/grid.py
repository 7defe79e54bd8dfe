"""A grid over an area set that answers "which area holds this point" for most points at once.

Cells that no polygon edge comes near lie wholly inside one polygon, or wholly outside them
all: every point in such a cell gets that polygon (or none) by one array lookup. Only points in
cells near an edge, or in cells inside several overlapping polygons, are left for the exact
shapely test. The answers are exactly those of testing every point with shapely.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

EXACT = -2  # the cell's points need the exact test
NONE = -1  # no polygon reaches the cell


@dataclass
class Grid:
    x0: float
    y0: float
    dx: float
    dy: float
    nx: int
    ny: int
    cells: np.ndarray  # (ny, nx) int32: polygon index, NONE or EXACT

    def lookup(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Per point: the polygon index, NONE (also for NaN coordinates) or EXACT."""
        with np.errstate(invalid="ignore"):
            fx = (lon - self.x0) * (1 / self.dx)
            fy = (lat - self.y0) * (1 / self.dy)
            inside = (fx >= 0) & (fx <= self.nx) & (fy >= 0) & (fy <= self.ny)
            ix = np.minimum(np.where(inside, fx, 0).astype(np.int64), self.nx - 1)
            iy = np.minimum(np.where(inside, fy, 0).astype(np.int64), self.ny - 1)
        out = self.cells.ravel().take(iy * self.nx + ix)
        out[~inside] = NONE
        return out


def _rings(geom: object) -> list[np.ndarray]:
    parts = shapely.get_parts(np.asarray([geom], dtype=object))
    rings = []
    for part in parts:
        rings.append(shapely.get_coordinates(shapely.get_exterior_ring(part)))
        for k in range(shapely.get_num_interior_rings(part)):
            rings.append(shapely.get_coordinates(shapely.get_interior_ring(part, k)))
    return rings


def _edge_cells(rings: list[np.ndarray], grid: Grid) -> np.ndarray:
    """(ny, nx) bool: cells an edge passes through, and their neighbours.

    Each edge is sampled at most half a cell apart: every cell the edge crosses then lies next
    to a cell holding a sample, so marking samples' cells and their eight neighbours covers it
    (with room for rounding at cell borders)."""
    near = np.zeros((grid.ny, grid.nx), dtype=bool)
    step = min(grid.dx, grid.dy) / 2
    for ring in rings:
        a, b = ring[:-1], ring[1:]
        if not len(a):
            continue
        n = np.maximum(1, np.ceil(np.hypot(*(b - a).T) / step).astype(np.int64))
        seg = np.repeat(np.arange(len(a)), n)
        t = (np.arange(len(seg)) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
        pts = a[seg] + (b[seg] - a[seg]) * t[:, None]
        pts = np.vstack([pts, ring[-1:]])
        ix = np.floor((pts[:, 0] - grid.x0) / grid.dx).astype(np.int64)
        iy = np.floor((pts[:, 1] - grid.y0) / grid.dy).astype(np.int64)
        for ox in (-1, 0, 1):
            for oy in (-1, 0, 1):
                jx, jy = ix + ox, iy + oy
                ok = (jx >= 0) & (jx < grid.nx) & (jy >= 0) & (jy < grid.ny)
                near[jy[ok], jx[ok]] = True
    return near


Assign = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def build(geoms: np.ndarray, points: int, centres: Assign) -> Grid | None:
    """A grid for `geoms` sized for about `points` points, or None when it would not pay.

    `centres(x, y)` gives, for points, the first containing polygon (-1 for none) and how
    many contain them: the exact test, used here on the centres of cells no edge is near.
    """
    if len(geoms) == 0 or points < 50_000:
        return None
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    width, height = xmax - xmin, ymax - ymin
    if not (np.isfinite(width) and np.isfinite(height)) or width <= 0 or height <= 0:
        return None
    # About 4,000 cells per polygon and never more cells than points: fine enough that few
    # points fall near an edge, small enough to build in a fraction of the points' time.
    total = int(min(points, 4_000 * len(geoms), 4_000_000))
    nx = max(1, round(float(np.sqrt(total * width / height))))
    ny = max(1, round(total / nx))
    # Widen the box a little so points on its far edges fall inside a cell.
    pad_x, pad_y = width * 1e-9 + 1e-12, height * 1e-9 + 1e-12
    grid = Grid(xmin - pad_x, ymin - pad_y, (width + 2 * pad_x) / nx, (height + 2 * pad_y) / ny,
                nx, ny, np.empty((ny, nx), dtype=np.int32))  # fmt: skip
    near = np.zeros((ny, nx), dtype=bool)
    for geom in geoms:
        near |= _edge_cells(_rings(geom), grid)
    cy, cx = np.nonzero(~near)
    first, hits = centres(grid.x0 + (cx + 0.5) * grid.dx, grid.y0 + (cy + 0.5) * grid.dy)
    grid.cells.fill(EXACT)
    grid.cells[cy, cx] = np.where(hits == 0, NONE, np.where(hits == 1, first, EXACT))
    return grid
