"""Canonical table schemas: the one contract between ingest and analysis (DESIGN.md).

Every data table carries `city`, `load_id`, `row_id` (unique within the table), `source_file` and
`source_line` so any published figure can be traced to the raw row it came from. Area ids for
points live in `placements` (one row per point and area set), so a new area set can be added later
without rewriting the event tables.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type
    doc: str = ""


def _cols(*spec: tuple[str, str, str] | Column) -> tuple[Column, ...]:
    return tuple(s if isinstance(s, Column) else Column(*s) for s in spec)


TRACE = _cols(
    ("city", "VARCHAR", "city name as in the profile"),
    ("load_id", "INTEGER", "the load (see `loads`) that brought this row"),
    ("row_id", "BIGINT", "unique within the table; key for `placements`"),
    ("source_file", "VARCHAR", "raw file name"),
    ("source_line", "BIGINT", "line of the raw file where the record starts (1 = header)"),
)

LOCATION = _cols(
    ("block_address", "VARCHAR", "address as given (generalised by privacy.py on output)"),
    ("beat", "VARCHAR", "police beat / zone as the city codes it"),
    ("district", "VARCHAR", "police district / precinct"),
    ("lon", "DOUBLE", "WGS84 longitude"),
    ("lat", "DOUBLE", "WGS84 latitude"),
)

CALLS = _cols(
    ("call_id", "VARCHAR", "the city's call / CAD event id"),
    ("received_at", "TIMESTAMP", "call created / received (local time)"),
    ("dispatched_at", "TIMESTAMP", "first unit dispatched"),
    ("enroute_at", "TIMESTAMP", "first unit en route"),
    ("arrived_at", "TIMESTAMP", "first unit on scene"),
    ("cleared_at", "TIMESTAMP", "call closed / cleared"),
    ("call_type_code", "VARCHAR", "final call type code"),
    ("call_type", "VARCHAR", "final call type description"),
    ("initial_call_type_code", "VARCHAR", "call type code at intake"),
    ("initial_call_type", "VARCHAR", "call type description at intake"),
    ("priority", "VARCHAR", "priority as the city codes it"),
    ("initial_priority", "VARCHAR", "priority at intake"),
    ("origin", "VARCHAR", "community | officer | alarm | other | unknown (vocab.Origin)"),
    ("origin_raw", "VARCHAR", "the raw value the origin was derived from"),
    ("disposition", "VARCHAR", "disposition code"),
    ("disposition_text", "VARCHAR", "disposition description"),
    ("agency", "VARCHAR", "police / fire / ems where a CAD mixes agencies"),
    ("units", "INTEGER", "number of units assigned, where known"),
    ("date_only", "BOOLEAN", "true when the source gives dates without times"),
    *LOCATION,
    # Derived after load by publicsafety.taxonomy / analysis (NULL until classified).
    ("category", "VARCHAR", "vocab.Category"),
    ("responder", "VARCHAR", "vocab.Responder"),
    ("category_rule", "VARCHAR", "which map row or keyword rule classified the call"),
    ("officer_minutes", "DOUBLE", "officer time committed, by the rules of analysis/officer_time"),
)

# Columns of `calls` that ingest never fills.
CALLS_DERIVED = frozenset({"category", "responder", "category_rule", "officer_minutes"})

STOPS = _cols(
    ("stop_id", "VARCHAR", "the city's stop id"),
    ("date", "DATE", "stop date"),
    ("time", "TIME", "stop time (local)"),
    ("stopped_at", "TIMESTAMP", "date and time combined"),
    ("location", "VARCHAR", "location text"),
    ("lng", "DOUBLE", "WGS84 longitude (SOPP name)"),
    ("lat", "DOUBLE", "WGS84 latitude"),
    ("beat", "VARCHAR", "beat / zone"),
    ("district", "VARCHAR", "district / precinct"),
    ("neighborhood", "VARCHAR", "neighbourhood as the source names it"),
    ("subject_race", "VARCHAR", "vocab.Race"),
    ("subject_race_raw", "VARCHAR", "raw race value"),
    ("subject_sex", "VARCHAR", "vocab.Sex"),
    ("subject_age", "INTEGER", "age in years"),
    ("type", "VARCHAR", "vehicular | pedestrian | other | unknown"),
    ("reason_for_stop", "VARCHAR", "as recorded"),
    ("search_conducted", "BOOLEAN", "any search of person or vehicle"),
    ("search_person", "BOOLEAN", "person searched"),
    ("search_vehicle", "BOOLEAN", "vehicle searched"),
    ("search_basis", "VARCHAR", "consent | probable cause | other ..."),
    ("contraband_found", "BOOLEAN", "search found contraband"),
    ("frisk_performed", "BOOLEAN", "frisk"),
    ("arrest_made", "BOOLEAN", "arrest"),
    ("citation_issued", "BOOLEAN", "citation"),
    ("warning_issued", "BOOLEAN", "warning"),
    ("outcome", "VARCHAR", "most serious outcome"),
    ("use_of_force", "BOOLEAN", "force used"),
)

INCIDENTS = _cols(
    ("incident_id", "VARCHAR", "report / incident id"),
    ("reported_at", "TIMESTAMP", "reported"),
    ("occurred_at", "TIMESTAMP", "occurred"),
    ("date_only", "BOOLEAN", "true when the source gives dates without times"),
    ("offense_code", "VARCHAR", "city offense code"),
    ("offense", "VARCHAR", "offense description"),
    ("nibrs_code", "VARCHAR", "NIBRS code where known"),
    ("crime_category", "VARCHAR", "violent | property | other | unknown"),
    *LOCATION,
    ("neighborhood", "VARCHAR", "neighbourhood as the source names it"),
)

ARRESTS = _cols(
    ("arrest_id", "VARCHAR", "arrest number"),
    ("arrested_at", "TIMESTAMP", "arrest date/time"),
    ("date_only", "BOOLEAN", "true when the source gives dates without times"),
    ("charge_code", "VARCHAR", "charge code"),
    ("charge", "VARCHAR", "charge description"),
    ("offense", "VARCHAR", "incident offense"),
    ("crime_category", "VARCHAR", "violent | property | other | unknown"),
    ("subject_race", "VARCHAR", "vocab.Race"),
    ("subject_race_raw", "VARCHAR", "raw race value"),
    ("subject_sex", "VARCHAR", "vocab.Sex"),
    ("subject_age", "INTEGER", "age in years"),
    *LOCATION,
    ("neighborhood", "VARCHAR", "neighbourhood as the source names it"),
)

FORCE = _cols(
    ("incident_id", "VARCHAR", "incident id where the source has one"),
    ("occurred_at", "TIMESTAMP", "response / occurrence time"),
    ("problem", "VARCHAR", "call / problem type"),
    ("force_type", "VARCHAR", "force type"),
    ("force_action", "VARCHAR", "force type detail"),
    ("subject_race", "VARCHAR", "vocab.Race"),
    ("subject_race_raw", "VARCHAR", "raw race value"),
    ("subject_sex", "VARCHAR", "vocab.Sex"),
    ("subject_age", "INTEGER", "age in years"),
    ("subject_injury", "BOOLEAN", "subject injured"),
    ("called_by_911", "BOOLEAN", "the encounter began with a 911 call"),
    *LOCATION,
    ("neighborhood", "VARCHAR", "neighbourhood as the source names it"),
)

AREAS = _cols(
    ("area_set", "VARCHAR", "name of the area set, e.g. neighborhoods, tracts, zones"),
    ("area_id", "VARCHAR", "id within the set"),
    ("name", "VARCHAR", "display name"),
    ("geometry", "BLOB", "WKB polygon in WGS84"),
    ("population", "DOUBLE", "total residents where known"),
    ("xmin", "DOUBLE", "bounding box"),
    ("ymin", "DOUBLE", ""),
    ("xmax", "DOUBLE", ""),
    ("ymax", "DOUBLE", ""),
)

POPULATION = _cols(
    ("area_set", "VARCHAR", "area set the counts belong to"),
    ("area_id", "VARCHAR", "area id"),
    ("dimension", "VARCHAR", "total | race | sex | age_band | poverty (vocab.PopulationDimension)"),
    (
        "group",
        "VARCHAR",
        "group: total, a vocab.Race / vocab.Sex value, an age band, below_poverty",
    ),
    ("count", "DOUBLE", "residents (estimates may be fractional)"),
    ("year", "INTEGER", "data year"),
    ("source", "VARCHAR", "e.g. ACS 2017 5-year"),
)

BUDGET = _cols(
    ("fiscal_year", "INTEGER", "fiscal year (the year it ends)"),
    ("department", "VARCHAR", "department"),
    ("program", "VARCHAR", "program / function line"),
    ("fund", "VARCHAR", "fund (general fund, all funds ...)"),
    ("account", "VARCHAR", "account / spending category"),
    ("amount", "DOUBLE", "US dollars"),
    ("basis", "VARCHAR", "adopted | actual | proposed | revised"),
    ("function", "VARCHAR", "vocab.BudgetFunction"),
    ("fte", "DOUBLE", "positions where given"),
    ("sworn_fte", "DOUBLE", "sworn positions where given"),
)

QUARANTINE = _cols(
    ("city", "VARCHAR", ""),
    ("load_id", "INTEGER", ""),
    ("kind", "VARCHAR", "target table"),
    ("source_file", "VARCHAR", ""),
    ("source_line", "BIGINT", "line where the record starts"),
    ("column_name", "VARCHAR", "raw column at fault (NULL for a whole-row fault)"),
    ("value", "VARCHAR", "the offending value"),
    ("reason", "VARCHAR", "why the row was rejected or excluded"),
    ("raw", "VARCHAR", "the raw record, verbatim where the reader could give it"),
)

LOADS = _cols(
    ("load_id", "INTEGER", ""),
    ("city", "VARCHAR", ""),
    ("kind", "VARCHAR", ""),
    ("profile", "VARCHAR", "profile name"),
    ("source_file", "VARCHAR", "file name"),
    ("source_path", "VARCHAR", "path as given"),
    ("checksum", "VARCHAR", "sha256 of the file"),
    ("rows_read", "BIGINT", "records counted by our reader, independently of the engine"),
    ("rows_loaded", "BIGINT", ""),
    ("rows_quarantined", "BIGINT", ""),
    ("started_at", "TIMESTAMP", ""),
    ("seconds", "DOUBLE", ""),
    ("area_set", "VARCHAR", "for areas / population loads"),
)

PLACEMENTS = _cols(
    ("kind", "VARCHAR", "event table: calls, stops, incidents, arrests, force"),
    ("row_id", "BIGINT", "row_id in that table"),
    ("area_set", "VARCHAR", ""),
    ("area_id", "VARCHAR", "NULL when the point is in no area of the set"),
)

EVENT_TABLES: dict[str, tuple[Column, ...]] = {
    "calls": TRACE + CALLS,
    "stops": TRACE + STOPS,
    "incidents": TRACE + INCIDENTS,
    "arrests": TRACE + ARRESTS,
    "force": TRACE + FORCE,
}

TABLES: dict[str, tuple[Column, ...]] = {
    **EVENT_TABLES,
    "areas": TRACE + AREAS,
    "population": TRACE + POPULATION,
    "budget": TRACE + BUDGET,
    "quarantine": QUARANTINE,
    "loads": LOADS,
    "placements": PLACEMENTS,
}

# Columns a profile may fill (everything but the trace columns, which ingest sets itself).
TRACE_NAMES = frozenset(c.name for c in TRACE)


def columns(table: str) -> tuple[Column, ...]:
    return TABLES[table]


def column_names(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]


def mappable(table: str) -> list[Column]:
    """Columns of a table that a profile maps from source columns."""
    skip = TRACE_NAMES | (CALLS_DERIVED if table == "calls" else frozenset())
    return [c for c in TABLES[table] if c.name not in skip]


def ddl(table: str) -> str:
    cols = ",\n  ".join(f'"{c.name}" {c.type}' for c in TABLES[table])
    return f'CREATE TABLE IF NOT EXISTS "{table}" (\n  {cols}\n)'
