"""Engines beyond the embedded DuckDB store: Spark (spark.py). The analyses build Ibis
expressions, so they run unchanged on any engine `engine.open_store` connects to."""
