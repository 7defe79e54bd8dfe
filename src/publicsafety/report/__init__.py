"""City report: charts, maps and tables as SVG/HTML/PDF, shared by every analysis."""
