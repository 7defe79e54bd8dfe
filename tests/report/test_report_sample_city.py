"""The city report and the dashboard on Sample City: one command builds HTML and PDF, every
section is there or says what would fill it, the figures match the store, and no page shows a
small count."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from tests.report.report_checks import small_counts, tables
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.engine import open_store
from publicsafety.sample_city import CITY
from publicsafety.sample_city.pipeline import run_demo
from publicsafety.web.app import create_app

CALLS = 4000
SECTIONS = [
    "Summary in plain words", "Service demand", "Officer-initiated activity", "Places",
    "Disparities", "Budget and scenarios", "Change over time", "Community priorities",
    "Methods and caveats", "Data sources and data quality",
]  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    ws = tmp_path_factory.mktemp("sample") / "workspace"
    run_demo(ws, seed=2025, calls=CALLS)
    result = CliRunner().invoke(app, ["report", "--city", CITY, "-w", str(ws)])
    assert result.exit_code == 0, result.output
    html = (ws / "outputs" / "sample_city" / "report" / "report.html").read_text("utf-8")
    return ws, html


def test_report_has_every_section_in_order(built: tuple[Path, str]) -> None:
    _, html = built
    positions = [html.index(f"<h1>{title}</h1>") for title in SECTIONS]
    assert positions == sorted(positions)
    # Change over time needs a program start date the demo does not give: the section says so.
    assert "There is no change over time analysis for Sample City yet" in html
    assert "<code>publicsafety analyze change --start YYYY-MM-DD</code>" in html
    assert "`" not in html.split("<body", 1)[1].split("<script", 1)[0]


def test_headline_and_files_table_match_the_store(built: tuple[Path, str]) -> None:
    ws, html = built
    with open_store(ws, read_only=True) as store:
        calls = store.count("calls", "city = 'Sample City'")
        stops = store.count("stops", "city = 'Sample City'")
    assert f"This report draws on {calls:,} calls for service, {stops:,} stops" in html
    files = next(rows for headers, rows in tables(html) if headers[:2] == ["table name", "file"])
    row = next(r for r in files if r[1] == "sample_city_calls_2025.csv")
    read, loaded, quarantined = (int(v.replace(",", "")) for v in row[2:5])
    assert read == CALLS
    assert loaded == calls
    assert read == loaded + quarantined


def test_report_pdf_is_print_ready(built: tuple[Path, str]) -> None:
    ws, _ = built
    pdf = ws / "outputs" / "sample_city" / "report" / "report.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(ln.split()[-1] for ln in info.stdout.splitlines() if ln.startswith("Pages")))
    assert pages >= len(SECTIONS)  # every section starts on its own page
    assert "612 x 792 pts (letter)" in info.stdout


def test_no_small_count_in_the_report(built: tuple[Path, str]) -> None:
    _, html = built
    assert small_counts(html) == []
    # The check can fail: a small count slipped into a table is found.
    assert small_counts(html.replace("</tbody>", "<tr><td>x</td><td>7</td></tr></tbody>", 1))


def test_report_without_rerunning_the_analyses(built: tuple[Path, str], tmp_path: Path) -> None:
    ws, _ = built
    result = CliRunner().invoke(
        app,
        [
            "report",
            "--city",
            CITY,
            "-w",
            str(ws),
            "--no-run",
            "--format",
            "html",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    again = (tmp_path / "report.html").read_text("utf-8")
    assert small_counts(again) == []
    assert not (tmp_path / "report.pdf").exists()
    bad = CliRunner().invoke(app, ["report", "--city", "Nowhere", "-w", str(ws), "--no-run"])
    assert bad.exit_code != 0
    assert "cities in this workspace: Sample City" in str(bad.exception)


def test_dashboard_filters_downloads_and_spanish(built: tuple[Path, str]) -> None:
    ws, _ = built
    client = TestClient(create_app(ws))
    with open_store(ws, read_only=True) as store:
        top = store.con.execute(
            "SELECT category, count(*) AS n FROM calls WHERE city = 'Sample City'"
            " AND year(received_at) = 2025 GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"
        ).fetchall()[0]
        in_areas = store.con.execute(
            "SELECT count(*) FROM calls c JOIN placements p ON p.kind = 'calls'"
            " AND p.row_id = c.row_id AND p.area_set = 'neighborhoods'"
            " WHERE c.city = 'Sample City' AND c.category = ? AND year(c.received_at) = 2025",
            [top[0]],
        ).fetchall()[0][0]
    page = client.get("/dashboard/sample_city?year=2025&area_set=neighborhoods")
    assert page.status_code == 200
    assert small_counts(page.text) == []
    by_category = pd.read_csv(
        pd.io.common.StringIO(
            client.get("/dashboard/sample_city/calls_by_category.csv?year=2025").text
        )
    )
    assert (by_category.iloc[0]["category"], int(by_category.iloc[0]["calls"])) == top
    got = client.get(
        f"/dashboard/sample_city/calls_by_area.csv?year=2025&area_set=neighborhoods&category={top[0]}"
    )
    assert got.headers["content-disposition"].startswith(
        'attachment; filename="sample_city_calls_by_area'
    )
    areas = pd.read_csv(pd.io.common.StringIO(got.text))
    published = pd.to_numeric(areas["calls"], errors="coerce")
    assert published.sum() <= in_areas  # hidden cells are left out, never invented
    assert (published.dropna() >= 11).all()
    spanish = client.get("/dashboard/sample_city?lang=es")
    assert "Llamadas por categoría" in spanish.text
    assert '<html lang="es">' in spanish.text
    assert client.get("/dashboard/sample_city/nothing.csv").status_code == 404
    assert client.get("/dashboard/atlantis").status_code == 404
