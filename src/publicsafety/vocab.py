"""The canonical vocabulary (DESIGN.md) as documented enums.

Unknowns are values (UNKNOWN, OTHER, MULTIPLE), never dropped rows. Every enum is a StrEnum so
its values are the strings stored in the canonical tables.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a source file holds; each kind loads into one canonical table."""

    CALLS = "calls"
    STOPS = "stops"
    INCIDENTS = "incidents"
    ARRESTS = "arrests"
    FORCE = "force"
    AREAS = "areas"
    POPULATION = "population"
    BUDGET = "budget"


class Origin(StrEnum):
    """Who started a call for service."""

    COMMUNITY = "community"  # 911, non-emergency line, text, walk-in
    OFFICER = "officer"  # officer-initiated (self-initiated, on-view)
    ALARM = "alarm"  # automated alarm companies
    OTHER = "other"  # transfers from other agencies, 311/211 routed in
    UNKNOWN = "unknown"


class Category(StrEnum):
    """What a call is about (DESIGN.md call taxonomy)."""

    VIOLENT_CRIME = "violent_crime"
    PROPERTY_CRIME = "property_crime"
    OTHER_CRIME = "other_crime"
    TRAFFIC = "traffic"
    DISORDER = "disorder"
    MENTAL_HEALTH_WELFARE = "mental_health_welfare"
    MEDICAL = "medical"
    ALARM = "alarm"
    INVESTIGATION_FOLLOWUP = "investigation_followup"
    PROACTIVE = "proactive"
    ADMINISTRATIVE = "administrative"
    OTHER = "other"
    UNMAPPED = "unmapped"


class Responder(StrEnum):
    """Who could answer a call by default."""

    POLICE = "police"
    CO_RESPONSE = "co_response"  # clinician with an officer
    CIVILIAN = "civilian"  # community responder (CAHOOTS-style)
    NON_EMERGENCY = "non_emergency"  # 311, online report
    UNMAPPED = "unmapped"


class CrimeCategory(StrEnum):
    VIOLENT = "violent"
    PROPERTY = "property"
    OTHER = "other"  # other / crimes against society
    UNKNOWN = "unknown"


class Race(StrEnum):
    """Race and ethnicity as the Stanford Open Policing Project standardises them."""

    ASIAN_PACIFIC_ISLANDER = "asian/pacific islander"
    BLACK = "black"
    HISPANIC = "hispanic"
    WHITE = "white"
    NATIVE_AMERICAN = "native american"
    OTHER = "other"
    MULTIPLE = "multiple"
    UNKNOWN = "unknown"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class StopType(StrEnum):
    VEHICULAR = "vehicular"
    PEDESTRIAN = "pedestrian"
    OTHER = "other"
    UNKNOWN = "unknown"


class BudgetBasis(StrEnum):
    ADOPTED = "adopted"
    ACTUAL = "actual"
    PROPOSED = "proposed"
    REVISED = "revised"


class BudgetFunction(StrEnum):
    """What a budget line pays for."""

    POLICE = "police"
    FIRE = "fire"
    EMS = "ems"
    DISPATCH = "dispatch"  # 911 and dispatch
    COURTS = "courts"
    CORRECTIONS = "corrections"  # jail
    PROSECUTION = "prosecution"
    SOCIAL_SERVICES = "social_services"
    HEALTH = "health"  # health and mental health
    HOUSING = "housing"
    YOUTH = "youth"
    PARKS = "parks"
    OTHER = "other"
    TOTAL = "total"  # a whole-city or whole-fund total line


class PopulationDimension(StrEnum):
    TOTAL = "total"
    RACE = "race"
    SEX = "sex"
    AGE_BAND = "age_band"
    POVERTY = "poverty"  # group "below_poverty": residents below the poverty line


# Groups of the total and poverty dimensions.
TOTAL_GROUP = "total"
BELOW_POVERTY_GROUP = "below_poverty"


AGE_BANDS: tuple[str, ...] = ("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")


def age_band(age: int | None) -> str:
    """The age band of an age in years; 'unknown' for a missing or impossible age."""
    if age is None or age < 0 or age > 120:
        return "unknown"
    for band in AGE_BANDS[:-1]:
        lo, hi = (int(x) for x in band.split("-"))
        if lo <= age <= hi:
            return band
    return "65+"
