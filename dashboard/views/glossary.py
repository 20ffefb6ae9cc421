"""KPI glossary: every KPI's entry under the current organization model and settings."""

from __future__ import annotations

import re

from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display import glossary
from dashboard import cached
from dashboard.state import DataState
from dashboard.widgets import md

# A snake_case word of the registry's texts is an identifier a user types (a settings key, a CSV column or value),
# with or without the backticks of Markdown code around it.
IDENTIFIER = re.compile(r"`?\b([a-z]+_[a-z0-9_]+)\b`?")


def glossary_entries(state: DataState) -> tuple[list[glossary.Entry], OrgModel]:
    """The glossary under the current model and settings, and that model."""
    model = cached.current_model(state.db, state.version)
    return glossary.glossary(model, state.settings), model


def with_code(text: str) -> str:
    """Registry text as Markdown: its identifiers as code (`hours_per_quarter`), the rest shown as typed."""
    parts = IDENTIFIER.split(text)  # prose, identifier, prose, ...
    return "".join(f"`{part}`" if i % 2 else md(part) for i, part in enumerate(parts))
