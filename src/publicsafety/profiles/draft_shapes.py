"""What a sampled column's values look like, for `profile draft`: dates and their strptime
format, numbers and their range, WKT points, yes/no flags, codes, race, sex and call-origin values;
and which state-plane zone a file's projected x / y are in.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
INTEGER = re.compile(r"^[+-]?\d+$")
EXCEL = re.compile(r"^\d+(\.\d+)?E\+\d+$", re.IGNORECASE)
WKT = re.compile(r"^POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)$", re.IGNORECASE)
BOOL_TOKENS = frozenset({"Y", "N", "YES", "NO", "TRUE", "FALSE", "T", "F", "0", "1"})
DATE_WORDS = frozenset({"date", "time", "dt", "datestop", "timestop", "datetime", "when"})
PROBE = 20  # distinct values a format must read before it is checked on the rest
CHECK = 300  # distinct values a format is checked on


@dataclass
class ColumnShape:
    name: str
    nonnull: int = 0
    kind: str = "empty"  # empty | bool | int | float | datetime | date | time | text
    format: str | None = None
    example: str = ""
    numeric: bool = False
    min: float | None = None
    max: float | None = None
    wkt: bool = False
    points: list[tuple[float, float]] = field(default_factory=list)
    distinct: int = 0
    top: list[str] = field(default_factory=list)
    max_len: int = 0
    code_like: bool = False
    unique_share: float = 0.0
    repeats: int = 0
    origin_share: float = 0.0
    race_share: float = 0.0
    sex_share: float = 0.0
    excel_mangled: int = 0
    sentinels: dict[str, int] = field(default_factory=dict)
    null_tokens: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def distinct_text(self) -> str:
        return "/".join(self.top[:4]) + ("/..." if self.distinct > 4 else "")


def _strptime(value: str, fmt: str) -> datetime | None:
    try:
        return datetime.strptime(value, fmt)
    except ValueError:
        return None


def _plausible(d: datetime, sentinels: set[date] | None) -> bool:
    """A year a police record can have; None for times, whose year strptime leaves at 1900."""
    return sentinels is None or 1950 <= d.year <= 2100 or d.date() in sentinels


def _date_format(
    values: list[str], formats: list[str], sentinels: set[date] | None
) -> tuple[str | None, list[str]]:
    """The first format that reads (nearly) every value, and the others that also do."""
    probe, check = values[:PROBE], values[:CHECK]
    need = max(1, int(len(probe) * 0.9))
    passing: list[str] = []
    for fmt in formats:
        ok = [d for v in probe if (d := _strptime(v, fmt)) and _plausible(d, sentinels)]
        if len(ok) < need:
            continue
        read = sum(1 for v in check if (d := _strptime(v, fmt)) and _plausible(d, sentinels))
        if read >= 0.95 * len(check):
            passing.append(fmt)
    return (passing[0] if passing else None), passing


def _swap(fmt: str) -> str:
    return fmt.replace("%m", "\0").replace("%d", "%m").replace("\0", "%d")


def _share(counts: Counter[str], label: Any) -> float:
    total = sum(counts.values())
    return sum(n for v, n in counts.items() if label(v)) / total if total else 0.0


def label_value(value: str, words: list[list[str]], letters: dict[str, str]) -> str | None:
    """A raw race or sex value -> canonical value, by words in order, then single letters."""
    up = value.strip().upper()
    if up in letters:
        return letters[up]
    tokens = set(re.split(r"[^A-Z]+", up))
    for word, canon in words:
        if (" " in word and word in up) or word in tokens:
            return canon
    return None


def origin_of(value: str, rules: dict[str, Any]) -> str | None:
    """A raw how-received value -> vocab.Origin value, by keyword."""
    up = value.strip().upper()
    for origin in rules["order"]:
        if any(k in up for k in rules[origin]):
            return str(origin)
    return None


def describe(
    name: str, raw: list[str | None], header_words: tuple[str, ...], rules: dict[str, Any]
) -> ColumnShape:
    """The shape of one column's sampled values."""
    s = ColumnShape(name)
    null_tokens = set(rules["nulls"]["tokens"])
    vals: list[str] = []
    for v in raw:
        t = (v or "").strip()
        if not t:
            continue
        if t in null_tokens:
            s.null_tokens.add(t)
            continue
        vals.append(t)
    s.nonnull = len(vals)
    if not vals:
        return s
    s.counts = Counter(vals)
    distinct = list(s.counts)
    s.distinct, s.top = len(distinct), [v for v, _ in s.counts.most_common(8)]
    s.example = vals[0]
    s.max_len = max(len(v) for v in distinct)
    s.unique_share, s.repeats = len(distinct) / len(vals), len(vals) - len(distinct)
    mean_len = sum(len(v) * n for v, n in s.counts.items()) / len(vals)
    s.code_like = mean_len <= 8 and _share(s.counts, lambda v: " " in v) < 0.2
    s.excel_mangled = sum(n for v, n in s.counts.items() if EXCEL.match(v))
    s.origin_share = _share(s.counts, lambda v: origin_of(v, rules["origin_values"]) is not None)
    letters_only = all(len(v) == 1 for v in distinct)
    for attr, key in (("race_share", "race_values"), ("sex_share", "sex_values")):
        words, letters = rules[key]["words"], rules[key]["letters"] if letters_only else {}
        setattr(s, attr, _share(s.counts, lambda v, w=words, le=letters: label_value(v, w, le)))
    points = [m for v in distinct[:CHECK] if (m := WKT.match(v))]
    if len(points) >= 0.95 * min(len(distinct), CHECK):
        s.wkt = True
        s.points = [(float(m[1]), float(m[2])) for m in points]
        return s
    dates = rules["dates"]
    sentinels = {date.fromisoformat(d) for d in dates["sentinels"]}
    dateish = bool(set(header_words) & DATE_WORDS) or any("date" in w for w in header_words)
    if (
        dateish
        and all(v.isdigit() for v in distinct[:CHECK])
        and _dates(s, distinct, dates, sentinels, True)
    ):
        return s
    upper = {v.upper() for v in distinct}
    if upper <= BOOL_TOKENS and len(upper) <= 2:
        s.kind = "bool"
        return s
    if all(NUMBER.match(v) for v in distinct):
        nums = [float(v) for v in distinct]
        s.numeric, s.min, s.max = True, min(nums), max(nums)
        s.kind = "int" if all(INTEGER.match(v) for v in distinct) else "float"
        return s
    if any(c.isdigit() for c in s.example) and _dates(s, distinct, dates, sentinels, False):
        return s
    s.kind = "text"
    return s


def _dates(
    s: ColumnShape, distinct: list[str], dates: dict[str, Any], sentinels: set[date], compact: bool
) -> bool:
    """Set the date/time kind and format of a column whose values read as such."""
    groups = (
        (("date", dates["compact_date"]), ("time", dates["compact_time"]))
        if compact
        else (("datetime", dates["datetime"]), ("date", dates["date"]), ("time", dates["time"]))
    )
    for kind, formats in groups:
        fmt, passing = _date_format(distinct, formats, sentinels if kind != "time" else None)
        if fmt is None:
            continue
        s.kind, s.format = kind, fmt
        if "%m" in fmt and "%d" in fmt:
            if _swap(fmt) in passing:
                s.notes.append(
                    "no day above 12 in the sample: month-first assumed, check against the source"
                )
            elif fmt.index("%d") < fmt.index("%m"):
                s.notes.append("day-first dates (values with a first number above 12)")
        padded = sum(4 if c == "Y" else 2 for c in re.findall(r"%(\w)", fmt))
        short = sorted((v for v in distinct if len(v) < padded), key=len)
        if compact and short:
            s.notes.append(
                f"values are not zero-padded (e.g. {', '.join(short[:2])}): DuckDB's strptime"
                " cannot read or misreads them; pad them to full width before ingest"
            )
        if kind != "time":
            for v in distinct:
                d = _strptime(v, fmt)
                if d and d.date() in sentinels:
                    key = d.date().isoformat()
                    s.sentinels[key] = s.sentinels.get(key, 0) + s.counts[v]
        return True
    return False


# ---------------------------------------------------------------- state-plane zones


@cache
def _zones() -> list[tuple[str, str, Any, tuple[float, float, float, float]]]:
    """NAD83 state-plane zones in feet: (EPSG code, name, Proj, area of use w/s/e/n)."""
    from pyproj import Proj
    from pyproj.database import query_crs_info
    from pyproj.enums import PJType

    out = []
    for info in query_crs_info(auth_name="EPSG", pj_types=PJType.PROJECTED_CRS):
        a = info.area_of_use
        if info.deprecated or a is None or not info.name.startswith("NAD83 / "):
            continue
        if ("(ftUS)" in info.name or "(ft)" in info.name) and a.west > -180 and a.east < -60:
            box = (a.west, a.south, a.east, a.north)
            out.append((f"EPSG:{info.code}", info.name, Proj(f"EPSG:{info.code}"), box))
    return out


def pick_crs(
    xs: list[float], ys: list[float], place: dict[str, Any] | None
) -> tuple[str | None, float, str, list[str]]:
    """The state-plane zone of projected x / y: (crs, confidence, reason, alternatives).

    Every zone whose own area of use holds the median point is a candidate; a known city
    (synonyms.toml [places]) picks the one that puts the point nearest to it.
    """
    if not xs or not ys:
        return None, 0.0, "no coordinates in the sample", []
    x, y = statistics.median(xs), statistics.median(ys)
    fits = []
    for code, name, proj, (w, s, e, n) in _zones():
        lon, lat = proj(x, y, inverse=True)
        if w <= lon <= e and s <= lat <= n:
            fits.append((code, name, lon, lat))
    if not fits:
        return (
            None,
            0.0,
            f"median point ({x:,.0f}, {y:,.0f}) is in no US state-plane zone in feet",
            [],
        )
    names = [f"{c} ({n})" for c, n, _, _ in fits]
    if place:

        def dist(f: tuple[str, str, float, float]) -> float:
            return float((f[2] - place["lon"]) ** 2 + (f[3] - place["lat"]) ** 2)

        best = min(fits, key=dist)
        if dist(best) < 1.5**2:
            why = f"median point falls at {best[3]:.3f}, {best[2]:.3f} in {best[1]}, near the city"
            return best[0], 0.85, why, [n for n in names if not n.startswith(best[0] + " ")]
    if len(fits) == 1:
        code, name, lon, lat = fits[0]
        return (
            code,
            0.8,
            f"the only zone holding the median point ({lat:.3f}, {lon:.3f}): {name}",
            [],
        )
    code, name = fits[0][0], fits[0][1]
    why = f"{len(fits)} zones hold the median point; first taken ({name}); pass --city or --crs"
    return code, 0.3, why, names[1:]
