"""Where the store lives when nobody says: one answer for the CLI and the dashboard."""

from __future__ import annotations

import os
from pathlib import Path


def default_db() -> Path:
    """`$AIORG_DB`, else data/aiorg.duckdb under the current directory."""
    return Path(os.environ.get("AIORG_DB") or Path("data") / "aiorg.duckdb")
