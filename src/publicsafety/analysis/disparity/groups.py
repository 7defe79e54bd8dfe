"""Groups compared in the disparity analyses: race, sex, age band and race x sex, as engine
expressions, plus the "too few to say" rule shared by every table."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from publicsafety.vocab import AGE_BANDS, Race

# CPE refuses to model a group with fewer than 10 events; below that a rate is noise.
MIN_EVENTS = 10
TOO_FEW = "too few to say"

DIMENSIONS = ("race", "sex", "age_band", "race_sex")
# The comparison group for ratios: the largest majority group in most US stop data, and the
# group the Stanford Open Policing Project and most published studies compare against.
DEFAULT_REFERENCE = {"race": Race.WHITE.value, "sex": "female", "age_band": "35-44"}
# Values that are not a group anyone can be compared as.
NOT_A_GROUP = frozenset({"unknown", ""})


def age_band_expr(age: ir.IntegerValue) -> ir.StringValue:
    """vocab.age_band as an engine expression (same bands, 'unknown' for missing or impossible)."""
    branches = []
    for band in AGE_BANDS[:-1]:
        lo, hi = (int(x) for x in band.split("-"))
        branches.append((age.between(lo, hi), band))
    branches.append((age.between(65, 120), AGE_BANDS[-1]))
    return ibis.cases(*branches, else_="unknown")


def group_expr(t: ir.Table, dimension: str) -> ir.StringValue:
    """The group of each row of an event table (stops, arrests, force) for one dimension."""
    race = t.subject_race.fill_null("unknown")
    sex = t.subject_sex.fill_null("unknown")
    if dimension == "race":
        return race
    if dimension == "sex":
        return sex
    if dimension == "age_band":
        return age_band_expr(t.subject_age)
    if dimension == "race_sex":
        # A combination with either half unrecorded is not a group anyone can be compared as.
        known = race.isin(list(NOT_A_GROUP)) | sex.isin(list(NOT_A_GROUP))
        return ibis.ifelse(known, "unknown", race.concat(" ", sex))
    raise ValueError(f"unknown dimension {dimension!r}; expected one of {', '.join(DIMENSIONS)}")


def reference_for(dimension: str, reference: dict[str, str] | None = None) -> str | None:
    """The comparison group of a dimension (race_sex compares against white male)."""
    chosen = {**DEFAULT_REFERENCE, "race_sex": "white male", **(reference or {})}
    return chosen.get(dimension)
