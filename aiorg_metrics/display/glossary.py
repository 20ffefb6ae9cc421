"""The KPI glossary, generated from the registry: for each KPI its definition and the choices made,
how to read it, its target and where the target comes from (the guide's section, a product default,
or the organization's own setting), its scopes and the period it reads. Pure data, no Streamlit.

One builder, two renderings: the glossary page (with the organization's model and settings) and
docs/kpis.md (`display.kpi_docs`, with the spec's targets under every model).
"""
from __future__ import annotations

from dataclasses import dataclass

from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display.wording import dated_by_text, direction_text, format_target, model_name, source_text
from aiorg_metrics.kpi import KPIS, Kpi, Scope, resolve_target
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.kpi.status import Target, TargetSource

SCOPE_WORDS = {
    Scope.ORG: "organization", Scope.BUSINESS_UNIT: "business unit", Scope.TEAM: "team",
    Scope.CHAMPION: "champion", Scope.AI_TEAM: "AI team (hub or spoke)",
}


UNDATED = "undated data (the current structure or assessments)"


@dataclass(frozen=True)
class Entry:
    kpi: Kpi
    how_to_read: str
    target: str
    source: str
    model_targets: tuple[str, ...]  # for KPIs whose target depends on the organization model
    overrides: tuple[str, ...]  # per business unit, from the settings
    scopes: str
    period: str
    dated_by: str  # in words: "identification date (use cases)"


def _model_targets(kpi: Kpi, current: OrgModel | None) -> tuple[str, ...]:
    if not kpi.targets_by_model:
        return ()
    lines = []
    for model, target in kpi.targets_by_model:
        extra = f" (amber up to {target.amber_max:g}, whatever the tolerance)" if target.amber_max else ""
        mark = " ← current model" if model is current else ""
        lines.append(f"{model_name(model)}: {format_target(kpi, target)}{extra}{mark}")
    listed = {m for m, _ in kpi.targets_by_model}
    others = [m for m in OrgModel if m not in listed and m is not OrgModel.NONE]
    lines.append(f"{', '.join(model_name(m) for m in others)}: no target"
                 + (" ← current model" if current in others else ""))
    return tuple(lines)


def _overrides(kpi: Kpi, settings: Settings) -> tuple[str, ...]:
    targets = settings.targets.get(kpi.id)
    if targets is None:
        return ()
    return tuple(
        f"{unit}: {format_target(kpi, resolve_target(kpi, OrgModel.NONE, settings, unit)[0])}"
        for unit in sorted(targets.by_business_unit)
    )


def _spec_target(kpi: Kpi) -> tuple[Target | None, TargetSource | None]:
    """The spec's target without an organization: the KPI's own, else the first model's (for its direction)."""
    if kpi.targets_by_model:
        return kpi.targets_by_model[0][1], kpi.target_source
    return kpi.target, kpi.target_source


def _source(kpi: Kpi, model: OrgModel | None, source: TargetSource | None) -> str:
    """Where the target comes from; for an override, the spec's target it replaces; for a product
    default or no target, the guide's section that gives the context."""
    where = source_text(kpi, source, full=True, model=model)
    if source is TargetSource.OVERRIDE and kpi.guide_section and model is not None:
        spec = format_target(kpi, kpi.default_target(model))
        return f"{where} (the spec's target: {spec}, {source_text(kpi, kpi.target_source, full=True)})"
    if source is None and kpi.guide_section:  # the target already reads "no target"
        return f"context from the guide: {kpi.guide_section}"
    if source is not TargetSource.GUIDE and kpi.guide_section:
        return f"{where}; context from the guide: {kpi.guide_section}"
    return where


def entry(kpi: Kpi, model: OrgModel | None = None, settings: Settings | None = None) -> Entry:
    """One KPI's glossary entry. With `model` (and `settings`), the target that applies to the
    organization, its overrides and the current model marked; without, the spec's targets."""
    settings = settings or Settings()
    target, source = resolve_target(kpi, model, settings) if model is not None else _spec_target(kpi)
    return Entry(
        kpi=kpi,
        how_to_read=direction_text(target),
        target=format_target(kpi, target),
        source=_source(kpi, model, source),
        model_targets=_model_targets(kpi, model),
        overrides=_overrides(kpi, settings) if model is not None else (),
        scopes=", ".join(SCOPE_WORDS[s] for s in kpi.scopes),
        period=kpi.window.value,
        dated_by=", ".join(dated_by_text(d) for d in kpi.dated_by) or UNDATED,
    )


def glossary(model: OrgModel | None = None, settings: Settings | None = None) -> list[Entry]:
    """Every KPI of the registry, in display order (see `entry` for `model` and `settings`)."""
    return [entry(k, model, settings) for k in KPIS]
