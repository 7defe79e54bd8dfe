"""City profiles: TOML data that maps a source's columns, dialect and codes onto a canonical table.

The format is documented in FORMAT.md beside this file. This module only reads and validates
profiles; `publicsafety.ingest` applies them.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from publicsafety import tables
from publicsafety.errors import ProfileError
from publicsafety.vocab import Kind

PARSERS = frozenset(
    {
        "text",
        "int",
        "float",
        "number",
        "bool",
        "date",
        "time",
        "datetime",
        "excel_text",
        "wkt_x",
        "wkt_y",
        "share",
        "sum",
        "fiscal_year",
    }
)
UNMAPPED = ("null", "keep", "quarantine")
FORMATS = frozenset({"csv", "parquet", "xlsx", "geojson", "shapefile"})
# Canonical table each kind loads into; areas/population/budget have their own tables.
TABLE_OF_KIND = {k.value: k.value for k in Kind}
# Pseudo-columns a profile may map that ingest turns into canonical ones; `city` may be mapped
# from a column in multi-city files (profile city = "multiple"), otherwise it is [profile] city.
PSEUDO_COLUMNS = frozenset({"x", "y", "city"})


@dataclass(frozen=True)
class ColumnSpec:
    """How one canonical column is filled."""

    sources: tuple[str, ...] = ()
    parse: str = "text"
    format: str | None = None
    const: Any = None
    of: str | None = None  # for parse = "share": the total column
    scale: float = 1.0
    optional: bool = False  # unparseable values become NULL (counted) instead of quarantining
    # Left-pad each source's text with zeros to this width before parsing (one per source; 0 =
    # none): compact dates and times written without leading zeros, like MDDYYYY or HMM.
    pad: tuple[int, ...] = ()

    @property
    def source(self) -> str | None:
        return self.sources[0] if self.sources else None


@dataclass(frozen=True)
class ValueMap:
    source: str | None
    mapping: dict[str, str]  # keys upper-cased and trimmed
    default: str | None
    missing: str | None
    # A raw value not in the map and no `default`: "null" (read as missing, counted), "keep"
    # (the raw value passes through, so a crosswalk lists only differences) or "quarantine".
    unmapped: str = "null"

    def lookup(self, raw: str | None) -> str | None:
        if raw is None or raw.strip() == "":
            return self.missing
        key = raw.strip().upper()
        if key in self.mapping or self.default is not None:
            return self.mapping.get(key, self.default)
        return raw.strip() if self.unmapped == "keep" else None


@dataclass(frozen=True)
class Exclude:
    column: str
    values: tuple[str, ...] = ()
    not_values: tuple[str, ...] = ()
    reason: str = "excluded by profile rule"


@dataclass(frozen=True)
class ReadOptions:
    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    quote: str = '"'
    skip_lines: int = 0
    sheet: str | None = None
    header_rows: int = 1
    null_values: tuple[str, ...] = ("",)
    timezone: str | None = None
    datetime_formats: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = ()
    time_formats: tuple[str, ...] = ("%H:%M:%S", "%H:%M")
    date_sentinels: tuple[str, ...] = ()
    crs: str | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    city: str
    kind: str
    title: str = ""
    state: str | None = None
    source: str = ""
    url: str | None = None
    notes: str = ""
    portal: dict[str, Any] = field(default_factory=dict)
    read: ReadOptions = field(default_factory=ReadOptions)
    columns: dict[str, ColumnSpec] = field(default_factory=dict)
    values: dict[str, ValueMap] = field(default_factory=dict)
    true_values: tuple[str, ...] = ("Y", "YES", "TRUE", "T", "1")
    false_values: tuple[str, ...] = ("N", "NO", "FALSE", "F", "0")
    exclude: tuple[Exclude, ...] = ()
    rows: tuple[dict[str, ColumnSpec], ...] = ()
    areas: dict[str, Any] = field(default_factory=dict)
    population: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def table(self) -> str:
        return TABLE_OF_KIND[self.kind]

    def source_columns(self) -> set[str]:
        """Every source column the profile reads."""
        used: set[str] = set()
        for spec in [*self.columns.values(), *(s for r in self.rows for s in r.values())]:
            used.update(spec.sources)
            if spec.of:
                used.add(spec.of)
        used.update(v.source for v in self.values.values() if v.source)
        used.update(e.column for e in self.exclude)
        for key in ("id", "name", "population"):
            for section in (self.areas, self.population):
                if isinstance(section.get(key), str):
                    used.add(section[key])
        return used


def builtin_dir() -> Path:
    return Path(str(resources.files("publicsafety.profiles")))


def list_profiles() -> list[Profile]:
    """Every built-in profile, sorted by name."""
    return [load_profile(p) for p in sorted(builtin_dir().glob("*.toml"))]


def profile_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def load_profile(name_or_path: str | Path) -> Profile:
    """A profile by built-in name or by path of a TOML file."""
    path = Path(name_or_path)
    if path.suffix != ".toml" or not path.exists():
        candidate = builtin_dir() / f"{name_or_path}.toml"
        if not candidate.exists():
            names = profile_names()
            close = difflib.get_close_matches(str(name_or_path), names, n=3, cutoff=0.4)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise ProfileError(
                f"no profile named {str(name_or_path)!r}",
                fix=f"{hint}Run `publicsafety profile list` for the {len(names)} built-in profiles,"
                " pass the path of a TOML file, or draft one with `publicsafety profile draft FILE`.",
            )
        path = candidate
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"not valid TOML: {exc}", where=str(path)) from exc
    return parse_profile(data, path)


def _spec(value: Any, where: str) -> ColumnSpec:
    if isinstance(value, str):
        return ColumnSpec(sources=(value,))
    if not isinstance(value, dict):
        raise ProfileError(f"{where}: expected a column name or a table, got {value!r}")
    src = value.get("from", ())
    sources = (src,) if isinstance(src, str) else tuple(src)
    parse = value.get("parse", "text")
    if parse not in PARSERS:
        raise ProfileError(
            f"{where}: unknown parser {parse!r}", fix=f"use one of {', '.join(sorted(PARSERS))}"
        )
    if not sources and "const" not in value:
        raise ProfileError(f"{where}: give `from` (source column) or `const`")
    pad = value.get("pad", 0)
    pads = tuple(pad) if isinstance(pad, list) else (pad,) * len(sources)
    if len(pads) != len(sources) or not all(isinstance(n, int) and n >= 0 for n in pads):
        raise ProfileError(
            f"{where}: pad = {pad!r} is not a width",
            fix="give one whole number (pad = 8) or one per source column (pad = [8, 4])",
        )
    return ColumnSpec(
        sources=sources,
        parse=parse,
        format=value.get("format"),
        const=value.get("const"),
        of=value.get("of"),
        scale=float(value.get("scale", 1.0)),
        optional=bool(value.get("optional", False)),
        pad=pads if any(pads) else (),
    )


def _check_columns(names: list[str], table: str, where: str) -> None:
    allowed = {c.name for c in tables.mappable(table)} | PSEUDO_COLUMNS
    for name in names:
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=3)
            raise ProfileError(
                f"{where}: {name!r} is not a column of the canonical {table!r} table",
                fix=f"did you mean {', '.join(close)}?" if close else "see tables.py",
            )


def parse_profile(data: dict[str, Any], path: Path | None = None) -> Profile:
    where = str(path) if path else "profile"
    head = data.get("profile", {})
    for key in ("name", "city", "kind"):
        if key not in head:
            raise ProfileError(f"[profile] lacks {key!r}", where=where)
    kind = head["kind"]
    if kind not in TABLE_OF_KIND:
        raise ProfileError(
            f"unknown kind {kind!r}", where=where, fix=f"use one of {', '.join(TABLE_OF_KIND)}"
        )
    if path is not None and path.stem != head["name"]:
        raise ProfileError(
            f"profile name {head['name']!r} does not match the file name {path.name!r}", where=where
        )
    r = data.get("read", {})
    fmt = r.get("format", "csv")
    if fmt not in FORMATS:
        raise ProfileError(f"unknown read.format {fmt!r}", where=where)
    read = ReadOptions(
        format=fmt,
        encoding=r.get("encoding", "utf-8"),
        delimiter=r.get("delimiter", ","),
        quote=r.get("quote", '"'),
        skip_lines=int(r.get("skip_lines", 0)),
        sheet=r.get("sheet"),
        header_rows=int(r.get("header_rows", 1)),
        null_values=tuple(r.get("null_values", [""])),
        timezone=r.get("timezone"),
        datetime_formats=tuple(r.get("datetime_formats", ())),
        date_formats=tuple(r.get("date_formats", ())),
        time_formats=tuple(r.get("time_formats", ("%H:%M:%S", "%H:%M"))),
        date_sentinels=tuple(r.get("date_sentinels", ())),
        crs=r.get("crs"),
    )
    table = TABLE_OF_KIND[kind]
    columns = {k: _spec(v, f"{where} [columns] {k}") for k, v in data.get("columns", {}).items()}
    _check_columns(list(columns), table, f"{where} [columns]")
    values = {}
    for col, vm in data.get("values", {}).items():
        _check_columns([col], table, f"{where} [values]")
        unmapped = vm.get("unmapped", "null")
        if unmapped not in UNMAPPED:
            raise ProfileError(
                f"[values.{col}] unmapped = {unmapped!r} is not an option",
                where=where,
                fix='use "null" (read as missing), "keep" (pass the raw value through) or'
                ' "quarantine"',
            )
        values[col] = ValueMap(
            source=vm.get("from"),
            mapping={str(k).strip().upper(): v for k, v in vm.get("map", {}).items()},
            default=vm.get("default"),
            missing=vm.get("missing"),
            unmapped=unmapped,
        )
    booleans = data.get("booleans", {})
    exclude = tuple(
        Exclude(
            column=e["column"],
            values=tuple(str(v) for v in e.get("values", ())),
            not_values=tuple(str(v) for v in e.get("not_values", ())),
            reason=e.get("reason", "excluded by profile rule"),
        )
        for e in data.get("exclude", [])
    )
    rows = tuple(
        {k: _spec(v, f"{where} [[rows]] {k}") for k, v in row.items()}
        for row in data.get("rows", [])
    )
    for row in rows:
        _check_columns(list(row), table, f"{where} [[rows]]")
    return Profile(
        name=head["name"],
        city=head["city"],
        kind=kind,
        title=head.get("title", ""),
        state=head.get("state"),
        source=head.get("source", ""),
        url=head.get("url"),
        notes=head.get("notes", ""),
        portal=head.get("portal", {}),
        read=read,
        columns=columns,
        values=values,
        true_values=tuple(str(v).upper() for v in booleans.get("true", Profile.true_values)),
        false_values=tuple(str(v).upper() for v in booleans.get("false", Profile.false_values)),
        exclude=exclude,
        rows=rows,
        areas=data.get("areas", {}),
        population=data.get("population", {}),
        path=path,
    )
