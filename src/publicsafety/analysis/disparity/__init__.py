"""Disparities by race, sex and age in stops, searches, arrests and force: benchmarked rates,
outcome rates and the hit-rate test, area-adjusted Poisson models and the veil of darkness.

    report = analyze_disparities(store, city="Minneapolis")
    tables = public_tables(report)          # privacy-safe
    write_outputs(report, out_dir)          # CSV + SVG + summary.md
"""

from publicsafety.analysis.disparity.gfk import PoissonFit, fit_poisson, stop_cells
from publicsafety.analysis.disparity.groups import DIMENSIONS, MIN_EVENTS, TOO_FEW
from publicsafety.analysis.disparity.outcomes import hit_rates, outcome_counts, outcome_rates
from publicsafety.analysis.disparity.publish import public_tables, write_outputs
from publicsafety.analysis.disparity.rates import benchmark_counts, benchmarked_rates, event_counts
from publicsafety.analysis.disparity.run import DisparityReport, analyze_disparities
from publicsafety.analysis.disparity.summary import summarize
from publicsafety.analysis.disparity.veil import VeilResult, sun_times, veil_of_darkness

__all__ = [
    "DIMENSIONS",
    "MIN_EVENTS",
    "TOO_FEW",
    "DisparityReport",
    "PoissonFit",
    "VeilResult",
    "analyze_disparities",
    "benchmark_counts",
    "benchmarked_rates",
    "event_counts",
    "fit_poisson",
    "hit_rates",
    "outcome_counts",
    "outcome_rates",
    "public_tables",
    "stop_cells",
    "summarize",
    "sun_times",
    "veil_of_darkness",
    "write_outputs",
]
