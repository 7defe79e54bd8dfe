"""Places (roadmap 2.1, 3.1): area profiles with exact rates and empirical-Bayes shrinkage,
divergence of enforcement from crime (Poisson and negative binomial GLMs), Moran's I, and the
burden index with rank intervals. docs/places.md documents the methods.

    report = analyze_places(store, "neighborhoods", city="Minneapolis")
    public = public_tables(report)
"""

from publicsafety.analysis.places.run import (
    PlacesReport,
    analyze_places,
    map_specs,
    public_tables,
    source_line,
)

__all__ = ["PlacesReport", "analyze_places", "map_specs", "public_tables", "source_line"]
