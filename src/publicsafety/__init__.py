"""The Equitable Public Safety Toolkit: from raw city files to a privacy-safe, printed toolkit."""

__version__ = "0.1.0"
