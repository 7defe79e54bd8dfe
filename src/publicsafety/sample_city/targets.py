"""Calibration targets of the synthetic Sample City: each value, its tolerance and its source.

The generator is tuned so that its raw files hit these figures; `measure.py` computes the achieved
values from the files and SAMPLE_CITY.md prints both side by side. `kind` says whether a target
is a published figure ("published"), a figure measured here on a real file in ../shared/data
("measured"), or a design choice that only gives the data a realistic shape
("design").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    key: str
    what: str
    value: float
    tolerance: float  # absolute: achieved must lie within value ± tolerance
    source: str
    kind: str = "published"

    def holds(self, achieved: float) -> bool:
        return abs(achieved - self.value) <= self.tolerance


# Officer-initiated share: mean of New Orleans' yearly shares 2014-2019 (32.2 %, 28.9 %, 22.2 %,
# 26.7 %, 32.7 %, 28.7 %) in Vera / Two Sigma Data Clinic CityOfficerInitiatedSummary.xlsx; a test
# recomputes this mean from the file when ../shared/data is present.
NOLA_OFFICER_SHARE_2014_2019 = 0.28562

# NOPD CAD, districts 3 and 4, 2019-2022 (chelseammatta/nopd-cad-data-analysis): 458,255 records
# kept after removing 11,213 DUPLICATE, 16,521 VOID and 230 TEST INCIDENT rows.
_NOPD_CAD_TOTAL = 458_255 + 11_213 + 16_521 + 230
DUPLICATE_SHARE = 11_213 / _NOPD_CAD_TOTAL
VOID_SHARE = 16_521 / _NOPD_CAD_TOTAL
TEST_SHARE = 230 / _NOPD_CAD_TOTAL

# Poverty: mean over the five pilot counties of the tract poverty rate weighted by 2010
# population, from the USDA Food Access Research Atlas 2019 extract.
POVERTY_PILOT_COUNTIES = 0.18321

# Hour-of-day peak over trough of police calls in the Alexandria VA CAD export, weeks 41-52 of
# 2025 (the complete period per its SOURCE.md): 928 calls in hour 09 over 225 in hour 05.
PEAK_TROUGH_ALEXANDRIA = 928 / 225

TARGETS: tuple[Target, ...] = (
    Target(
        "officer_initiated_share",
        "share of calls that are officer-initiated",
        NOLA_OFFICER_SHARE_2014_2019,
        0.015,
        "Vera / Two Sigma Data Clinic, CityOfficerInitiatedSummary.xlsx: New Orleans 2014-2019 mean",
    ),
    Target(
        "serious_violent_call_share",
        "share of calls for serious violent crime (homicide, rape, robbery, aggravated assault)",
        0.010,
        0.002,
        "NYT / AH Datalytics, 'How the police spend their time' (June 2020): about 1 % of calls",
    ),
    Target(
        "serious_violent_time_share",
        "share of officer time (cleared - dispatched) on serious violent crime calls",
        0.040,
        0.006,
        "NYT / AH Datalytics 2020: 4.0 % New Orleans, 3.7 % Sacramento, 4.1 % Montgomery County",
    ),
    Target(
        "public_order_share",
        "share of public-initiated calls that are public order (complaints, disturbances, alarms,"
        " checks and patrols)",
        0.57,
        0.015,
        "Vera Institute, New Orleans 911 analysis (2021 data, presented Oct 2022): about 57 %",
    ),
    Target(
        "emergency_services_share",
        "share of public-initiated calls that are emergency services (accidents, medical,"
        " mental health)",
        0.12,
        0.01,
        "Vera Institute, New Orleans 2021: 12 %",
    ),
    Target(
        "crime_related_share",
        "share of public-initiated calls that are crime-related",
        0.25,
        0.015,
        "Vera Institute, New Orleans 2021: about a quarter",
    ),
    Target(
        "violent_public_share",
        "share of public-initiated calls about violence (serious violent, simple battery,"
        " domestic, fights)",
        0.05,
        0.01,
        "Vera Institute, New Orleans 2021: about 5 % violent",
    ),
    Target(
        "excluded_disposition_share",
        "share of raw CAD rows with DUPLICATE, VOID or TEST dispositions",
        DUPLICATE_SHARE + VOID_SHARE + TEST_SHARE,
        0.004,
        "NOPD CAD districts 3-4, 2019-2022 (chelseammatta/nopd-cad-data-analysis):"
        " 27,964 of 486,219 rows",
    ),
    Target(
        "median_response_minutes",
        "median minutes from call to arrival, public-initiated calls with NAT/RTF/UNF/GOA"
        " dispositions and 0-1,440 minutes",
        16.1,
        3.0,
        "AH Datalytics NOLA public safety dashboard, 2015-01 to 2026-02: overall median 16.1",
    ),
    Target(
        "stop_ratio_black_white",
        "stops per resident, Black / white",
        3.4,
        0.3,
        "Stanford Open Policing Project tutorial, Philadelphia 2017 vehicular stops: 3.4",
    ),
    Target(
        "stop_ratio_hispanic_white",
        "stops per resident, Hispanic / white",
        1.5,
        0.2,
        "Stanford Open Policing Project tutorial, Philadelphia 2017: 1.5",
    ),
    Target(
        "search_ratio_black_white",
        "search rate of stops, Black / white",
        1.5,
        0.2,
        "Stanford Open Policing Project tutorial, Philadelphia 2017: 1.5",
    ),
    Target(
        "search_ratio_hispanic_white",
        "search rate of stops, Hispanic / white",
        1.2,
        0.15,
        "Stanford Open Policing Project tutorial, Philadelphia 2017: 1.2",
    ),
    Target(
        "police_budget_share",
        "police department share of the general fund",
        0.24,
        0.005,
        "Vera Institute (2020): New Orleans spends 24 % of its city budget on policing",
    ),
    Target(
        "police_per_capita",
        "police dollars per resident",
        351.54,
        3.5,
        "BJS Justice Expenditure and Employment (Buehler & Scott, July 2020):"
        " state and local police spending per capita, 2017",
    ),
    Target(
        "dissimilarity_black_white",
        "Black-white dissimilarity index across neighbourhoods",
        0.59,
        0.08,
        "Logan & Stults, US2010 Project (2011): average Black-white dissimilarity of US metros,"
        " about 59",
    ),
    Target(
        "poverty_rate",
        "share of residents below the poverty line, citywide",
        POVERTY_PILOT_COUNTIES,
        0.04,
        "USDA Food Access Research Atlas 2019 tracts (ACS 2014-2018) in ../shared/data: mean of the"
        " five pilot counties' population-weighted poverty rates (Orleans 24.3 %, Baltimore 21.9 %,"
        " Bernalillo 17.7 %, San Joaquin 16.4 %, Hennepin 11.2 %)",
        kind="measured",
    ),
    Target(
        "summer_winter_ratio",
        "calls per day in July-August over calls per day in January-February",
        1.15,
        0.06,
        "design: summer peak in calls and crime (BJS, Seasonal Patterns in Criminal"
        " Victimization Trends, 2014)",
        kind="design",
    ),
    Target(
        "peak_trough_hour_ratio",
        "calls in the busiest hour of the day over calls in the quietest",
        PEAK_TROUGH_ALEXANDRIA,
        0.8,
        "Alexandria VA 911 CAD export, police calls 2025-10-05 to 2025-12-27 (../shared/data):"
        " busiest hour 4.1 times the quietest (05:00)",
        kind="measured",
    ),
)

BY_KEY = {t.key: t for t in TARGETS}
