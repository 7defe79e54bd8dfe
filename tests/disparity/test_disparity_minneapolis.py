"""Minneapolis 2017 stops (carData MplsStops, 51,920 rows) against 2015 neighbourhood population
(MplsDemo, 84 neighbourhoods; black and white counts only), loaded through the built-in profiles.

Independent checks: SOURCE.md counts (race Black 15,220 + East African 2,188 = 17,408 black;
White 11,703) and a pandas count of the raw CSV for searches (person or vehicle)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from publicsafety.analysis.disparity import analyze_disparities, public_tables, summarize
from publicsafety.analysis.disparity.run import DisparityReport
from publicsafety.engine import Store, memory_store
from publicsafety.ingest import ingest_file
from tests.conftest import real_data

pytestmark = pytest.mark.real_data

STOPS = ("minneapolis_stops_2017", "mpls_stops_2017.csv")
POPULATION = ("minneapolis_neighborhood_demographics_2015", "mpls_demo_2015.csv")
NEIGHBORHOODS = ("minneapolis_neighborhoods_geo", "Neighborhoods.geojson")


@pytest.fixture(scope="module")
def mpls() -> Iterator[Store]:
    store = memory_store(threads=1)
    ingest_file(store, real_data(*NEIGHBORHOODS), "minneapolis_neighborhoods")
    ingest_file(store, real_data(*POPULATION), "minneapolis_population_neighborhoods_2015")
    loaded = ingest_file(store, real_data(*STOPS), "minneapolis_stops_cardata")
    assert loaded.rows_loaded == 51_920 and loaded.rows_quarantined == 0
    yield store
    store.close()


@pytest.fixture(scope="module")
def report(mpls: Store) -> DisparityReport:
    return analyze_disparities(mpls, city="Minneapolis")


def test_stops_per_resident_by_race(report: DisparityReport) -> None:
    r = report.rates
    race = r[
        (r.dimension == "race") & (r.benchmark_kind == "population") & (r.events_of == "stops")
    ]
    race = race.set_index("group")
    assert race.loc["black", "events"] == 17_408
    assert race.loc["white", "events"] == 11_703
    # Residents: sum of share x population over 84 neighbourhoods: 68,279.3 black, 248,245.4 white.
    assert round(race.loc["black", "benchmark"], 1) == 68_279.3
    assert round(race.loc["white", "benchmark"], 1) == 248_245.4
    assert round(race.loc["black", "rate"], 1) == 255.0
    assert round(race.loc["white", "rate"], 1) == 47.1
    assert round(race.loc["black", "ratio"], 2) == 5.41
    assert 5.2 < race.loc["black", "ratio_low"] < 5.41 < race.loc["black", "ratio_high"] < 5.6
    # The population file has no other groups: they get no rate, and say why.
    assert race.loc["hispanic", "note"] == "no benchmark for this group"


def test_rates_per_neighborhood(report: DisparityReport) -> None:
    assert report.area_set == "neighborhoods"
    a = report.area_rates.set_index(["area_id", "group"])
    # 51,836 of 51,920 stops have a point inside a neighbourhood.
    assert int(a["events"].sum()) == 51_836
    # Downtown West: 1,493 stops of black people against 1,507 black residents, the benchmark's
    # weakness in plain sight (people stopped downtown mostly live elsewhere).
    assert a.loc[("Downtown West", "black"), "events"] == 1_493
    assert round(a.loc[("Downtown West", "black"), "rate"]) == 991
    assert round(a.loc[("Downtown West", "black"), "ratio"], 2) == 4.85
    assert round(a.loc[("Cedar Riverside", "black"), "ratio"], 2) == 2.44
    # Camden Industrial has no residents in the population file: counted, no rate.
    assert a.loc[("Camden Industrial", "black"), "note"] == "no benchmark for this group"


def test_area_adjusted_poisson_model(report: DisparityReport) -> None:
    fitted = report.models[report.models.note == ""]
    assert fitted["group"].tolist() == ["black", "black"]
    left_out = report.models[report.models.note != ""]
    assert set(left_out["note"]) == {"no benchmark for this group"}  # only black and white counts
    m = fitted.set_index("area_effects")
    # 84 neighbourhoods x 2 groups. Within neighbourhood black residents were stopped 4.94 times
    # as often as white residents; the overdispersion (Pearson chi2 / df = 60) widens the interval.
    assert m.loc[True, "cells"] == 168
    assert round(m.loc[True, "rate_ratio"], 2) == 4.94
    assert (
        round(m.loc[True, "ratio_low"], 2) == 3.96 and round(m.loc[True, "ratio_high"], 2) == 6.18
    )
    assert round(m.loc[True, "dispersion"]) == 60
    assert round(m.loc[False, "rate_ratio"], 2) == 5.18


def test_search_rates_match_a_count_of_the_raw_file(report: DisparityReport) -> None:
    raw = pd.read_csv(real_data(*STOPS), usecols=["race", "personSearch", "vehicleSearch"])
    searched = (raw.personSearch == "YES") | (raw.vehicleSearch == "YES")
    black = raw.race.isin(["Black", "East African"])
    white = raw.race == "White"
    o = report.outcomes
    s = o[(o.dimension == "race") & (o.outcome == "search")].set_index("group")
    assert s.loc["black", "events"] == int(searched[black].sum()) == 3_565
    assert s.loc["white", "events"] == int(searched[white].sum()) == 1_027
    # 3,565 / 17,408 = 20.5% against 1,027 / 11,703 = 8.8%: searched 2.33 times as often.
    assert round(s.loc["black", "ratio"], 2) == 2.33
    assert s.loc["black", "ratio_low"] > 2.1


def test_what_minneapolis_does_not_record(report: DisparityReport) -> None:
    assert "everything by age_band: not recorded for any stop" in report.skipped
    assert "hit-rate test: whether searches found contraband is not recorded" in report.skipped
    assert set(report.outcomes.outcome) == {"search", "citation"}


def test_veil_of_darkness_minneapolis(report: DisparityReport) -> None:
    black = next(v for v in report.veil if v.group == "black")
    assert black.stop_filter == "vehicle stops"
    assert black.dates == 365
    assert black.stops == 4_522
    assert round(black.coef, 3) == -0.063
    # Too few traffic stops in the window to tell either way.
    assert black.covers_zero


def test_public_summary(report: DisparityReport) -> None:
    tables = public_tables(report)
    text = summarize(tables, report)
    assert (
        "Black people were stopped 5.4 times as often as White people, per resident "
        "(95% interval 5.3 to 5.5; 255.0 per 1,000 residents against 47.1)." in text
    )
    assert (
        "Comparing people within the same neighborhoods, per resident: Black people were stopped "
        "4.9 times as often as White people (95% interval 3.96 to 6.18, widened for overdispersion)."
        in text
    )
    assert "does not by itself prove" in text
    assert "commuters, visitors and through-traffic" in text
