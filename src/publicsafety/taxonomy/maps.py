"""Per-city call-type maps: versioned CSV data that say what each raw call type is about.

A map is `maps/<city_slug>.csv` in this package (reviewed, shipped) or
`<workspace>/taxonomy/<city_slug>.csv` (a city's own edits; it replaces the shipped map of the same
city). Columns: call_type_code, call_type, category, responder, rule, note, version.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from publicsafety.errors import InputError, Where
from publicsafety.vocab import Category, Responder

MAP_COLUMNS = ("call_type_code", "call_type", "category", "responder", "rule", "note", "version")
CATEGORIES = frozenset(c.value for c in Category if c is not Category.UNMAPPED)
RESPONDERS = frozenset(r.value for r in Responder if r is not Responder.UNMAPPED)


def slug(city: str) -> str:
    """File-name form of a city name: 'New Orleans' -> 'new_orleans'."""
    return re.sub(r"[^a-z0-9]+", "_", city.lower()).strip("_")


def normalize(text: str | None) -> str | None:
    """The form call types are compared in: trimmed, upper case, single spaces, no leading dashes.

    Seattle writes final call types with leading '--'; NOPD truncates them at 20 characters,
    which stays a distinct key that maps list explicitly.
    """
    if text is None:
        return None
    out = re.sub(r"\s+", " ", text).strip().upper().lstrip("-").strip()
    return out or None


# The same normalisation in DuckDB SQL (classification joins on it inside the engine).
NORMALIZE_SQL = "nullif(trim(ltrim(upper(trim(regexp_replace({col}, '\\s+', ' ', 'g'))), '-')), '')"


@dataclass(frozen=True)
class MapRow:
    line: int  # line in the CSV file (1 = header)
    call_type_code: str | None
    call_type: str | None
    category: str
    responder: str
    rule: str
    note: str
    version: str


@dataclass(frozen=True)
class CityMap:
    city_slug: str
    path: Path
    rows: tuple[MapRow, ...]

    @property
    def name(self) -> str:
        return self.path.name


def builtin_dir() -> Path:
    return Path(str(resources.files("publicsafety.taxonomy"))) / "maps"


def workspace_dir(workspace: Path) -> Path:
    return workspace / "taxonomy"


def read_map(path: Path, city_slug: str | None = None) -> CityMap:
    """Read and validate a map CSV; errors name the file, line and column."""
    if not path.exists():
        raise InputError("no such map file", where=str(path), fix="check the path")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [
            c for c in ("call_type_code", "call_type", "category", "responder") if c not in header
        ]
        if missing:
            raise InputError(
                f"map lacks column(s) {', '.join(missing)}",
                where=Where(path.name, 1),
                fix=f"a map's header is: {','.join(MAP_COLUMNS)}",
            )
        rows = []
        for i, raw in enumerate(reader, start=2):
            rec = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
            code = rec.get("call_type_code") or None
            text = normalize(rec.get("call_type"))
            if code is None and text is None:
                raise InputError(
                    "row has neither call_type_code nor call_type",
                    where=Where(path.name, i, "call_type"),
                    fix="fill one of them or delete the row",
                )
            for col, allowed in (("category", CATEGORIES), ("responder", RESPONDERS)):
                if rec.get(col) not in allowed:
                    raise InputError(
                        f"{rec.get(col)!r} is not a known {col}",
                        where=Where(path.name, i, col),
                        fix=f"use one of: {', '.join(sorted(allowed))}",
                    )
            rows.append(
                MapRow(
                    line=i,
                    call_type_code=code,
                    call_type=text,
                    category=rec["category"],
                    responder=rec["responder"],
                    rule=rec.get("rule") or "reviewed",
                    note=rec.get("note", ""),
                    version=rec.get("version", ""),
                )
            )
    return CityMap(city_slug or path.stem, path, tuple(rows))


def builtin_maps() -> dict[str, Path]:
    return {p.stem: p for p in sorted(builtin_dir().glob("*.csv"))}


def find_map(city: str, workspace: Path | None = None) -> CityMap | None:
    """The map for a city: the workspace's own file first, then the shipped one; None if neither."""
    key = slug(city)
    if workspace is not None:
        own = workspace_dir(workspace) / f"{key}.csv"
        if own.exists():
            return read_map(own, key)
    path = builtin_maps().get(key)
    return read_map(path, key) if path else None


def install_map(path: Path, city: str, workspace: Path) -> Path:
    """Validate an edited map and place it in the workspace, where it replaces the shipped map."""
    read_map(path, slug(city))
    dest = workspace_dir(workspace) / f"{slug(city)}.csv"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(path.read_bytes())
    return dest


def covered(city_map: CityMap, types: list[tuple[str | None, str | None, int]]) -> tuple[int, int]:
    """(calls covered, all calls) for (code, call type, calls) triples, matched as classify does:
    by code where the map row has one, else by normalised text."""
    codes = {r.call_type_code.strip().upper() for r in city_map.rows if r.call_type_code}
    texts = {r.call_type for r in city_map.rows if r.call_type}
    hit = total = 0
    for code, text, n in types:
        total += n
        if (code is not None and code.strip().upper() in codes) or normalize(text) in texts:
            hit += n
    return hit, total
