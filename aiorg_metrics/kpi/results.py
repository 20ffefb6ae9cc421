"""One KPI result (SPEC §3.1) and its serializations: JSON-ready dict, CSV row (its wording for
readers is display.wording's).

The JSON contract is documented in docs/kpi-json.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from aiorg_metrics.kpi.model import Scope
from aiorg_metrics.kpi.status import Status, Target, TargetSource

# Floats are written with this many decimals: enough for any reading, and stable
# across runs although DuckDB may sum in a different order on another machine.
DECIMALS = 10

CSV_COLUMNS: tuple[str, ...] = (
    "kpi", "period", "scope", "scope_type", "scope_value", "value", "n", "numerator", "denominator",
    "target_min", "target_max", "target_strict_min", "target_source", "status", "previous", "year_ago",
    "partial_window", "note", "as_of",
)


def scope_label(scope_type: Scope, scope_value: str | None) -> str:
    """The `scope` field: `org`, or `<breakdown>:<value>` such as `business_unit:Retail`."""
    return Scope.ORG.value if scope_type is Scope.ORG else f"{scope_type.value}:{scope_value}"


def _number(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DECIMALS)
    return value


@dataclass(frozen=True)
class KpiResult:
    """A KPI's value for one period and scope, with its target, status and comparisons."""

    kpi: str
    period: str
    scope_type: Scope
    scope_value: str | None
    value: float | None
    n: int
    numerator: float | None
    denominator: float | None
    target: Target | None
    target_source: TargetSource | None
    status: Status
    previous: float | None
    year_ago: float | None
    partial_window: bool
    note: str | None
    # The data's last day when the period is a quarter in progress (SPEC §3.1), else None.
    as_of: date | None = None

    @property
    def scope(self) -> str:
        return scope_label(self.scope_type, self.scope_value)

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of docs/kpi-json.md (floats rounded to 10 decimals)."""
        return {
            "kpi": self.kpi,
            "period": self.period,
            "scope": self.scope,
            "scope_type": self.scope_type.value,
            "scope_value": self.scope_value,
            "value": _number(self.value),
            "n": self.n,
            "numerator": _number(self.numerator),
            "denominator": _number(self.denominator),
            "target": self.target.as_dict() if self.target else None,
            "target_source": self.target_source.value if self.target_source else None,
            "status": self.status.value,
            "previous": _number(self.previous),
            "year_ago": _number(self.year_ago),
            "partial_window": self.partial_window,
            "note": self.note,
            "as_of": self.as_of.isoformat() if self.as_of else None,
        }

    def csv_row(self) -> dict[str, Any]:
        """The flat row of `--format csv`: `target` split into three columns."""
        row = self.as_dict()
        target = row.pop("target") or {}
        row["target_min"] = target.get("min")
        row["target_max"] = target.get("max")
        row["target_strict_min"] = target.get("strict_min")
        return {column: row[column] for column in CSV_COLUMNS}
