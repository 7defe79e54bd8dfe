"""Boundary files honour a profile's [[exclude]] rules: excluded features go to quarantine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.profiles import parse_profile

BEATS = Path(__file__).resolve().parents[1] / "data" / "ingest" / "beats.geojson"


def profile(rule: dict[str, Any]) -> Any:
    return parse_profile({
        "profile": {"name": "beats", "city": "Beat Town", "kind": "areas"},
        "read": {"format": "geojson"},
        "areas": {"area_set": "beats", "id": "BEAT"},
        "exclude": [{"column": "status", "reason": "retired beat", **rule}],
    })  # fmt: skip


def test_values_rule_excludes_matching_features_before_other_problems(store: Store) -> None:
    result = ingest_file(store, BEATS, profile({"values": ["RETIRED"]}))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    assert store.con.execute("SELECT area_id FROM areas ORDER BY 1").fetchall() == [
        ("1A",),
        ("2A",),
    ]
    # Feature 3 also lacks an id; the rule wins, as it does for CSV rows.
    held = store.con.execute(
        "SELECT source_line, column_name, value, reason FROM quarantine ORDER BY source_line"
    ).fetchall()
    assert held == [
        (2, "Status", " Retired ", "retired beat"),
        (3, "Status", "retired", "retired beat"),
    ]


def test_not_values_rule_excludes_missing_values_too(store: Store) -> None:
    result = ingest_file(store, BEATS, profile({"not_values": ["active"]}))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    assert result.quarantine_reasons == {"retired beat": 3}
    msg = [m for m in result.messages if "line 2," in m]
    assert msg[0].startswith('beats.geojson line 2, column Status: " Retired ": retired beat.')
