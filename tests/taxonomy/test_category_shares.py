"""The category shares quoted in docs/category-shares.md, recomputed from the real data: the
first table is parsed from the document and must match to the decimal shown."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from publicsafety.taxonomy import find_map
from publicsafety.taxonomy.compare import shares
from publicsafety.taxonomy.maps import normalize
from tests.conftest import ROOT, real_data
from tests.taxonomy.realtypes import real_types, vera_types

pytestmark = pytest.mark.real_data

DOC = ROOT / "docs" / "category-shares.md"


def alexandria_police_complete_weeks() -> pd.DataFrame:
    path = real_data("alexandria_va_cad_2025_aug_dec", "alexandria_va_cad_2025w35_w52.csv.gz")
    return (
        duckdb.connect()
        .execute(
            """SELECT NULL AS call_type_code, Problem AS call_type, count(*) AS calls
               FROM read_csv(?, all_varchar = true)
               WHERE Agency = 'POLICE' AND Response_Date >= '2025-10-05'
                 AND Disposition NOT IN ('DUPPD-Duplicate Police', 'DUPFD-Duplicate Call Fire',
                                         'TEST-Test Call', 'TST-Test Call')
               GROUP BY ALL""",
            [str(path)],
        )
        .df()
    )


# Columns of the document's first table, in order: (city whose map applies, call types).
COLUMNS = [
    ("New Orleans", lambda: vera_types("New Orleans")),
    ("Seattle", lambda: vera_types("Seattle")),
    ("Detroit", lambda: vera_types("Detroit")),
    ("Dallas", lambda: vera_types("Dallas")),
    ("Portland", lambda: real_types("Portland")),
    ("Sacramento", lambda: real_types("Sacramento")),
    ("Albuquerque", lambda: real_types("Albuquerque")),
    ("Alexandria", alexandria_police_complete_weeks),
    ("New Orleans", lambda: real_types("New Orleans")),
    ("Seattle", lambda: real_types("Seattle")),
]


def documented_table() -> dict[str, list[str]]:
    lines = DOC.read_text(encoding="utf-8").split("## Our shares", 1)[1].splitlines()
    table = {}
    for line in lines:
        if line.startswith("| ") and not line.startswith("| category"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            table[cells[0]] = cells[1:]
        elif table and not line.startswith("|"):
            break
    return table


def test_first_table_matches_the_data() -> None:
    table = documented_table()
    assert len(table) == 13  # 12 categories and the calls row
    for i, (city, load) in enumerate(COLUMNS):
        types = load()
        frame = shares(types, city).set_index("category")
        assert "unmapped" not in frame.index
        assert table["calls"][i] == f"{int(types['calls'].sum()):,}"
        for category, cells in table.items():
            if category == "calls":
                continue
            share = float(frame["share"].get(category, 0.0))
            assert cells[i] == f"{100 * share:.1f}", (city, category)


def test_new_orleans_against_published_definitions() -> None:
    """NYT/AH's serious violent crime leaves out gunfire without a victim; Vera's groupings."""
    types = vera_types("New Orleans")
    rows = {r.call_type: r for r in find_map("New Orleans").rows}  # type: ignore[union-attr]
    by: dict[tuple[str, str], int] = {}
    for text, n in zip(types["call_type"], types["calls"], strict=True):
        row = rows[normalize(text)]
        by[(row.category, row.rule)] = by.get((row.category, row.rule), 0) + int(n)
    total = sum(by.values())

    def pct(pred) -> float:  # type: ignore[no-untyped-def]
        return round(100 * sum(n for k, n in by.items() if pred(k)) / total, 2)

    assert total == 3_833_592
    assert pct(lambda k: k[0] == "violent_crime") == 1.66
    assert (
        pct(
            lambda k: k[0] == "violent_crime" and k[1] not in ("shots_fired", "assault_unspecified")
        )
        == 0.97
    )
    assert pct(lambda k: k[1] == "shots_fired") == 0.69
    assert (
        round(pct(lambda k: k[0] in ("violent_crime", "property_crime", "other_crime")), 1) == 18.7
    )
    assert round(pct(lambda k: k[0] in ("disorder", "alarm", "proactive")), 1) == 51.5
    assert (
        round(
            pct(
                lambda k: (
                    k[1] in ("accident", "accident_injury")
                    or k[0] in ("medical", "mental_health_welfare")
                )
            ),
            1,
        )
        == 9.0
    )
