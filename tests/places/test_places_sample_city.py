"""Sample City (the synthetic demo city) through the whole places analysis: it is the one city
here with stops, arrests, crime and calls placed in the same neighbourhoods, so every layer runs.
Counts are checked against the store itself rather than pinned, so a recalibrated generator
does not break this test while a broken analysis does."""

from __future__ import annotations

import pytest

from publicsafety.analysis.places.run import PlacesReport, analyze_places, map_specs, public_tables
from publicsafety.engine import open_store
from publicsafety.report.maps import render
from publicsafety.sample_city.pipeline import STEPS, run_demo

# Generate and ingest only: the demo's later steps (summary, report) are not needed here.
LOAD = [s for s in STEPS if s[0] in ("generate", "ingest")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlacesReport, dict[str, int]]:
    ws = tmp_path_factory.mktemp("sample") / "workspace"
    run_demo(ws, seed=5, calls=20_000, steps=LOAD)
    with open_store(ws, read_only=True) as store:
        report = analyze_places(store, "neighborhoods")
        rows = {
            k: store.count(k, "city = 'Sample City'") for k in ("stops", "arrests", "incidents")
        }
    return report, rows


def test_every_row_accounted_for(sample: tuple[PlacesReport, dict[str, int]]) -> None:
    report, rows = sample
    acct = report.frame.placement.set_index("measure")
    assert acct.loc["stops", "rows"] == rows["stops"]
    assert acct.loc["arrests", "rows"] == rows["arrests"]
    assert acct.loc["crime", "rows"] == rows["incidents"]
    assert (acct["placed"] + acct["unplaced"] == acct["rows"]).all()
    t = report.frame.table
    assert len(t) == 25
    assert t["stops"].sum() == acct.loc["stops", "placed"]


def test_divergence_moran_and_burden_all_run(sample: tuple[PlacesReport, dict[str, int]]) -> None:
    report, _ = sample
    d = report.divergence
    assert d is not None and d.enforcement == "stops" and d.crime == "crime"
    assert d.negbin.alpha > 0 and d.areas["in_fit"].all()
    assert set(d.areas["flag"]) <= {"", "above", "below"}
    assert report.moran is not None and report.moran.n == 25
    assert report.moran_of == "residuals of stops modelled on crime"
    b = report.burden
    assert b[["crime", "policing", "need"]].notna().all().all()  # all three components
    assert b["rank"].tolist() == sorted(b["rank"].tolist())


def test_public_outputs_and_maps(sample: tuple[PlacesReport, dict[str, int]]) -> None:
    report, _ = sample
    public = public_tables(report)
    for name, counts in (("areas", ["stops", "arrests", "crime"]), ("placement", ["unplaced"])):
        table = public[name].table
        for col in counts:
            assert not table[col].between(1, 10).any(), (name, col)
    specs = map_specs(report, public)
    assert "stops_vs_crime" in [s["name"] for s in specs]
    caption = next(s["caption"] for s in specs if s["name"] == "stops_vs_crime")
    assert caption.startswith("Officers stopped people in ") or caption.startswith("No area")
    for spec in specs:
        svg = render(spec, report.frame.geometry, "Sample City (synthetic)")
        assert 'class="legend"' in svg and 'class="source-line"' in svg
