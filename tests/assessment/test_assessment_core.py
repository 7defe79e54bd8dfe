"""The assessment's library: content, raking against a hand-computed example, priorities,
trust scales, export escaping, and the answers store (WAL, FULL sync, idempotent submits)."""

from __future__ import annotations

import io
import math
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from publicsafety.assessment import aggregate, export, flow
from publicsafety.assessment.content import load_questions, neighbourhoods
from publicsafety.assessment.store import AnswerStore, clean_code
from publicsafety.engine import open_store

IDS = load_questions("en", "Sample City").factor_ids


def response(area: str, mode: str, priorities: dict[str, int], **demo: str) -> dict:
    return {"area": area, "mode": mode, "priorities": priorities, "demographics": demo,
            "ratings": {}, "trust": {}, "round": "", "city": "Sample City"}  # fmt: skip


def test_english_and_spanish_ask_the_same_questions_with_sources() -> None:
    en, es = load_questions("en", "Sample City"), load_questions("es", "Sample City")
    assert en.factor_ids == es.factor_ids and len(en.factor_ids) == 11
    assert [i.id for i in en.items] == [i.id for i in es.items]
    assert {i.scale for i in en.items} == {"procedural_justice", "legitimacy", "effectiveness"}
    assert {f.source for f in en.factors} | {i.source for i in en.items} <= set(en.sources)
    assert "Jackson" in en.sources["jackson_bradford"]
    assert "Urban Institute" in en.sources["urban_nibctj"]
    assert es.factor("violence").label == "Violencia"


def test_city_override_relabels_a_factor() -> None:
    nola = load_questions("en", "New Orleans")
    assert nola.factor("lighting_vacant").label == "Street lighting and blighted property"
    assert (
        load_questions("es", "New Orleans").factor("lighting_vacant").label.startswith("Alumbrado")
    )
    assert (
        load_questions("en", "Minneapolis").factor("lighting_vacant").label
        == "Street lighting and vacant property"
    )


def test_neighbourhoods_from_the_areas_table_when_loaded(workspace: Path) -> None:
    assert neighbourhoods("Sample City", workspace)[:2] == ["Riverside", "Oak Hill"]
    with open_store(workspace) as s:
        s.con.execute(
            "INSERT INTO areas (city, area_set, area_id, name) VALUES"
            " ('Sample City', 'neighborhoods', '1', 'Zeta'), ('Sample City', 'neighborhoods', '2', 'Alpha'),"
            " ('Sample City', 'tracts', '3', 'Tract 3')"
        )
    assert neighbourhoods("Sample City", workspace) == ["Alpha", "Zeta"]


def test_raking_matches_the_hand_computed_example() -> None:
    # Sample: 4 men, 2 women; 3 young, 3 old, independent (2,2 / 1,1). Targets: 50/50 by sex,
    # 30/70 young/old. By hand: man x0.75 (0.5 / (4/6)), woman x1.5; young x0.6 (0.3 / 0.5),
    # old x1.4. Weights: man-young 0.45, man-old 1.05, woman-young 0.9, woman-old 2.1; sum 6.
    demo = [{"sex": s, "age_band": a} for s, a in
            [("m", "y"), ("m", "o"), ("m", "y"), ("m", "o"), ("f", "y"), ("f", "o")]]  # fmt: skip
    w = aggregate.rake(demo, {"sex": {"m": 50, "f": 50}, "age_band": {"y": 30, "o": 70}})
    assert w == pytest.approx([0.45, 1.05, 0.45, 1.05, 0.9, 2.1], abs=1e-6)
    # Kish effective sample size: 36 / (2*0.2025 + 2*1.1025 + 0.81 + 4.41) = 36 / 7.83.
    assert aggregate.effective_sample_size(w) == pytest.approx(36 / 7.83, abs=1e-5)


def test_raking_a_table_that_needs_iterations_matches_the_closed_form() -> None:
    # Sample cells: man-young 1, man-old 2, woman-young 2, woman-old 1; targets 50/50 by sex and
    # 40/60 young/old of 6. Raked weights are n_ij * a_i * b_j; with b_old = 1 and x = b_young,
    # the margins give a_man = 3 / (x + 2), a_woman = 3 / (2x + 1) and, for "young",
    # 3x / (x + 2) + 6x / (2x + 1) = 2.4, i.e. 7.2 x^2 + 3 x - 4.8 = 0.
    x = (-3 + math.sqrt(9 + 4 * 7.2 * 4.8)) / (2 * 7.2)
    demo = [{"sex": s, "age_band": a} for s, a in
            [("m", "y"), ("m", "o"), ("m", "o"), ("f", "y"), ("f", "y"), ("f", "o")]]  # fmt: skip
    w = aggregate.rake(demo, {"sex": {"m": 0.5, "f": 0.5}, "age_band": {"y": 0.4, "o": 0.6}})
    man_y, man_o, woman_y, woman_o = (
        3 * x / (x + 2),
        3 / (x + 2),
        3 * x / (2 * x + 1),
        3 / (2 * x + 1),
    )
    assert w == pytest.approx([man_y, man_o, man_o, woman_y, woman_y, woman_o], abs=1e-6)
    assert (man_y, woman_o) == pytest.approx((0.7224, 1.3224), abs=1e-4)


def test_raking_leaves_blank_answers_at_weight_one() -> None:
    demo = [{"sex": "m"}, {"sex": "m"}, {"sex": "m"}, {"sex": "f"}, {"sex": None}]
    w = aggregate.rake(demo, {"sex": {"m": 0.5, "f": 0.5}})
    # Four raked people keep their total of 4: men 2/3 each, the woman 2; the blank stays 1.
    assert w == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2.0, 1.0], abs=1e-6)


def test_borda_ranks_and_points_pool_as_shares_of_100() -> None:
    assert flow.priority_shares("rank", {"housing": 1, "violence": 2}, ("housing", "violence", "jobs_income")) == [
        pytest.approx(100 * 5 / 9), pytest.approx(100 * 4 / 9), 0.0]  # fmt: skip
    assert flow.priority_shares(
        "points", {"housing": 60, "violence": 40}, ("violence", "housing")
    ) == [40.0, 60.0]


def test_priorities_with_bootstrap_interval_and_weights() -> None:
    rs = [response("A", "points", {"housing": 100})] * 6 + [
        response("A", "points", {"violence": 100})
    ] * 4
    t = aggregate.priorities(rs, IDS, n_boot=400)
    top = t.iloc[0]
    assert (top["factor"], top["points"], top["rank"]) == ("housing", 60.0, 1)
    # Resampling 10 people: the interval is wide (about 30 to 90), and holds the mean.
    assert 20 <= top["low"] < 60 < top["high"] <= 95
    weighted = aggregate.priorities(rs, IDS, weights=np.array([1.0] * 6 + [2.0] * 4), n_boot=50)
    assert weighted.set_index("factor").loc["violence", "points"] == pytest.approx(100 * 8 / 14)


def test_small_neighbourhoods_and_rounds_are_withheld_until_11_answers() -> None:
    rs = [response("Big", "rank", {"housing": 1})] * 11 + [
        response("Small", "rank", {"violence": 1})
    ] * 10
    areas = {a["area"]: a for a in aggregate.by_neighbourhood(rs, IDS, n_boot=50)}
    assert areas["Big"]["n"] == 11 and areas["Big"]["table"].iloc[0]["factor"] == "housing"
    assert areas["Small"]["n"] is None and areas["Small"]["table"] is None
    r1 = [{**r, "round": "2025"} for r in rs[:11]]
    r2 = [
        {**r, "round": "2026"}
        for r in [response("Big", "points", {"housing": 50, "violence": 50})] * 12
    ]
    cmp = aggregate.compare_rounds(r1 + r2, IDS, n_boot=100).set_index("factor")
    assert cmp.attrs["rounds"] == ["2025", "2026"]
    assert cmp.loc["housing", "change"] == pytest.approx(-50.0)
    assert cmp.loc["violence", "change_low"] == pytest.approx(50.0)


def test_trust_scale_needs_more_than_half_of_its_items() -> None:
    scales = {"pj": ["a", "b", "c", "d"]}
    full = [{"trust": {"a": 4, "b": 2, "c": None, "d": 3}}] * 11  # 3 of 4: counts, mean 3
    half = [{"trust": {"a": 1, "b": 1, "c": None, "d": None}}] * 5  # 2 of 4: not more than half
    t = aggregate.trust_scales(full + half, scales)
    assert (t.loc[0, "n"], t.loc[0, "mean"]) == (11, 3.0)
    few = aggregate.trust_scales(full[:10], scales)
    assert (few.loc[0, "n"], few.loc[0, "mean"]) == (None, None)  # 10 people: withheld


def test_results_beside_the_data(store) -> None:
    store.con.execute(
        "INSERT INTO calls (city, category, officer_minutes) SELECT 'X', c, m FROM (VALUES"
        " ('violent_crime', 60.0), ('traffic', 30.0), ('medical', 30.0)) v(c, m), range(20)"
    )
    calls = aggregate.calls_by_category(store.con, "X")
    assert calls["calls"].tolist() == [20, 20, 20]
    table = pd.DataFrame({"factor": ["violence", "housing"], "points": [40.0, 60.0]})
    out = aggregate.beside_data(
        table, {"violence": ["violent_crime"], "housing": []}, calls
    ).set_index("factor")
    assert out.loc["violence", "call_share"] == pytest.approx(100 / 3)
    assert out.loc["violence", "hours_share"] == pytest.approx(50.0)
    assert out.loc["housing", "call_share"] == 0.0


def test_export_escapes_spreadsheet_formulas() -> None:
    for bad in ('=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert export.escape_cell(bad) == "'" + bad
    assert export.escape_cell("fine") == "fine" and export.escape_cell(3) == 3
    r = {**response("A", "rank", {"housing": 1}), "id": 1, "session_code": "ABC", "channel": "web",
         "lang": "en", "comment": "=cmd|'/c calc'!A1"}  # fmt: skip
    rows = export.flat_rows([r], IDS)
    assert rows[0]["comment"] == "'=cmd|'/c calc'!A1"
    assert export.to_csv(rows).splitlines()[1].endswith(",'=cmd|'/c calc'!A1")
    ws = load_workbook(io.BytesIO(export.to_xlsx(rows))).active
    assert ws.cell(2, list(rows[0]).index("comment") + 1).value == "'=cmd|'/c calc'!A1"


def test_sqlite_store_is_wal_full_sync_and_submits_once(tmp_path: Path) -> None:
    store = AnswerStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    con = store._connect()
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    code = store.create_session("Sample City", "Library night", "2026 spring", "ana")
    draft = store.new_draft("Sample City", "es", code)
    assert store.draft(draft.resume.lower()).token == draft.token  # codes are typed loosely
    body = {**response("Riverside", "rank", {"housing": 1}), "lang": "es", "channel": "web",
            "session_code": code, "comment": ""}  # fmt: skip
    first = store.submit(draft.token, body, resume=draft.resume)
    assert store.submit(draft.token, body, resume=draft.resume) == first
    assert len(store.responses(session_code=code)) == 1
    assert store.draft(draft.resume).submitted_id == first
    assert clean_code(" ab-c0 ") == "ABC"


def test_worksheet_pdf_has_the_questions_and_session_code(tmp_path: Path) -> None:
    from publicsafety.assessment.worksheet import worksheet_html, write_worksheet

    html = worksheet_html("Sample City", "es", "K7QM3P", ["Riverside"])
    q = load_questions("es", "Sample City")
    assert "K7QM3P" in html and all(f.label in html for f in q.factors)
    assert all(i.text in html for i in q.items)
    pdf = write_worksheet(tmp_path / "w.pdf", "Sample City", "es", "K7QM3P")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_sqlite_file_is_plain_sqlite(tmp_path: Path) -> None:
    AnswerStore(f"sqlite:///{tmp_path / 'b.sqlite'}")
    names = {
        r[0]
        for r in sqlite3.connect(tmp_path / "b.sqlite").execute("SELECT name FROM sqlite_master")
    }
    assert {"sessions", "drafts", "responses", "users", "logins", "login_failures"} <= names
