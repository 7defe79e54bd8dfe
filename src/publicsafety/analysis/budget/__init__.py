"""Budgets and reallocation (roadmap 1.1, 3.1, 5.1, 5.2): what a city spends on police and beside
it, what each kind of call costs in officer time, and what a reallocation would buy.

- classify: budget lines by function, rules kept as data in functions.csv
- compare: police share of the general fund and whole budget, per resident, year over year
- cost: loaded hourly officer cost and the cost of service by call category
- scenario_file / reallocation: one scenario file joining diversion, budget and basic income
- targeting: the areas a basic income program goes to, and recipients per area
"""

from publicsafety.analysis.budget.classify import classify_budget, review
from publicsafety.analysis.budget.compare import budget_summary, function_totals, pilot_cities
from publicsafety.analysis.budget.cost import (
    OfficerCost,
    cost_from_store,
    cost_of_service,
    derive_cost,
    given_cost,
)
from publicsafety.analysis.budget.reallocation import run_reallocation
from publicsafety.analysis.budget.scenario_file import load_reallocation

__all__ = [
    "OfficerCost",
    "budget_summary",
    "classify_budget",
    "cost_from_store",
    "cost_of_service",
    "derive_cost",
    "function_totals",
    "given_cost",
    "load_reallocation",
    "pilot_cities",
    "review",
    "run_reallocation",
]
