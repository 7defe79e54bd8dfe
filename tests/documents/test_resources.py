"""Per-city resource lists: sourced entries in both languages, a file for every pilot city."""

from __future__ import annotations

from pathlib import Path

import pytest

from publicsafety.documents.resources import HERE, _read, load_resources
from publicsafety.errors import PublicSafetyError

PILOT_CITIES = ("Albuquerque", "Stockton", "New Orleans", "Minneapolis", "Baltimore")


def test_national_lines_are_911_988_and_211() -> None:
    names = [r["name"] for r in load_resources("Anywhere")["national"]]
    assert names == ["911", "988 Suicide and Crisis Lifeline", "211"]
    assert load_resources("Anywhere")["local"] == []


@pytest.mark.parametrize("city", PILOT_CITIES)
def test_every_pilot_city_has_sourced_local_entries(city: str) -> None:
    local = load_resources(city)["local"]
    assert local, city
    for r in local:
        # A source names a publisher or a document, not just a word.
        assert len(r["source"].split()) >= 3, r["name"]
        assert r["what"] != r["what_es"] and r["contact_es"], r["name"]


def test_every_file_loads_and_every_entry_is_complete() -> None:
    files = sorted(p.name for p in HERE.glob("*.toml"))
    assert files == [
        "albuquerque.toml",
        "baltimore.toml",
        "minneapolis.toml",
        "national.toml",
        "new_orleans.toml",
        "stockton.toml",
    ]
    kinds = set()
    for p in HERE.glob("*.toml"):
        for r in _read(p):
            kinds.add(r["kind"])
    assert {"emergency", "crisis", "information", "responder", "oversight"} <= kinds


def test_an_entry_without_a_source_is_refused_with_the_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "somewhere.toml"
    bad.write_text(
        '[[resources]]\nkind = "crisis"\nname = "A line"\nname_es = "Una línea"\n'
        'what = "Help."\nwhat_es = "Ayuda."\ncontact = "Call."\ncontact_es = "Llame."\n',
        encoding="utf-8",
    )
    with pytest.raises(PublicSafetyError, match="resource 1 lacks source") as err:
        _read(bad)
    assert str(bad) in str(err.value.where)
