"""Engines beyond the embedded DuckDB store: Spark (spark.py) and the Ibis forms of the
aggregations that must run on any engine (portable.py)."""
