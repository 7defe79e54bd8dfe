"""Sample City's neighbourhoods (Voronoi polygons tiling a city outline) and their residents.

Residents are counted by race, sex, age band and poverty with a planted segregation pattern: the
Black share rises along one axis of the city, a Hispanic cluster sits off-centre, and poverty
follows both, as in many US cities. Everything is drawn from one seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon

# A fictional place: the coordinates are plausible for a mid-sized US city but belong to none.
CENTER_LON, CENTER_LAT = -92.10, 38.05
RADIUS_LON, RADIUS_LAT = 0.11, 0.075  # about 19 km by 17 km

NAMES = (
    "Riverside", "Oak Hill", "Mill Creek", "Northgate", "Cedar Park", "Lincoln Heights",
    "Old Town", "Fairview", "Southbank", "Elm Grove", "Harbor Point", "Westwood", "Maple Ridge",
    "Union Square", "Eastlake", "Sunnyside", "Brookfield", "Pine Hollow", "Market District",
    "College Hill", "Ironworks", "Greenway", "Bayou View", "Prospect", "Willow Bend",
    "Highland", "Rosedale", "Canal Street", "Parkside", "Stonebridge",
)  # fmt: skip
STREETS = (
    "Main St", "Oak St", "Elm St", "Washington Ave", "Lincoln Ave", "Park Ave", "Church St",
    "River Rd", "Market St", "Pine St", "Maple Ave", "Cedar St", "Jackson Ave", "Franklin St",
    "Union St", "Broad St", "Canal St", "Magnolia St", "Mill Rd", "Highland Ave", "Walnut St",
    "Chestnut St", "Spruce St", "Grove St", "Lake Dr", "Hill St", "College Ave", "Harbor Blvd",
    "Industrial Pkwy", "Liberty St", "Prospect Ave", "Willow St", "Bridge St", "Ash St",
    "Sunset Blvd", "King Blvd", "Front St", "Water St", "School St", "Dryades St",
)  # fmt: skip

# Race groups as stored (vocab.Race values) and the raw column each is written to.
RACE_COLUMNS = {
    "white": "white",
    "black": "black",
    "hispanic": "hispanic",
    "asian/pacific islander": "asian_pacific_islander",
    "native american": "native_american",
    "other": "other_race",
    "multiple": "two_or_more",
}
AGE_COLUMNS = {
    "0-17": "age_0_17",
    "18-24": "age_18_24",
    "25-34": "age_25_34",
    "35-44": "age_35_44",
    "45-54": "age_45_54",
    "55-64": "age_55_64",
    "65+": "age_65_plus",
}
# US age structure, roughly ACS 2019.
AGE_SHARES = np.array([0.22, 0.10, 0.15, 0.13, 0.12, 0.13, 0.15])


@dataclass
class City:
    """Neighbourhoods and their residents; arrays are indexed by neighbourhood."""

    ids: list[str]
    names: list[str]
    polygons: np.ndarray  # shapely Polygons
    district: np.ndarray  # police district number, 1-5
    beat_prefix: list[str]  # district + zone letter, e.g. "3B"
    streets: list[list[str]]
    total: np.ndarray  # residents
    race: dict[str, np.ndarray]  # vocab.Race value -> residents
    female: np.ndarray
    age: dict[str, np.ndarray]
    below_poverty: np.ndarray

    @property
    def poverty_rate(self) -> np.ndarray:
        return self.below_poverty / self.total

    @property
    def share(self) -> dict[str, np.ndarray]:
        return {g: c / self.total for g, c in self.race.items()}


def _outline(rng: np.random.Generator) -> Polygon:
    angles = np.linspace(0, 2 * np.pi, 15)[:-1]
    r = 1 + rng.uniform(-0.12, 0.12, angles.size)
    xs = CENTER_LON + RADIUS_LON * r * np.cos(angles)
    ys = CENTER_LAT + RADIUS_LAT * r * np.sin(angles)
    return Polygon(np.column_stack([xs, ys]))


def _tiles(outline: Polygon, n: int, rng: np.random.Generator) -> list[Polygon]:
    """n Voronoi cells clipped to the outline, relaxed twice (Lloyd) so sizes are even-ish."""
    xmin, ymin, xmax, ymax = outline.bounds
    pts: list[tuple[float, float]] = []
    while len(pts) < n:
        x, y = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        if outline.contains(shapely.Point(x, y)):
            pts.append((x, y))
    cells: list[Polygon] = []
    for _ in range(3):
        regions = shapely.voronoi_polygons(
            MultiPoint(pts), extend_to=outline.buffer(0.1), ordered=True
        )
        cells = [shapely.intersection(g, outline) for g in regions.geoms]
        pts = [(c.centroid.x, c.centroid.y) for c in cells]
    # Round vertices to 6 decimals (about 10 cm) so the GeoJSON is stable and compact; a shared
    # edge rounds the same way on both sides, so the tiling stays gap-free.
    return [shapely.set_precision(c, 1e-6) for c in cells]


def _counts(shares: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Integer counts (groups x areas) that sum exactly to each area's total."""
    raw = shares * totals
    out = np.floor(raw).astype(np.int64)
    short = totals - out.sum(axis=0)
    order = np.argsort(-(raw - out), axis=0, kind="stable")
    for j in range(totals.size):
        out[order[: short[j], j], j] += 1
    return out


def build_city(rng: np.random.Generator, n_areas: int = 25, population: int = 400_000) -> City:
    outline = _outline(rng)
    cells = _tiles(outline, n_areas, rng)
    cx = np.array([c.centroid.x for c in cells])
    cy = np.array([c.centroid.y for c in cells])
    # Normalised position: distance from the centre, and position along a random axis.
    dx, dy = (cx - CENTER_LON) / RADIUS_LON, (cy - CENTER_LAT) / RADIUS_LAT
    dist = np.hypot(dx, dy)
    theta = rng.uniform(0, 2 * np.pi)
    axis = dx * np.cos(theta) + dy * np.sin(theta)

    # Residents: denser towards the centre.
    area = np.array([c.area for c in cells])
    density = (1.8 - 1.1 * np.clip(dist, 0, 1.2)) * rng.lognormal(0, 0.25, n_areas)
    weight = area * density
    total = np.round(weight / weight.sum() * population).astype(np.int64)
    total[np.argmax(total)] += population - total.sum()  # exact city total despite rounding

    # Segregation: the Black share follows a logistic along the axis; a Hispanic cluster
    # sits around one off-centre neighbourhood.
    black = 0.04 + 0.80 / (1 + np.exp(-4.5 * (axis - 0.05))) + rng.normal(0, 0.03, n_areas)
    hub = int(np.argmin(np.abs(axis + 0.1) + np.abs(dist - 0.6)))
    d_hub = np.hypot(dx - dx[hub], dy - dy[hub])
    hispanic = 0.04 + 0.30 * np.exp(-((d_hub / 0.45) ** 2)) + rng.uniform(0, 0.03, n_areas)
    asian = 0.02 + rng.uniform(0, 0.06, n_areas)
    native = np.full(n_areas, 0.003)
    other = np.full(n_areas, 0.004)
    multiple = 0.02 + rng.uniform(0, 0.01, n_areas)
    black = np.clip(black, 0.01, 0.92)
    rest = black + hispanic + asian + native + other + multiple
    scale = np.where(rest > 0.97, 0.97 / rest, 1.0)
    parts = [s * scale for s in (black, hispanic, asian, native, other, multiple)]
    white = 1 - sum(parts)
    shares = np.vstack([white, *parts])
    race_counts = _counts(shares, total)
    race = dict(zip(RACE_COLUMNS, race_counts, strict=True))

    poverty = 0.04 + 0.30 * shares[1] + 0.22 * shares[2] + rng.normal(0, 0.025, n_areas)
    poverty = np.clip(poverty, 0.03, 0.55)
    below = np.round(poverty * total).astype(np.int64)

    female = np.round(total * rng.normal(0.515, 0.008, n_areas)).astype(np.int64)
    # Poorer neighbourhoods are younger.
    age_shares = AGE_SHARES[:, None] + np.outer([0.5, 0.2, 0.1, 0, -0.1, -0.3, -0.4], poverty - 0.2)
    age_shares = age_shares / age_shares.sum(axis=0)
    age = dict(zip(AGE_COLUMNS, _counts(age_shares, total), strict=True))

    # Five police districts as sectors around the centre; each neighbourhood is a zone.
    angle = np.mod(np.arctan2(dy, dx), 2 * np.pi)
    order = np.argsort(angle, kind="stable")
    district = np.empty(n_areas, dtype=np.int64)
    district[order] = np.arange(n_areas) * 5 // n_areas + 1
    prefix = []
    seen: dict[int, int] = {}
    for d in district:
        seen[int(d)] = seen.get(int(d), 0) + 1
        prefix.append(f"{d}{chr(64 + seen[int(d)])}")
    names = list(rng.permutation(NAMES)[:n_areas])
    streets = [list(rng.choice(STREETS, 6, replace=False)) for _ in range(n_areas)]
    return City(
        ids=[f"N{i + 1:02d}" for i in range(n_areas)],
        names=[str(n) for n in names],
        polygons=np.array(cells, dtype=object),
        district=district,
        beat_prefix=prefix,
        streets=[[str(s) for s in ss] for ss in streets],
        total=total,
        race=race,
        female=female,
        age=age,
        below_poverty=below,
    )


def points_in(
    city: City, area: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A uniformly random point inside the given neighbourhood for each entry (rejection sampling)."""
    bounds = np.array([p.bounds for p in city.polygons])
    shapely.prepare(city.polygons)
    lon = np.full(area.size, np.nan)
    lat = np.full(area.size, np.nan)
    todo = np.arange(area.size)
    while todo.size:
        b = bounds[area[todo]]
        # Rounded before the test so the written 6-decimal point is inside its neighbourhood.
        x = np.round(rng.uniform(b[:, 0], b[:, 2]), 6)
        y = np.round(rng.uniform(b[:, 1], b[:, 3]), 6)
        ok = shapely.contains_xy(city.polygons[area[todo]], x, y)
        lon[todo[ok]] = x[ok]
        lat[todo[ok]] = y[ok]
        todo = todo[~ok]
    return lon, lat


def dissimilarity(a: np.ndarray, b: np.ndarray) -> float:
    """Index of dissimilarity between two groups' counts across areas (0 = even, 1 = apart)."""
    return float(0.5 * np.abs(a / a.sum() - b / b.sum()).sum())
