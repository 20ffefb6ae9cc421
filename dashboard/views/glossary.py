"""KPI glossary: every KPI's entry under the current organization model and settings."""

from __future__ import annotations

from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display import glossary
from dashboard import cached
from dashboard.state import DataState


def glossary_entries(state: DataState) -> tuple[list[glossary.Entry], OrgModel]:
    """The glossary under the current model and settings, and that model."""
    model = cached.current_model(state.db, state.version)
    return glossary.glossary(model, state.settings), model
