"""Reading level of every chapter, enforced: Flesch-Kincaid grade <= 8 in English and
Fernández-Huerta ease >= 70 in Spanish (readability.py says why 70), measured on the prose as a
reader sees it: filled with a city's values and, for the city pages, its loaded data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import real_data

from publicsafety.documents.facts import city_facts
from publicsafety.documents.readability import (
    MAX_GRADE_EN,
    MIN_EASE_ES,
    chapter_prose,
    level,
    plain_enough,
)
from publicsafety.documents.render import jinja, load_sections
from publicsafety.documents.toolkit import city_context
from publicsafety.engine import open_store
from publicsafety.ingest import ingest_file

LOADS = [
    ("new_orleans_cfs_2022_rtcc_subset", "rtcc_dump_2022_merged_w_calls_for_service_2022.csv", "new_orleans_calls_rtcc"),
    ("new_orleans_epr_2022_rtcc_subset", "rtcc_dump_2022_merged_w_police_reports_2022.csv", "new_orleans_incidents_rtcc"),
    ("minneapolis_use_of_force_2016_2021", "mn_police_use_of_force_2016_2021.csv", "minneapolis_force_openintro"),
    ("police_budgets_us_cities_abc7_fy2019_2022", "adopted_budgets_only.csv", "us_cities_budgets_abc7"),
]  # fmt: skip


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    ws = tmp_path_factory.mktemp("reading") / "workspace"
    with open_store(ws, threads=1) as store:
        for folder, name, profile in LOADS:
            ingest_file(store, real_data(folder, name), profile)
        yield {city: city_facts(store, city) for city in ("New Orleans", "Minneapolis")}


def _rendered(city: str, lang: str, facts: dict[str, Any] | None) -> list[tuple[str, str]]:
    ctx = city_context(city, lang, facts)
    return [(s.slug, jinja().from_string(s.body).render(**ctx)) for s in load_sections(lang)]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_chapter_is_plain_enough(lang: str, facts: dict[str, dict[str, Any]]) -> None:
    cases = [
        ("Albuquerque", None),  # no data: the no-data wording
        ("New Orleans", facts["New Orleans"]),  # calls, incidents and budget pages
        ("Minneapolis", facts["Minneapolis"]),  # use of force page
    ]
    too_hard = []
    for city, f in cases:
        for slug, md in _rendered(city, lang, f):
            value = level(md, lang)
            if not plain_enough(value, lang):
                too_hard.append((city, slug, round(value, 1)))
    assert too_hard == []


def test_figures_for_the_report() -> None:
    """The levels the report quotes: the hardest chapter in each language, for Albuquerque."""
    en = max(level(md, "en") for _, md in _rendered("Albuquerque", "en", None))
    es = min(level(md, "es") for _, md in _rendered("Albuquerque", "es", None))
    assert 5.0 < en <= MAX_GRADE_EN
    assert MIN_EASE_ES <= es < 90.0


def test_the_measure_catches_dense_text() -> None:
    """A sentence in statute style fails both limits: the test can fail."""
    en = (
        "Notwithstanding any other provision of law, the custodian of public records shall, "
        "upon receipt of a written request reasonably describing the records sought, "
        "determine within ten calendar days whether the request, in whole or in part, seeks "
        "copies of disclosable public records in the possession of the agency, and shall "
        "promptly notify the requester of the determination and the reasons therefor."
    )
    es = (
        "No obstante cualquier otra disposición legal, el custodio de los registros públicos "
        "deberá, tras la recepción de una solicitud escrita que describa razonablemente los "
        "registros solicitados, determinar dentro de diez días naturales si la solicitud, en "
        "su totalidad o parcialmente, requiere copias de registros públicos divulgables en "
        "posesión de la dependencia, y notificará oportunamente al solicitante la determinación."
    )
    assert level(en, "en") > MAX_GRADE_EN
    assert level(es, "es") < MIN_EASE_ES


def test_prose_leaves_out_code_tables_headings_and_citations() -> None:
    md = (
        "## Who to ask\n\nRun `publicsafety analyze demand --json` now.\n\n"
        "| Field | Why |\n|---|---|\n| incident number | counting |\n\n"
        "The law says so (NMSA § 14-2-8(D)). See rcfp.org for more.\n\n"
        "- One item\n- Two items\n"
    )
    assert chapter_prose(md) == "Run it now. The law says so. See for more. One item. Two items."


def test_no_machine_paths_in_content() -> None:
    for lang in ("en", "es"):
        for s in load_sections(lang):
            assert "/work/" not in s.body and "/root/" not in s.body
            assert not any(Path(p).is_absolute() for p in s.sources if p.startswith("/"))
