"""Choosing canonical roles for a sampled file's columns, for `profile draft`: header synonyms
(data in draft_data/synonyms.toml) weighed with what the values look like, assigned greedily.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from publicsafety import tables
from publicsafety.profiles import TABLE_OF_KIND
from publicsafety.profiles.draft_shapes import ColumnShape

# The parser a canonical type takes when the sample has no value to judge by.
DEFAULT_PARSE = {"TIMESTAMP": "datetime", "DATE": "date", "TIME": "time", "DOUBLE": "float",
                 "INTEGER": "int", "BIGINT": "int", "BOOLEAN": "bool"}  # fmt: skip


@cache
def rules() -> dict[str, Any]:
    """The synonym and value rules (draft_data/synonyms.toml)."""
    text = (resources.files("publicsafety.profiles") / "draft_data" / "synonyms.toml").read_text(
        encoding="utf-8"
    )
    return tomllib.loads(text)


def words(header: str) -> tuple[str, ...]:
    """A header as lower-case words: "TimeCreate", "time_create", "Time Create" -> (time, create)."""
    s = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", s)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", s)
    return tuple(re.sub(r"[^a-z0-9]+", " ", s.lower()).split())


def header_score(header: str, synonyms: list[str]) -> tuple[float, str]:
    """How well a header names a role (0-1), and the synonym that matched."""
    hw = words(header)
    best, why = 0.0, ""
    for syn in synonyms:
        sw = tuple(syn.split())
        if hw == sw or "".join(hw) == "".join(sw):
            return 1.0, syn
        # Shapefile (dBase) headers are cut at 10 characters: "Neighborho", "ChargeDesc".
        if len(header) == 10 and "".join(sw).startswith("".join(hw)) and best < 0.9:
            best, why = 0.9, syn
        if sw and set(sw) <= set(hw):
            score = max(0.5, 0.75 - 0.05 * (len(hw) - len(sw)))
            if score > best:
                best, why = score, syn
    return best, why


@dataclass
class Mapping:
    """One proposed canonical column."""

    column: str
    source: str | list[str] | None
    confidence: float
    reason: str
    parse: str = "text"
    format: str | None = None
    const: Any = None
    optional: bool = False

    def toml_value(self) -> str:
        if self.const is not None:
            return "{ const = " + toml(self.const) + " }"
        if self.parse == "text" and isinstance(self.source, str) and not self.optional:
            return toml(self.source)
        parts = [f"from = {toml(self.source)}", f"parse = {toml(self.parse)}"]
        if self.format:
            parts.append(f"format = {toml(self.format)}")
        if self.optional:
            parts.append("optional = true")
        return "{ " + ", ".join(parts) + " }"


def toml(value: Any) -> str:
    """A TOML literal for a string, number, bool or list of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    s = str(value)
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    out = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in out)
    return f'"{out}"'


def role_synonyms(kind: str) -> dict[str, tuple[list[str], list[str]]]:
    """Canonical column (plus x / y) -> (synonyms, weak synonyms) for a kind."""
    r = rules()
    table = TABLE_OF_KIND[kind]
    allowed = {c.name for c in tables.mappable(table)} | {"x", "y"}
    section, common = r.get(kind, {}), r["common"]
    out: dict[str, tuple[list[str], list[str]]] = {}
    for part, weak_part in ((section, section.get("weak", {})), (common, common.get("weak", {}))):
        for role, syns in part.items():
            if role == "weak" or not isinstance(syns, list):
                continue
            name = "lng" if role == "lon" and "lng" in allowed else role
            if name in allowed and name not in out:
                out[name] = (syns, weak_part.get(role, []))
    return out


def fit(role: str, ctype: str, s: ColumnShape) -> tuple[float, str, str | None, str]:
    """How a column's values fit a role: (score 0-1, parser, format, why)."""
    if s.nonnull == 0:
        return 0.3, DEFAULT_PARSE.get(ctype, "text"), None, "no values in the sample"
    if role in ("lon", "lng", "lat"):
        if s.wkt:
            return 0.95, "wkt_x" if role != "lat" else "wkt_y", None, "WKT POINT values"
        lo, hi = (-180, 180) if role != "lat" else (-90, 90)
        if s.numeric and s.min is not None and s.max is not None and lo <= s.min <= s.max <= hi:
            return 1.0, "float", None, f"numbers from {s.min:g} to {s.max:g}"
        return 0.0, "", None, ""
    if role in ("x", "y"):
        if s.numeric and s.max is not None and max(abs(s.max), abs(s.min or 0)) > 1000:
            return 1.0, "float", None, f"projected coordinates {s.min:,.0f} to {s.max:,.0f}"
        return 0.0, "", None, ""
    if ctype == "TIMESTAMP":
        if s.kind == "datetime":
            return 1.0, "datetime", s.format, f"dates and times like {s.example!r} ({s.format})"
        if s.kind == "date":
            return 0.9, "datetime", s.format, f"dates only like {s.example!r} ({s.format})"
        return 0.0, "", None, ""
    if ctype == "DATE":
        if s.kind in ("date", "datetime"):
            return (1.0 if s.kind == "date" else 0.8), "date", s.format, f"dates ({s.format})"
        return 0.0, "", None, ""
    if ctype == "TIME":
        return (
            (1.0, "time", s.format, f"times ({s.format})")
            if s.kind == "time"
            else (0, "", None, "")
        )
    if ctype == "BOOLEAN":
        ok = s.kind == "bool"
        return (1.0, "bool", None, f"yes/no values {s.distinct_text}") if ok else (0, "", None, "")
    if role == "subject_age":
        ages = sum(n for v, n in s.counts.items() if v.isdigit() and int(v) <= 120)
        if ages >= 0.9 * s.nonnull:
            return 1.0, "int", None, f"{ages / s.nonnull:.1%} whole numbers from 0 to 120"
        return 0.0, "", None, ""
    if ctype in ("INTEGER", "BIGINT"):
        return (
            (1.0, "int", None, "whole numbers") if s.kind in ("int", "bool") else (0, "", None, "")
        )
    # Text roles from here on.
    if s.wkt or s.kind in ("datetime", "date", "time"):
        return 0.0, "", None, ""
    if role == "origin":
        if s.origin_share >= 0.6:
            return 1.0, "text", None, f"{s.origin_share:.0%} of values name how a call came in"
        if s.kind == "bool":
            return 0.9, "text", None, f"a yes/no flag {s.distinct_text}"
        return 0.0, "", None, ""
    if role in ("subject_race", "subject_sex"):
        share = s.race_share if role == "subject_race" else s.sex_share
        if share >= 0.8:
            return 1.0, "text", None, f"{share:.0%} of values are {role.split('_')[1]} values"
        return 0.0, "", None, ""
    penalty = 0.3 if s.origin_share >= 0.6 else 1.0  # how-received values are not call types
    if role in ("priority", "initial_priority"):
        ok = s.distinct <= 40 and s.max_len <= 4
        return (penalty, "text", None, f"{s.distinct} short codes") if ok else (0, "", None, "")
    if role in ("beat", "district"):
        if s.max_len > 16 or s.distinct > 2000:
            return 0.0, "", None, ""
        parse = "excel_text" if s.excel_mangled else "text"
        why = f"{s.distinct} short area codes" + (
            f"; {s.excel_mangled} Excel-mangled like 8.00E+01" if s.excel_mangled else ""
        )
        return penalty, parse, None, why
    if role.endswith("_id"):
        if s.unique_share >= 0.999:
            return 1.0, "text", None, "unique in the sample"
        return 0.7, "text", None, f"{s.repeats:,} repeated values in the sample"
    if role.endswith("_code") or role == "disposition":
        return (
            (1.0 if s.code_like else 0.5) * penalty,
            "text",
            None,
            "short codes" if s.code_like else "text",
        )
    if role in ("call_type", "initial_call_type", "disposition_text", "offense", "charge"):
        return (
            (0.6 if s.code_like else 1.0) * penalty,
            "text",
            None,
            "text" if not s.code_like else "codes",
        )
    return 0.8 * penalty, "text", None, "text"


def propose(kind: str, header: list[str], shapes: dict[str, ColumnShape]) -> dict[str, Mapping]:
    """Greedy assignment of source columns to roles by confidence."""
    table = TABLE_OF_KIND[kind]
    ctypes = {c.name: c.type for c in tables.mappable(table)} | {"x": "DOUBLE", "y": "DOUBLE"}
    dupes = {h for h in header if header.count(h) > 1}
    cands: list[tuple[float, int, str, Mapping]] = []
    for role, (syns, weak) in role_synonyms(kind).items():
        for pos, col in enumerate(header):
            if not col or col in dupes:
                continue
            s = shapes[col]
            h, syn = header_score(col, syns)
            hw, wsyn = header_score(col, weak)
            if hw * 0.6 > h:
                h, syn = hw * 0.6, wsyn
            score, parse, fmt, why = fit(role, ctypes[role], s)
            if score <= 0:
                continue
            if h > 0:
                conf = 0.6 * h + 0.4 * score
                if any("zero-padded" in n for n in s.notes):
                    conf *= 0.7  # it will not read as it stands
                reason = f"header {col!r} ~ {syn!r}; {why}"
            elif role in ("lon", "lng", "lat") and s.wkt:
                conf, reason = 0.85, f"{why} in {col!r}"
            elif role == "origin" and s.origin_share >= 0.8:
                conf, reason = 0.7, f"{why} (column {col!r})"
            else:
                continue
            m = Mapping(role, col, round(conf, 2), reason, parse, fmt)
            # Some values will not parse (e.g. "**" ages): read them as missing, not quarantine.
            m.optional = parse in ("int", "float") and s.kind not in ("int", "float", "empty")
            # A stop with an unreadable time is still a stop; its date decides its day.
            m.optional |= ctypes[role] == "TIME" and any("zero-padded" in n for n in s.notes)
            cands.append((conf, -pos, role, m))
    cands.sort(key=lambda c: (c[0], c[1]), reverse=True)
    chosen: dict[str, Mapping] = {}
    used: set[str] = set()
    for conf, _pos, role, m in cands:
        col = str(m.source)
        shared = m.parse in ("wkt_x", "wkt_y")  # one WKT column gives both lon and lat
        if role in chosen or (col in used and not shared) or conf < 0.45:
            continue
        chosen[role] = m
        used.add(col)
    return chosen


def settle(kind: str, chosen: dict[str, Mapping], shapes: dict[str, ColumnShape]) -> list[str]:
    """Fix up pairs the greedy pass cannot see; returns notes for the reviewer."""
    notes: list[str] = []
    lon = "lng" if kind == "stops" else "lon"
    for a, b in ((lon, "lat"), ("x", "y")):
        if (a in chosen) != (b in chosen):
            lone = chosen.pop(a, None) or chosen.pop(b)
            notes.append(
                f"{lone.source!r} looked like {lone.column} but has no partner: not mapped"
            )
    if lon in chosen and "x" in chosen:
        notes.append(
            f"{chosen['x'].source!r}/{chosen['y'].source!r} (projected) unused: lon/lat are given"
        )
        del chosen["x"], chosen["y"]
    if "disposition_text" in chosen and "disposition" not in chosen:
        m = chosen.pop("disposition_text")
        m.column = "disposition"
        chosen["disposition"] = m
    if kind == "stops":
        st = chosen.get("stopped_at")
        if st and st.parse == "datetime":
            for role in ("date", "time"):
                if role not in chosen:
                    chosen[role] = Mapping(
                        role,
                        st.source,
                        st.confidence,
                        f"{role} part of {st.source!r}",
                        role,
                        st.format,
                    )
        d, t = chosen.get("date"), chosen.get("time")
        if d and t and "stopped_at" not in chosen and d.source != t.source:
            chosen["stopped_at"] = Mapping(
                "stopped_at",
                [str(d.source), str(t.source)],
                min(d.confidence, t.confidence),
                f"{d.source!r} and {t.source!r} joined",
                "datetime",
                f"{d.format} {t.format}",
            )
            chosen["stopped_at"].optional = t.optional
    if kind in ("calls", "incidents", "arrests"):
        times = [m for m in chosen.values() if m.parse == "datetime"]
        if times and all(shapes[str(m.source)].kind == "date" for m in times):
            chosen["date_only"] = Mapping(
                "date_only", None, 0.9, "the file has dates without times", const=True
            )
    return notes
