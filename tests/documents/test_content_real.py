"""City pages from real data: facts computed from the canonical tables of real New Orleans and
Minneapolis files, and the printed toolkit for both (data loaded) and Albuquerque (no data), in
English and Spanish, built through `publicsafety toolkit` once per module."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import real_data
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.documents.facts import city_facts, workspace_facts
from publicsafety.documents.render import load_sections
from publicsafety.engine import Store, open_store
from publicsafety.ingest import ingest_file

LOADS = [
    ("new_orleans_cfs_2022_rtcc_subset", "rtcc_dump_2022_merged_w_calls_for_service_2022.csv", "new_orleans_calls_rtcc"),
    ("new_orleans_stops_sopp_2011_2018", "nola_stops_sopp.csv", "new_orleans_stops_sopp"),
    ("new_orleans_epr_2022_rtcc_subset", "rtcc_dump_2022_merged_w_police_reports_2022.csv", "new_orleans_incidents_rtcc"),
    ("minneapolis_stops_2017", "mpls_stops_2017.csv", "minneapolis_stops_cardata"),
    ("minneapolis_use_of_force_2016_2021", "mn_police_use_of_force_2016_2021.csv", "minneapolis_force_openintro"),
    ("police_budgets_us_cities_abc7_fy2019_2022", "adopted_budgets_only.csv", "us_cities_budgets_abc7"),
]  # fmt: skip
# Printing a 46-page PDF takes about 5 s of CPU; two PDFs (one with data, one without, one in
# each language) keep this module near 30 s on a shared machine. The other four go through the
# same command as HTML, which is what the PDF is printed from.
PRINTED = {("New Orleans", "en"): "pdf", ("New Orleans", "es"): "html",
           ("Minneapolis", "en"): "html", ("Minneapolis", "es"): "html",
           ("Albuquerque", "en"): "html", ("Albuquerque", "es"): "pdf"}  # fmt: skip


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("toolkit") / "workspace"
    with open_store(ws, threads=1) as store:
        for folder, name, profile in LOADS:
            ingest_file(store, real_data(folder, name), profile)
    return ws


@pytest.fixture(scope="module")
def facts(workspace: Path) -> dict[str, dict[str, Any]]:
    return {c: workspace_facts(workspace, c) for c in ("New Orleans", "Minneapolis")}


@pytest.fixture(scope="module")
def printed(
    workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], str]:
    """Text of each toolkit as printed by `publicsafety toolkit` (PDF pages split by form
    feeds); Albuquerque from a workspace with no store, as a new user would have."""
    out = tmp_path_factory.mktemp("printed")
    empty = tmp_path_factory.mktemp("empty") / "workspace"
    texts = {}
    for (city, lang), fmt in PRINTED.items():
        path = out / f"{city}_{lang}.{fmt}"
        ws = workspace if city != "Albuquerque" else empty
        args = ["toolkit", "--city", city, "--lang", lang, "--format", fmt, "-w", str(ws)]
        result = CliRunner().invoke(app, [*args, "--out", str(path)])
        assert result.exit_code == 0, result.output
        if fmt == "html":
            html = path.read_text(encoding="utf-8")
            texts[(city, lang)] = re.sub(r"<[^>]+>", " ", html[html.index("</style>") :])
            continue
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        assert re.search(r"Page size:\s+612 x 792 pts \(letter\)", info.stdout)
        texts[(city, lang)] = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    assert not empty.exists()  # printing never creates a store
    return texts


def test_new_orleans_facts(facts: dict[str, dict[str, Any]]) -> None:
    f = facts["New Orleans"]
    assert sorted(f) == ["budget", "calls", "incidents", "stops"]
    calls = f["calls"]
    # 7,476 rows read; 157 void and 116 duplicate calls quarantined by the profile.
    assert (calls["total"], calls["officer"], calls["community"]) == (7203, 831, 6372)
    assert calls["officer_share"] == 11.5 and calls["year"] == 2022
    assert calls["quarantined"] == [
        {"reason": "void call (Disposition VOI)", "count": 157},
        {"reason": "duplicate call (Disposition DUP)", "count": 116},
    ]
    assert calls["no_arrival"] == 418
    assert calls["top_types"][0] == {"type": "AUTO ACCIDENT", "count": 851}
    assert "subset tied to RTCC footage requests" in calls["sources"][0]
    stops = f["stops"]
    assert (stops["total"], stops["first"], stops["last"]) == (395457, "2011-07-01", "2018-07-18")
    assert [(g["group"], g["count"]) for g in stops["by_race"][:2]] == [
        ("black", 275461),
        ("white", 103006),
    ]
    assert (stops["arrested"], stops["arrested_share"]) == (91611, 23.2)
    assert stops["searched"] is None  # the SOPP extract has no search column: not recorded
    assert f["incidents"]["total"] == 7174
    assert f["budget"] == {
        "fiscal_year": 2022,
        "basis": "adopted",
        "police": 217546610,
        "total": 1485879708,
        "police_share": 14.6,
        "sources": [
            "adopted_budgets_only.csv (Police and total city budgets of about 115 large US"
            " cities and counties, FY2019-FY2022 (ABC Owned Television Stations))"
        ],
    }


def test_minneapolis_facts(facts: dict[str, dict[str, Any]]) -> None:
    f = facts["Minneapolis"]
    assert sorted(f) == ["budget", "force", "stops"]
    stops = f["stops"]
    assert stops["total"] == 51920 and stops["year"] == 2017
    by_race = {g["group"]: g["count"] for g in stops["by_race"]}
    # Blank race on the 8,221 non-MDC rows plus 9,219 recorded "Unknown".
    assert by_race["unknown"] == 17440 and by_race["black"] == 17408
    # Searches are recorded only on in-vehicle (MDC) rows: the share is of those.
    assert (stops["searched"], stops["search_recorded"], stops["searched_share"]) == (
        5826,
        43699,
        13.3,
    )
    assert stops["arrested"] is None
    assert (f["force"]["total"], f["force"]["from_911"], f["force"]["from_911_share"]) == (
        12925,
        7004,
        54.2,
    )
    assert f["budget"]["police"] == 193104690 and f["budget"]["police_share"] == 12.3


def test_small_counts_are_withheld_with_their_complement(store: Store) -> None:
    """A group of 4 stops is withheld, and so is the next smallest (12), because the total is
    printed and the 4 could otherwise be worked out from it."""
    rows = [("black", 500), ("white", 300), ("asian/pacific islander", 4), ("hispanic", 12)]
    for race, n in rows:
        store.con.execute(
            "INSERT INTO stops (city, subject_race, date)"
            " SELECT 'Testville', ?, DATE '2020-01-01' FROM range(?)",
            [race, n],
        )
    f = city_facts(store, "Testville")
    assert f["stops"]["total"] == 816
    assert [g["group"] for g in f["stops"]["by_race"]] == ["black", "white"]
    store.con.execute("DELETE FROM stops")
    store.con.execute(
        "INSERT INTO stops (city, subject_race, date)"
        " SELECT 'Testville', 'white', DATE '2020-01-01' FROM range(7)"
    )
    assert city_facts(store, "Testville") == {}  # 7 stops in all: nothing to print


def test_printed_city_pages_carry_the_loaded_figures(printed: dict[tuple[str, str], str]) -> None:
    flat = {k: re.sub(r"\s+", " ", v) for k, v in printed.items()}
    assert "The data holds 7,203 calls from 2022-01-01 to 2022-11-22" in flat[("New Orleans", "en")]
    assert "Officers started 11.5% of them" in flat[("New Orleans", "en")]
    assert "$217,546,610" in flat[("New Orleans", "en")]
    assert "void call (Disposition VOI): 157 rows" in flat[("New Orleans", "en")]
    assert "Los datos tienen 395,457 paradas" in flat[("New Orleans", "es")]
    assert "The data holds 12,925 uses of force" in flat[("Minneapolis", "en")]
    assert "El 54.2% empezó con una llamada al 911" in flat[("Minneapolis", "es")]
    assert "Minnesota Government Data Practices Act" in flat[("Minneapolis", "en")]
    assert "No data for Albuquerque is loaded" in flat[("Albuquerque", "en")]
    assert "Todavía no hay datos de Albuquerque" in flat[("Albuquerque", "es")]
    assert "Inspection of Public Records Act" in flat[("Albuquerque", "es")]


def test_printed_toolkits_have_every_chapter_and_page_numbers(
    printed: dict[tuple[str, str], str],
) -> None:
    for (city, lang), text in printed.items():
        flat = re.sub(r"\s+", " ", text)
        for s in load_sections(lang):
            assert re.sub(r"\s+", " ", s.title) in flat, (city, lang, s.slug)
        assert "{{" not in text and "None" not in text
        if PRINTED[(city, lang)] != "pdf":
            continue
        pages = text.split("\f")[:-1]
        assert len(pages) >= 40, (city, lang)
        # Every page after the cover ends with its own number.
        for number, page in enumerate(pages[1:], start=2):
            assert page.strip().endswith(str(number)), (city, lang, number)
        # The worksheets print with their boxes: eleven factors on the rating sheet.
        sheet = next(p for p in pages if p.lstrip().startswith(("Worksheet 1", "Hoja 1")))
        assert "1. Violence" in sheet or "1. Violencia" in sheet
