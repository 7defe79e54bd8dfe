"""The built-in catalogue: every entry well-formed, its profiles real, and in step with the
portal ids the profiles themselves record."""

from __future__ import annotations

import pytest

from publicsafety.profiles import list_profiles, load_profile
from publicsafety.sources import load_catalog
from publicsafety.sources.http import FetchError


def test_every_entry_names_a_real_profile_and_a_checked_status():
    catalog = load_catalog()
    assert len(catalog) == 11
    for (city, dataset), entry in catalog.items():
        assert entry.checked, f"{city}.{dataset} says nothing of how its id was checked"
        for name in [entry.profile, *entry.profiles.values()]:
            if name:
                profile = load_profile(name)
                assert profile.kind == dataset, (city, dataset, name)


def test_seeded_ids_from_the_field_notes():
    catalog = load_catalog()
    nola = catalog[("new_orleans", "calls")]
    assert nola.dataset_id("2019") == ("qf6q-pp4b", False)
    assert nola.dataset_id("2021") == ("3pha-hum9", False)
    assert nola.profile_for("2019") == "new_orleans_calls"
    assert nola.profile_for("2021") == "new_orleans_calls_2020"
    assert catalog[("seattle", "calls")].dataset_id("2019") == ("33kz-ixgy", True)
    assert catalog[("austin", "calls")].id == "22de-7rzg"
    statuses = {k: e.status for k, e in catalog.items()}
    assert statuses[("stockton", "calls")] == "unverified"
    assert statuses[("albuquerque", "calls")] == "unverified"


def test_catalogue_agrees_with_the_portal_ids_in_the_profiles():
    catalog = load_catalog()
    by_profile: dict[str, set[str]] = {}
    for entry in catalog.values():
        ids = set(entry.years.values()) | ({entry.id} if entry.id else set())
        for name in [entry.profile, *entry.profiles.values()]:
            if name:
                by_profile.setdefault(name, set()).update(ids)
    checked = 0
    for profile in list_profiles():
        listed = set((profile.portal or {}).get("datasets", {}).values())
        if listed and profile.name in by_profile:
            assert listed <= by_profile[profile.name], profile.name
            checked += 1
    # new_orleans_calls and _2020, new_orleans_stops, baltimore_arrests, minneapolis_stops,
    # sacramento_calls, seattle_calls, stockton_calls
    assert checked == 8


def test_an_albuquerque_fetch_says_no_id_is_known(workspace):
    entry = load_catalog()[("albuquerque", "calls")]
    with pytest.raises(FetchError, match="no albuquerque calls dataset for 2020"):
        entry.dataset_id("2020")


def test_a_bad_catalogue_entry_is_reported_with_its_place(tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text(
        '[gotham.calls]\ntype = "socrata"\ndomain = "x"\nid = "abcd-1234"\nstatus = "probably"\n'
    )
    with pytest.raises(FetchError) as exc:
        load_catalog(bad)
    assert "[gotham.calls]" in exc.value.message and "status 'probably'" in exc.value.message
