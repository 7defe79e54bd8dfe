"""Sample City's adopted general-fund budget, with line items by department, program and function.

The police department gets $351.54 per resident (BJS 2017 state and local police spending per
capita) and 24 % of the general fund (Vera's New Orleans figure), so the fund's size follows from
the population. The other departments' shares are a design choice typical of a mid-sized city.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from publicsafety.sample_city import targets
from publicsafety.sample_city.calls import YEAR

FUND = "General Fund"
POLICE = "Police Department"
# department -> (share of the general fund, function, {program: share of the department})
DEPARTMENTS: dict[str, tuple[float, str, dict[str, float]]] = {
    POLICE: (
        0.24,
        "police",
        {
            "Patrol": 0.50,
            "Investigations": 0.17,
            "Special Operations": 0.07,
            "Administration and Support": 0.09,
            "Training Academy": 0.03,
            "Communications (911)": 0.06,
            "Crime Laboratory": 0.03,
            "Public Integrity": 0.01,
            "Records and Technology": 0.04,
        },
    ),
    "Fire Department": (
        0.13,
        "fire",
        {"Suppression": 0.80, "Fire Prevention": 0.10, "Administration": 0.10},
    ),
    "Emergency Medical Services": (
        0.05,
        "ems",
        {"Ambulance Operations": 0.90, "Administration": 0.10},
    ),
    "Municipal Court": (0.02, "courts", {"Court Operations": 1.0}),
    "Sheriff and Jail": (0.07, "corrections", {"Jail Operations": 0.85, "Inmate Medical": 0.15}),
    "District Attorney": (0.02, "prosecution", {"Prosecution": 1.0}),
    "Human Services": (
        0.04,
        "social_services",
        {"Homeless Services": 0.40, "Family Services": 0.30, "Re-entry Services": 0.30},
    ),
    "Health Department": (0.03, "health", {"Behavioral Health": 0.50, "Community Health": 0.50}),
    "Housing and Community Development": (0.03, "housing", {"Affordable Housing": 1.0}),
    "Youth and Recreation": (0.03, "youth", {"Youth Programs": 0.60, "Summer Jobs": 0.40}),
    "Parks": (0.04, "parks", {"Parks Maintenance": 0.70, "Recreation Centers": 0.30}),
    "Public Works": (0.12, "other", {"Streets": 0.60, "Drainage": 0.40}),
    "Sanitation": (0.07, "other", {"Collection": 1.0}),
    "General Government": (
        0.11,
        "other",
        {"Mayor and Council": 0.15, "Finance": 0.45, "Legal": 0.40},
    ),
}
# Personal services share of each program; the rest is other operating.
PERSONNEL = {"police": 0.80, "fire": 0.82}
SWORN_PROGRAMS = {
    "Patrol": 0.95,
    "Investigations": 0.85,
    "Special Operations": 0.95,
    "Training Academy": 0.6,
}
COST_PER_FTE = 105_000.0


def generate(population: int, rng: np.random.Generator) -> pa.Table:
    police = targets.BY_KEY["police_per_capita"].value * population
    fund = police / targets.BY_KEY["police_budget_share"].value
    rows: dict[str, list[object]] = {
        k: []
        for k in (
            "Fiscal Year",
            "Department",
            "Program",
            "Fund",
            "Account",
            "Adopted Budget",
            "FTE",
            "Sworn FTE",
            "Function",
        )
    }
    for dept, (share, function, programs) in DEPARTMENTS.items():
        for program, p_share in programs.items():
            amount = fund * share * p_share
            personnel = PERSONNEL.get(function, 0.62) * rng.uniform(0.97, 1.03)
            for account, value in (
                ("Personal Services", amount * personnel),
                ("Other Operating", amount * (1 - personnel)),
            ):
                fte = round(value / COST_PER_FTE, 1) if account == "Personal Services" else None
                sworn = (
                    round(fte * SWORN_PROGRAMS[program], 1)
                    if fte and dept == POLICE and program in SWORN_PROGRAMS
                    else None
                )
                rows["Fiscal Year"].append(YEAR)
                rows["Department"].append(dept)
                rows["Program"].append(program)
                rows["Fund"].append(FUND)
                rows["Account"].append(account)
                rows["Adopted Budget"].append(f"${round(value):,}")
                rows["FTE"].append(fte)
                rows["Sworn FTE"].append(sworn)
                rows["Function"].append(
                    "dispatch" if program == "Communications (911)" else function
                )
    return pa.table(
        {
            **{
                k: pa.array(v, pa.string())
                for k, v in rows.items()
                if k not in ("Fiscal Year", "FTE", "Sworn FTE")
            },
            "Fiscal Year": pa.array(rows["Fiscal Year"], pa.int64()),
            "FTE": pa.array(rows["FTE"], pa.float64()),
            "Sworn FTE": pa.array(rows["Sworn FTE"], pa.float64()),
        }
    ).select(list(rows))
