"""The shipped maps and the keyword base: valid data, and hand-checked categories of real types."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from publicsafety.errors import InputError
from publicsafety.taxonomy import find_map, propose_keyword, read_map
from publicsafety.taxonomy.base import base_path, keyword_rules
from publicsafety.taxonomy.maps import MAP_COLUMNS, builtin_maps, normalize
from publicsafety.vocab import Category, Responder

CITIES = [
    "albuquerque",
    "alexandria",
    "dallas",
    "detroit",
    "new_orleans",
    "portland",
    "sacramento",
    "seattle",
]


def test_every_city_has_a_valid_map() -> None:
    assert sorted(builtin_maps()) == CITIES
    for key, path in builtin_maps().items():
        with path.open(newline="", encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == MAP_COLUMNS
        city_map = read_map(path, key)
        assert city_map.rows, key
        for row in city_map.rows:
            assert Category(row.category) is not Category.UNMAPPED
            assert Responder(row.responder) is not Responder.UNMAPPED
            assert row.rule and row.version == "2026-11-25"


def test_base_rules_parse_and_name_known_values() -> None:
    rules = keyword_rules()
    assert len(rules) == len({r.name for r in rules}) == 83
    with base_path().open(newline="", encoding="utf-8") as fh:
        assert all(len(rec) == 6 for rec in csv.reader(fh))
    assert all(0 < r.confidence <= 1 for r in rules)


# Hand-checked against the rules in docs/taxonomy.md (city, raw call type, category, responder).
HAND_CHECKED = [
    ("New Orleans", "AGGRAVATED BATTERY BY SHOOTING", "violent_crime", "police"),
    ("New Orleans", "SIMPLE BATTERY", "other_crime", "police"),
    ("New Orleans", "BURGLAR ALARM, SILENT", "alarm", "police"),
    ("New Orleans", "AREA CHECK", "proactive", "police"),
    ("New Orleans", "MENTAL PATIENT", "mental_health_welfare", "civilian"),
    ("New Orleans", "SUICIDE THREAT", "mental_health_welfare", "co_response"),
    ("New Orleans", "SUICIDE ATTEMPT", "mental_health_welfare", "police"),
    ("New Orleans", "TRAFFIC STOP", "traffic", "police"),
    ("New Orleans", "MENTAL PERSON: NON VIOLENT", "mental_health_welfare", "civilian"),
    ("New Orleans", "DOMESTIC DISTURBANCE", "disorder", "police"),
    ("New Orleans", "CRIMINAL DAMAGE DOMESTIC", "property_crime", "police"),
    ("New Orleans", "AUTO ACCIDENT WITH I", "traffic", "police"),
    ("Portland", "WELFARE CHECK - COLD", "mental_health_welfare", "civilian"),
    ("Portland", "WELFARE CHECK - PRIORITY", "mental_health_welfare", "co_response"),
    ("Portland", "ASSAULT - PRIORITY", "violent_crime", "police"),
    ("Portland", "ASSAULT - WITH WEAPON *H", "violent_crime", "police"),
    ("Portland", "THEFT - COLD", "property_crime", "non_emergency"),
    ("Portland", "PREMISE CHECK", "proactive", "police"),
    ("Portland", "UNWANTED PERSON", "disorder", "police"),
    ("Sacramento", "MISDEMEANOR ASSAULT-IN PROGRESS", "other_crime", "police"),
    ("Sacramento", "FELONY ASSAULT-IN PROGRESS", "violent_crime", "police"),
    ("Sacramento", "TRAFFIC STOP", "traffic", "police"),
    ("Sacramento", "ALARM-CANCEL", "alarm", "police"),
    ("Sacramento", "DISTURBANCE-FAMILY", "disorder", "police"),
    ("Sacramento", "SUPPLEMENTAL EMPLOYMENT", "administrative", "police"),
    ("Seattle", "--PREMISE CHECKS - CRIME PREVENTION", "proactive", "police"),
    ("Seattle", "--DV - ARGUMENTS, DISTURBANCE (NO ARREST)", "disorder", "police"),
    ("Seattle", "--CRISIS COMPLAINT - GENERAL", "mental_health_welfare", "civilian"),
    ("Seattle", "--SEX OFFENSES (NON-RAPE) - LEWD CONDUCT", "other_crime", "police"),
    ("Alexandria", "MENTAL HEALTH CASE", "mental_health_welfare", "civilian"),
    ("Alexandria", "SUICIDE IN PROG INJ/PILLS", "mental_health_welfare", "police"),
    ("Alexandria", "FIRE ALARM", "alarm", "civilian"),
    ("Alexandria", "DOMESTIC VIOL NO INJ", "other_crime", "police"),
    ("Alexandria", "TROUBLE UNKNOWN NO EMS", "other", "police"),
    ("Alexandria", "BLS EMERGENCY", "medical", "civilian"),
    ("Albuquerque", "TRAFF ACC NO INJ", "traffic", "non_emergency"),
    ("Albuquerque", "AGGR ASSAULT/BAT", "violent_crime", "police"),
    ("Albuquerque", "FIGHT INPROGRESS", "other_crime", "police"),
    ("Detroit", "ASSAULT AND BATTERY", "other_crime", "police"),
    ("Detroit", "FELONIOUS ASSAULT IP", "violent_crime", "police"),
    ("Detroit", "MENTAL VIOLENT - ARMED", "mental_health_welfare", "police"),
    ("Detroit", "MENTAL VIOLENT NOT ARMED", "mental_health_welfare", "co_response"),
    ("Detroit", "MENTAL NOT VIOLENT", "mental_health_welfare", "civilian"),
    ("Dallas", "46 - CIT", "mental_health_welfare", "co_response"),
    ("Dallas", "PSE/09 - THEFT", "property_crime", "non_emergency"),
    ("Dallas", "25 - CRIMINAL ASSAULT", "violent_crime", "police"),
]


@pytest.mark.parametrize(("city", "call_type", "category", "responder"), HAND_CHECKED)
def test_hand_checked_types(city: str, call_type: str, category: str, responder: str) -> None:
    city_map = find_map(city)
    assert city_map is not None
    rows = [r for r in city_map.rows if r.call_type == normalize(call_type)]
    assert rows, call_type
    assert {(r.category, r.responder) for r in rows} == {(category, responder)}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("TRAFF ACC NO INJ", "kw:accident"),  # "NO INJ" is not an injury
        ("ACCIDENT W/INJ (PD)", "kw:accident_injury"),
        ("UNWANTED PERSON", "kw:disturbance"),  # not "WANTED PERSON" (warrant)
        ("SUPPLEMENTAL EMPLOYMENT", "kw:admin"),  # not "MENTAL"
        ("ATTEMPT PICKUP/WARRANT SERVICE", "kw:warrant"),  # not "VICE"
        ("SEX OFFENSES (NON-RAPE) - LEWD CONDUCT", "kw:sex_offense_other"),
        ("HOLD UP ALARM", "kw:alarm_holdup"),
        ("MENTAL NOT VIOLENT", "kw:mental_health"),
        ("PREMISE CHECKS - CRIME PREVENTION", "kw:proactive_check"),
        ("NEVER HEARD OF IT", "none"),
    ],
)
def test_keyword_rules_avoid_known_traps(text: str, rule: str) -> None:
    assert propose_keyword(text).rule == rule


def test_bad_map_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "springfield.csv"
    path.write_text(
        "call_type_code,call_type,category,responder,rule,note,version\n"
        "A1,SHOTS FIRED,violent_crime,police,shots,,1\n"
        "A2,NOISE,noise,non_emergency,noise,,1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_map(path)
    assert "springfield.csv, line 3, column category" in err.value.message
    assert "'noise' is not a known category" in err.value.message
    path.write_text("call_type,category\nX,other\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks column"):
        read_map(path)
