"""An exclusion message shows an empty value as (empty), never as None."""

from __future__ import annotations

from pathlib import Path

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.profiles import parse_profile


def test_empty_excluded_value_reads_empty(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "years.csv"
    f.write_text("id,year\n1,2016\n2,\n3,2015\n4,  \n")
    prof = parse_profile({
        "profile": {"name": "years", "city": "Year Town", "kind": "stops"},
        "columns": {"stop_id": "id"},
        "exclude": [{"column": "year", "not_values": ["2016"], "reason": "not a 2016 stop"}],
    })  # fmt: skip
    result = ingest_file(store, f, prof)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    assert result.messages[0] == (
        "years.csv line 3, column year: (empty): not a 2016 stop. 3 rows like this were moved to"
        " quarantine (the quarantine table). These rows were excluded by a rule in the profile."
    )
    values = store.con.execute("SELECT value FROM quarantine ORDER BY source_line").fetchall()
    assert values == [(None,), ("2015",), (None,)]
