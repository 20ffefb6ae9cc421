"""AI organization KPI engine: CSV ingestion into DuckDB, KPIs against the guide's targets.

This package never imports streamlit: the CLI, the tests and the app share it.
"""

__version__ = "0.1.0"
