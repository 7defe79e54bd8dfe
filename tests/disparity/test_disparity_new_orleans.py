"""New Orleans 2011-2018 stops (Stanford Open Policing extract, 395,457 rows: date, time, zone
letter, age, race, sex, arrested) through the built-in new_orleans_stops_sopp profile.

Independent checks from SOURCE.md: race black 275,461 / white 103,006 / hispanic 10,850; sex male
275,522 / female 119,935; 91,611 arrests (23.2%). The extract has no stop type, no location and
no search fields: arrest is the only outcome, and the veil of darkness runs on all stops with the
city's location given (29.95 N, 90.07 W) and the time zone read from the profile."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from publicsafety.analysis.disparity import analyze_disparities, public_tables, summarize
from publicsafety.analysis.disparity.run import DisparityReport, city_timezone
from publicsafety.analysis.disparity.veil import veil_of_darkness
from publicsafety.engine import Store, memory_store
from publicsafety.ingest import ingest_file
from tests.conftest import real_data

pytestmark = pytest.mark.real_data

NEW_ORLEANS = (29.95, -90.07)


@pytest.fixture(scope="module")
def nola() -> Iterator[Store]:
    store = memory_store(threads=1)
    path = real_data("new_orleans_stops_sopp_2011_2018", "nola_stops_sopp.csv")
    loaded = ingest_file(store, path, "new_orleans_stops_sopp")
    assert loaded.rows_loaded == 395_457 and loaded.rows_quarantined == 0
    yield store
    store.close()


@pytest.fixture(scope="module")
def report(nola: Store) -> DisparityReport:
    return analyze_disparities(
        nola,
        city="New Orleans",
        location=NEW_ORLEANS,
        vehicular_only=False,
        dimensions=("race", "sex", "age_band"),
    )


def test_arrest_rates_by_race(report: DisparityReport) -> None:
    o = report.outcomes
    a = o[(o.dimension == "race") & (o.outcome == "arrest")].set_index("group")
    assert a.loc["black", "recorded"] == 275_461
    assert a.loc["white", "recorded"] == 103_006
    assert a.loc["hispanic", "recorded"] == 10_850
    assert int(a["events"].sum()) == 91_611
    # 68,051 / 275,461 = 24.7% of stops of black people ended in arrest, 20,931 / 103,006 = 20.3%
    # of white people: 1.22 times as often.
    assert (a.loc["black", "events"], a.loc["white", "events"]) == (68_051, 20_931)
    assert round(a.loc["black", "ratio"], 2) == 1.22
    assert 1.19 < a.loc["black", "ratio_low"] < a.loc["black", "ratio_high"] < 1.24


def test_arrest_rates_by_sex_and_age(report: DisparityReport) -> None:
    o = report.outcomes
    sex = o[(o.dimension == "sex") & (o.outcome == "arrest")].set_index("group")
    assert (sex.loc["male", "recorded"], sex.loc["female", "recorded"]) == (275_522, 119_935)
    assert round(sex.loc["male", "ratio"], 2) == 1.32
    age = o[(o.dimension == "age_band") & (o.outcome == "arrest")].set_index("group")
    assert (
        int(age["recorded"].sum()) == 395_457
    )  # every row has an age (the extract dropped the rest)
    # Children (0-17) stopped were arrested 5,015 / 13,236 = 37.9% of the time.
    assert (age.loc["0-17", "events"], age.loc["0-17", "recorded"]) == (5_015, 13_236)
    assert round(age.loc["0-17", "ratio"], 2) == 1.63


def test_veil_of_darkness_new_orleans(report: DisparityReport) -> None:
    black = next(v for v in report.veil if v.group == "black")
    assert black.stop_filter.startswith("all stops")
    # 2,575 stop dates; window 16:59 (earliest sunset) to 20:32 (latest dusk), America/Chicago.
    assert black.dates == 2_575
    assert black.window == (16 * 60 + 59, 20 * 60 + 32)
    assert black.stops == 60_980
    assert round(black.coef, 3) == -0.036
    assert round(black.low, 3) == -0.084 and round(black.high, 3) == 0.012
    hispanic = next(v for v in report.veil if v.group == "hispanic")
    assert hispanic.covers_zero


def test_veil_within_zone(nola: Store) -> None:
    # Holding the officer's zone fixed, as Pierson et al. hold geography fixed.
    res = veil_of_darkness(
        nola,
        lat=NEW_ORLEANS[0],
        lon=NEW_ORLEANS[1],
        timezone="America/Chicago",
        city="New Orleans",
        vehicular_only=False,
        area_column="beat",
    )
    assert res.area_effects and res.stops == 60_980
    assert res.table["area"].nunique() == 25
    # Within zone the darkness coefficient barely moves (-0.036 citywide): still not
    # distinguishable from zero.
    assert round(res.coef, 3) == -0.039
    assert res.covers_zero


def test_time_zone_comes_from_the_profile(nola: Store) -> None:
    assert city_timezone(nola, "New Orleans") == "America/Chicago"


def test_summary_speaks_of_sex_and_age_too(report: DisparityReport) -> None:
    text = summarize(public_tables(report), report)
    assert (
        "Once stopped, men were arrested 1.3 times as often as women (25.0% against 19.0%; "
        "95% interval 1.30 to 1.34)." in text
    )
    assert (
        "Once stopped, people aged 0-17 were arrested 1.6 times as often as people aged 35-44"
        in text
    )
    assert (
        "Black people made up a share of stops in darkness neither clearly smaller nor larger "
        "than in daylight, so the test finds no sign either way (odds ratio 0.96, 95% interval "
        "0.92 to 1.01)." in text
    )
