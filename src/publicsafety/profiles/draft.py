"""Draft a city profile for a file never seen before, for a person to review and then use as is.

`draft_profile` samples the first rows of a CSV (any common encoding and delimiter, gzip or not),
XLSX or Parquet file, detects its dialect, and maps its columns onto the canonical table of a
kind by header names (synonyms kept as data in draft_data/synonyms.toml) and by the shapes of
the values. Each mapping carries a confidence (0-1) and its reason, written as TOML comments.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publicsafety import tables
from publicsafety.errors import InputError, ProfileError
from publicsafety.profiles import TABLE_OF_KIND
from publicsafety.profiles.draft_read import Dialect, sample
from publicsafety.profiles.draft_roles import (
    Mapping,
    header_score,
    propose,
    rules,
    settle,
    toml,
    words,
)
from publicsafety.profiles.draft_shapes import (
    ColumnShape,
    describe,
    label_value,
    origin_of,
    pick_crs,
)

EVENT_KINDS = ("calls", "stops", "incidents", "arrests", "force")


@dataclass
class Draft:
    """A drafted profile: what was read, what maps where, and the TOML text."""

    path: Path
    kind: str
    name: str
    city: str
    dialect: Dialect
    headers: list[str]
    sample_rows: int
    mappings: dict[str, Mapping]
    values: dict[str, dict[str, Any]]
    read: dict[str, Any]
    unmapped: list[str]
    shapes: dict[str, ColumnShape]
    text: str = ""

    def role(self, column: str) -> str | list[str] | None:
        """Source column(s) a canonical column is drafted from (None when unmapped)."""
        m = self.mappings.get(column)
        return m.source if m else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path.name,
            "kind": self.kind,
            "name": self.name,
            "sample_rows": self.sample_rows,
            "read": self.read,
            "mappings": [
                {
                    "column": m.column,
                    "source": m.source,
                    "parse": m.parse,
                    "format": m.format,
                    "const": m.const,
                    "confidence": m.confidence,
                    "reason": m.reason,
                }
                for m in self.mappings.values()
            ],
            "values": self.values,
            "unmapped": self.unmapped,
        }


TRUE_TOKENS = frozenset({"Y", "YES", "TRUE", "T", "1"})
MAX_MAPPED_VALUES = 60


def value_maps(
    chosen: dict[str, Mapping], shapes: dict[str, ColumnShape]
) -> dict[str, dict[str, Any]]:
    """[values.*] tables for origin, race and sex, from the values seen in the sample."""
    r = rules()
    out: dict[str, dict[str, Any]] = {}
    m = chosen.get("origin")
    if m and isinstance(m.source, str):
        s = shapes[m.source]
        if s.kind == "bool":
            officer = header_score(m.source, r["origin_flags"]["officer"])[0]
            community = header_score(m.source, r["origin_flags"]["community"])[0]
            yes, no = ("community", "officer") if community > officer else ("officer", "community")
            mapping = {v: yes if v.upper() in TRUE_TOKENS else no for v in s.counts}
        else:
            mapping = {
                v: origin_of(v, r["origin_values"]) or "unknown"
                for v, _ in s.counts.most_common(MAX_MAPPED_VALUES)
            }
        out["origin"] = {"map": mapping, "default": "unknown", "missing": "unknown"}
    for role, key in (("subject_race", "race_values"), ("subject_sex", "sex_values")):
        m = chosen.get(role)
        if not (m and isinstance(m.source, str)):
            continue
        s = shapes[m.source]
        letters = r[key]["letters"] if all(len(v) == 1 for v in s.counts) else {}
        mapping = {
            v: label_value(v, r[key]["words"], letters) or "other"
            for v, _ in s.counts.most_common(MAX_MAPPED_VALUES)
        }
        out[role] = {"map": mapping, "default": "other", "missing": "unknown"}
    return out


def read_section(
    d: Dialect,
    chosen: dict[str, Mapping],
    shapes: dict[str, ColumnShape],
    place: dict[str, Any] | None,
) -> dict[str, Any]:
    read: dict[str, Any] = {"format": d.format}
    if d.format == "csv":
        read |= {
            "encoding": d.encoding,
            "delimiter": d.delimiter,
            "quote": d.quote,
            "skip_lines": d.skip_lines,
        }
    if d.sheet:
        read["sheet"] = d.sheet
    tokens = sorted({t for s in shapes.values() for t in s.null_tokens})
    read["null_values"] = ["", *tokens]
    if place:
        read["timezone"] = place["timezone"]
    sources = {str(m.source) for m in chosen.values() if isinstance(m.source, str)}
    for key, kind in (
        ("datetime_formats", "datetime"),
        ("date_formats", "date"),
        ("time_formats", "time"),
    ):
        fmts = [shapes[c].format for c in sources if shapes[c].kind == kind and shapes[c].format]
        if fmts:
            read[key] = sorted(set(fmts), key=fmts.index)
    sentinels = sorted({k for c in sources for k in shapes[c].sentinels})
    if sentinels:
        read["date_sentinels"] = sentinels
    return read


def render(draft: Draft, crs_note: str, notes: list[str], state: str | None) -> str:
    """The draft as TOML, with confidences, reasons and unmapped columns as comments."""
    d = draft.dialect
    lines = [
        f"# Draft profile for {draft.path.name}",
        f"# written by `publicsafety profile draft` from the first {draft.sample_rows:,} rows.",
        "# Review it before use: each mapping gives how sure the draft is (confidence 0-1) and why.",
        "# Delete what is wrong, map what is missing, then set city, state and timezone if absent.",
    ]
    lines += [f"# File: {n}" for n in d.notes + (["CRLF line endings"] if d.crlf else [])]
    lines += [f"# Check: {n}" for n in notes]
    lines += ["", "[profile]", f"name = {toml(draft.name)}", f"city = {toml(draft.city)}"]
    if state:
        lines.append(f"state = {toml(state)}")
    lines += [
        f"kind = {toml(draft.kind)}",
        f"title = {toml('Draft: ' + draft.path.name)}",
        f"source = {toml(draft.path.name)}",
        f"notes = {toml('Drafted automatically from a sample of the file; reviewed by: (nobody yet)')}",
        "",
        "[read]",
    ]
    for key, value in draft.read.items():
        comment = f"  # {crs_note}" if key == "crs" and crs_note else ""
        lines.append(f"{key} = {toml(value)}{comment}")
    lines += ["", "[columns]"]
    for m in draft.mappings.values():
        lines.append(f"# {m.confidence:.2f}  {m.reason}")
        for note in shapes_notes(draft, m):
            lines.append(f"#       {note}")
        lines.append(f"{m.column} = {m.toml_value()}")
    for role, vm in draft.values.items():
        lines += [
            "",
            f"[values.{role}]",
            "# values seen in the sample; review the ones mapped to unknown/other",
        ]
        pairs = ", ".join(f"{toml(k)} = {toml(v)}" for k, v in vm["map"].items())
        lines += [
            f"map = {{ {pairs} }}",
            f"default = {toml(vm['default'])}",
            f"missing = {toml(vm['missing'])}",
        ]
    lines += exclude_hint(draft)
    if draft.unmapped:
        lines += [
            "",
            f"# Not mapped ({len(draft.unmapped)} columns): map them above if they matter.",
        ]
        for col in draft.unmapped:
            s = draft.shapes.get(col)
            desc = (
                f"{s.kind}, {s.distinct:,} distinct, e.g. {', '.join(s.top[:3])}"
                if s and s.nonnull
                else "empty"
            )
            lines.append(f"#   {col!r}: {desc[:110]}")
    return "\n".join(lines) + "\n"


def exclude_hint(draft: Draft) -> list[str]:
    """A commented-out [[exclude]] for dispositions that usually mean "not a real call"."""
    m = draft.mappings.get("disposition")
    if draft.kind != "calls" or not m or not isinstance(m.source, str):
        return []
    words_ = rules()["exclude_hint"]["dispositions"]
    hits = [v for v in draft.shapes[m.source].counts if v.upper().split("-")[0].strip() in words_]
    if not hits:
        return []
    return [
        "",
        "# Suggested, not active: these dispositions usually mark duplicate, void or test events.",
        "# Uncomment to send those rows to quarantine (counted, never lost).",
        "# [[exclude]]",
        f"# column = {toml(m.source)}",
        f"# values = {toml(sorted(hits))}",
        '# reason = "duplicate, void or test event"',
    ]


def shapes_notes(draft: Draft, m: Mapping) -> list[str]:
    sources = m.source if isinstance(m.source, list) else [m.source] if m.source else []
    out: list[str] = []
    for src in sources:
        s = draft.shapes.get(src)
        if s:
            out += s.notes
            out += [
                f"{n:,} sampled values are the sentinel {k} (read as missing)"
                for k, n in s.sentinels.items()
            ]
    return out


def draft_profile(
    path: Path | str,
    kind: str,
    out: Path | str | None = None,
    *,
    city: str | None = None,
    crs: str | None = None,
) -> Draft:
    """Draft a profile for `path` as a source of `kind`; write it to `out` when given."""
    from publicsafety.profiles import parse_profile

    path = Path(path)
    if kind not in EVENT_KINDS:
        raise ProfileError(
            f"cannot draft a profile of kind {kind!r}",
            fix=f"draft one of {', '.join(EVENT_KINDS)}; write areas, population and budget"
            " profiles by hand from profiles/FORMAT.md",
        )
    d, header, rows = sample(path)
    if not header:
        raise InputError(
            "no header row found", where=str(path), fix="the first row must name the columns"
        )
    r = rules()
    shapes: dict[str, ColumnShape] = {}
    for i, col in enumerate(header):
        if col and col not in shapes:
            values = [row[i] if i < len(row) else None for row in rows]
            shapes[col] = describe(col, values, words(col), r)
    chosen = propose(kind, header, shapes)
    notes = settle(kind, chosen, shapes)
    for role in ("lon", "lng", "lat", "x", "y"):
        m = chosen.get(role)
        if m and isinstance(m.source, str) and m.parse == "float":
            zeros = sum(n for v, n in shapes[m.source].counts.items() if _is_zero(v))
            if zeros:
                m.reason += f"; {zeros:,} sampled values are 0, usually a missing point"
    if kind == "calls" and "origin" not in chosen:
        # Unknown is a value (vocab.Origin), so analyses count these calls rather than drop them.
        why = "no column says how calls came in; map one (or call types) if the city has it"
        chosen["origin"] = Mapping("origin", None, 0.5, why, const="unknown")
    place = r["places"].get(city.strip().lower()) if city else None
    crs_note = ""
    read = read_section(d, chosen, shapes, place)
    if "x" in chosen:
        xs, ys = (shapes[str(chosen[c].source)] for c in ("x", "y"))
        pts = _pairs(rows, header, str(chosen["x"].source), str(chosen["y"].source))
        code, conf, why, alts = pick_crs([p[0] for p in pts], [p[1] for p in pts], place)
        if crs:
            code, conf, why = crs, 1.0, "given with --crs"
        if code:
            read["crs"] = code
            crs_note = f"{conf:.2f}  {why}" + (
                f"; also possible: {', '.join(alts[:4])}" if alts else ""
            )
        else:
            notes.append(f"x/y {xs.name!r}/{ys.name!r}: {why}; set read.crs or pass --crs")
            del chosen["x"], chosen["y"]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        notes.append(f"duplicate headers, not mapped: {', '.join(dupes)}")
    used: set[str] = set()
    for m in chosen.values():
        used.update([m.source] if isinstance(m.source, str) else m.source or [])
    for role, raw in (("origin", "origin_raw"), ("subject_race", "subject_race_raw")):
        base = chosen.get(role)
        if (
            base
            and isinstance(base.source, str)
            and raw in {c.name for c in tables.mappable(TABLE_OF_KIND[kind])}
        ):
            chosen[raw] = Mapping(raw, base.source, base.confidence, f"the raw value of {role}")
    order = {c.name: i for i, c in enumerate(tables.mappable(TABLE_OF_KIND[kind]))}
    chosen = dict(sorted(chosen.items(), key=lambda kv: order.get(kv[0], len(order))))
    out_path = Path(out) if out else None
    name = out_path.stem if out_path else f"draft_{kind}"
    draft = Draft(
        path=path,
        kind=kind,
        name=name,
        city=city or "Unknown city",
        dialect=d,
        headers=header,
        sample_rows=len(rows),
        mappings=chosen,
        values=value_maps(chosen, shapes),
        read=read,
        unmapped=[h for h in dict.fromkeys(header) if h and h not in used],
        shapes=shapes,
    )
    draft.text = render(draft, crs_note, notes, place["state"] if place else None)
    parse_profile(tomllib.loads(draft.text), out_path)  # the draft must load as it is
    if out_path:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(draft.text, encoding="utf-8")
    return draft


def _pairs(
    rows: list[list[str | None]], header: list[str], xcol: str, ycol: str
) -> list[tuple[float, float]]:
    ix, iy = header.index(xcol), header.index(ycol)
    out = []
    for row in rows:
        try:
            x, y = float(str(row[ix]).strip()), float(str(row[iy]).strip())
        except (ValueError, IndexError):
            continue
        if x and y:
            out.append((x, y))
    return out


def _is_zero(value: str) -> bool:
    try:
        return float(value) == 0
    except ValueError:
        return False
