"""Classification in the engine on small hand-made call tables: map rows first (code and text,
code, then text), keyword rules only on the distinct types left open, the initial type used only
when the final one is missing, workspace maps replacing shipped ones, and the unmapped list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from publicsafety.engine import Store
from publicsafety.taxonomy import classify, install_map, unmapped

ROWS = [
    # row_id, code, type, initial code, initial type, dispatched, arrived, cleared
    (1, "DISTP", "DISTURBANCE - PRIORITY", None, None, None, None, None),
    (2, "distp ", "something else", None, None, None, None, None),  # code matches after trim/upper
    (3, None, "  theft -   cold ", None, None, None, None, None),  # text matches after normalising
    (4, None, None, "SHOTS", "SHOTS FIRED", None, None, None),  # final missing: initial used
    (5, "NEW1", "ARMED ROBBERY OF A BANK", None, None, None, None, None),  # keyword rule
    (
        6,
        "ZZZ",
        "ZEBRA ON THE LOOSE",
        None,
        None,
        "2020-01-01 10:00",
        "2020-01-01 10:30",
        "2020-01-01 12:00",
    ),
    (7, "ZZZ", "ZEBRA ON THE LOOSE", None, None, "2020-01-01 10:00", None, "2020-01-01 11:00"),
    (
        8,
        "ZZZ",
        "ZEBRA ON THE LOOSE",
        None,
        None,
        None,
        "2020-01-02 10:00",
        "2020-01-01 09:00",
    ),  # reversed
    (9, "ZZZ", "ZEBRA ON THE LOOSE", None, None, None, None, None),
    (10, "QQQ", "QUIET QUAGGA", None, None, None, None, None),
]


def load(store: Store, city: str = "Portland") -> None:
    frame = pd.DataFrame(
        ROWS,
        columns=[
            "row_id",
            "call_type_code",
            "call_type",
            "initial_call_type_code",
            "initial_call_type",
            "dispatched_at",
            "arrived_at",
            "cleared_at",
        ],
    )
    store.con.register("f", frame)
    store.con.execute(
        """INSERT INTO calls (city, row_id, call_type_code, call_type, initial_call_type_code,
                              initial_call_type, dispatched_at, arrived_at, cleared_at)
           SELECT ?, row_id, call_type_code, call_type, initial_call_type_code, initial_call_type,
                  CAST(dispatched_at AS TIMESTAMP), CAST(arrived_at AS TIMESTAMP), CAST(cleared_at AS TIMESTAMP)
           FROM f""",
        [city],
    )


def results(store: Store) -> dict[int, tuple[str, str, str]]:
    rows = store.con.execute(
        "SELECT row_id, category, responder, category_rule FROM calls ORDER BY row_id"
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_classify_map_then_keywords(store: Store) -> None:
    load(store)
    [res] = classify(store)
    assert (res.city, res.map_file, res.calls) == ("Portland", "portland.csv", 10)
    assert (res.by_map, res.by_keyword, res.unmapped, res.on_initial) == (4, 1, 5, 1)
    assert res.coverage == 0.4
    got = results(store)
    assert got[1] == ("disorder", "police", "map portland.csv:3 disturbance")
    assert got[2] == got[1]
    assert got[3] == ("property_crime", "non_emergency", "map portland.csv:7 property_cold")
    assert got[4] == ("violent_crime", "police", "map portland.csv:30 shots_fired [initial type]")
    assert got[5] == ("violent_crime", "police", "base kw:robbery (0.90)")
    assert got[6] == ("unmapped", "unmapped", "none")
    # The initial type stays as it was.
    assert store.con.execute("SELECT initial_call_type FROM calls WHERE row_id = 4").fetchone() == (
        "SHOTS FIRED",
    )


def test_unmapped_lists_calls_and_officer_hours(store: Store) -> None:
    load(store)
    classify(store, "Portland")
    frame = unmapped(store, "Portland")
    assert list(frame["call_type"]) == [
        "ZEBRA ON THE LOOSE",
        "ARMED ROBBERY OF A BANK",
        "QUIET QUAGGA",
    ]
    assert list(frame["calls"]) == [4, 1, 1]
    # 1.5 h (arrival to clear) + 1.0 h (dispatch to clear); the reversed span and the call
    # without times add nothing.
    assert frame["officer_hours"].iloc[0] == 2.5
    assert frame["officer_hours"].iloc[1:].isna().all()
    assert frame["rule"].iloc[1] == "base kw:robbery (0.90)"


def test_city_without_map_uses_keywords_only(store: Store) -> None:
    load(store, city="Springfield")
    [res] = classify(store, "Springfield")
    assert res.map_file is None
    assert (res.by_map, res.by_keyword, res.unmapped) == (0, 4, 6)
    assert results(store)[1] == ("disorder", "police", "base kw:disturbance (0.70)")


def test_workspace_map_replaces_shipped_map(store: Store, tmp_path: Path) -> None:
    edited = tmp_path / "edited.csv"
    edited.write_text(
        "call_type_code,call_type,category,responder,rule,note,version\n"
        "ZZZ,ZEBRA ON THE LOOSE,disorder,civilian,animal,animal control,local-1\n",
        encoding="utf-8",
    )
    workspace = tmp_path / "ws"
    dest = install_map(edited, "Portland", workspace)
    assert dest == workspace / "taxonomy" / "portland.csv"
    load(store)
    [res] = classify(store, "Portland", workspace)
    assert res.map_file == "portland.csv"
    assert res.by_map == 4  # only the zebra rows: the shipped map is not used at all
    assert results(store)[6] == ("disorder", "civilian", "map portland.csv:2 animal")


def test_reclassify_is_idempotent(store: Store) -> None:
    load(store)
    classify(store)
    first = results(store)
    classify(store)
    assert results(store) == first
