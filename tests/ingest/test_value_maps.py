"""Value maps: raw values outside a map without `default` are counted, kept or quarantined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from publicsafety.engine import Store
from publicsafety.errors import ProfileError
from publicsafety.ingest import ingest_file
from publicsafety.profiles import parse_profile

CODES = Path(__file__).resolve().parents[1] / "data" / "ingest" / "origin_codes.csv"


def profile(unmapped: str | None, column: str = "origin") -> Any:
    values: dict[str, Any] = {"from": "self", "map": {"Y": "officer", "N": "community"}}
    if unmapped is not None:
        values["unmapped"] = unmapped
    return parse_profile({
        "profile": {"name": "codes", "city": "Code Town", "kind": "calls"},
        "read": {"datetime_formats": ["%m/%d/%Y %H:%M"]},
        "columns": {"call_id": "id", "received_at": "received", "call_type": "type"},
        "values": {column: values},
    })  # fmt: skip


def origins(store: Store, column: str = "origin") -> list[tuple[str, str | None]]:
    sql = f"SELECT call_id, {column} FROM calls ORDER BY call_id"
    return store.con.execute(sql).fetchall()


def test_unmapped_values_are_counted_and_read_as_missing_by_default(store: Store) -> None:
    result = ingest_file(store, CODES, profile(None))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 7, 0)
    # Keys compare case-insensitively: ONVIEW and onview are one value, counted per spelling.
    assert result.unmapped == {"origin": {"ONVIEW": 1, "onview": 1, "ALARM": 1, "{x}": 1}}
    assert [o for _, o in origins(store)] == ["officer", "community", None, None, None, None, None]
    msg = [m for m in result.messages if "not in the map" in m]
    assert msg == [
        "origin_codes.csv: origin: 4 values not in the map (ALARM x1, ONVIEW x1, onview x1,"
        " {x} x1); they were read as missing. Add them to [values.origin] map, set a default,"
        ' or set unmapped = "keep" or "quarantine".'
    ]


def test_unmapped_keep_passes_the_raw_value_through(store: Store) -> None:
    result = ingest_file(store, CODES, profile("keep", "call_type"))
    assert (result.rows_loaded, result.rows_quarantined) == (7, 0)
    assert [o for _, o in origins(store, "call_type")] == [
        "officer", "community", "ONVIEW", "onview", "ALARM", None, "{x}"
    ]  # fmt: skip
    assert result.unmapped["call_type"]["ALARM"] == 1
    assert any("they were kept as they are." in m for m in result.messages)


def test_unmapped_quarantine_sends_the_row_with_its_reason(store: Store) -> None:
    result = ingest_file(store, CODES, profile("quarantine"))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 3, 4)
    assert result.unmapped == {}
    assert result.quarantine_reasons == {"self: is not in the value map": 4}
    held = store.con.execute(
        "SELECT source_line, column_name, value FROM quarantine ORDER BY source_line"
    ).fetchall()
    assert held == [(4, "self", "ONVIEW"), (5, "self", "onview"), (6, "self", "ALARM"),
                    (8, "self", "{x}")]  # fmt: skip
    # An empty value is missing, not unmapped: row 6 loads.
    assert [c for c, _ in origins(store)] == ["1", "2", "6"]


def test_a_default_leaves_nothing_unmapped(store: Store) -> None:
    prof = profile(None)
    data = {"profile": {"name": "codes", "city": "Code Town", "kind": "calls"},
            "read": {"datetime_formats": ["%m/%d/%Y %H:%M"]},
            "columns": {"call_id": "id", "received_at": "received"},
            "values": {"origin": {"from": "self", "map": {"Y": "officer"}, "default": "other"}}}  # fmt: skip
    result = ingest_file(store, CODES, parse_profile(data))
    assert result.unmapped == {} and prof.values["origin"].unmapped == "null"
    assert [o for _, o in origins(store)].count("other") == 5


def test_an_unknown_unmapped_option_is_a_profile_error() -> None:
    with pytest.raises(ProfileError, match="unmapped = 'drop' is not an option"):
        profile("drop")
