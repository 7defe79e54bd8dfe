"""Per-city options for the places analysis of an area set, kept as data (city_options.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from publicsafety.errors import ProfileError

OPTIONS_FILE = Path(__file__).with_name("city_options.toml")
KEYS = {"area_key": str, "attribute": dict, "population_from": str, "label": str}


@cache
def _all() -> dict[str, Any]:
    with open(OPTIONS_FILE, "rb") as f:
        return tomllib.load(f)


def city_options(city: str, area_set: str) -> dict[str, Any]:
    """The options set for `city`'s `area_set` (empty when none are)."""
    found = dict(_all().get(city, {}).get(area_set, {}))
    for key, value in found.items():
        if key not in KEYS or not isinstance(value, KEYS[key]):
            raise ProfileError(
                f"[{city!r}.{area_set!r}] {key} = {value!r} is not a known option",
                where=OPTIONS_FILE.name,
                fix=f"use {', '.join(KEYS)} (see the comment at the top of the file)",
            )
    return found


def as_arguments(options: dict[str, Any]) -> list[str]:
    """The options as `publicsafety analyze places` arguments."""
    args: list[str] = []
    if "area_key" in options:
        args += ["--area-key", options["area_key"]]
    for table, column in options.get("attribute", {}).items():
        args += ["--attribute", f"{table}={column}"]
    if "population_from" in options:
        args += ["--population-from", options["population_from"]]
    if "label" in options:
        args += ["--label", options["label"]]
    return args
