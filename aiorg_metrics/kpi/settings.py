"""Organization settings (SPEC §2.9): a TOML file, validated with pydantic.

Location: `--settings`, else `$AIORG_SETTINGS`, else `aiorg.toml` next to the database.
No file at the default location means the defaults; a file given explicitly must exist.
An invalid file is refused with one message per problem, each naming the key; so is a
file over 1 MB or one nested too deeply to read.

Target overrides are checked against the KPI registry (`kpi.catalog`, `kpi.model`); this module
never imports the package `aiorg_metrics.kpi` or the engine, which read these settings.

Every number is finite and inside its bounds, declared once here (the Settings form reads
them with `bounds()`)::

    maturity = 2                      # 1-5
    declared_model = "hub_spoke"      # centralized | hub_spoke | federated | embedded
    self_service_platform = false
    hours_per_quarter = 455           # 1-2,200
    amber_tolerance = 0.10            # 0-0.5
    max_file_mb = 200                 # 1-2,048
    min_survey_answers = 3            # 1-50: fewer answers withhold a group's survey value
    csv_dialect = "excel-fr"          # excel-fr | standard: how the app's table exports write CSV

    [targets.use_case_to_poc_rate]    # replaces the KPI's whole target
    min = 0.35                        # shares are fractions: 0.35 = 35%
    strict_min = true

    [targets.use_case_to_poc_rate.by_business_unit."Retail"]
    min = 0.25                        # also applies to Retail's team and champion rows

    [skills_gap]                      # "large gap, low spend" flag of the skills page
    coverage_below = 0.60             # 0-1
    spend_per_learner_below = 2000    # 0-10^12 EUR

    [saved]                           # written by save_settings
    by = "alice"
    at = 2026-07-01T09:00:00Z
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from aiorg_metrics.access.actor import Actor
from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.common.spreadsheet import DEFAULT_CSV_DIALECT, CsvDialectName
from aiorg_metrics.common.tomlfile import TomlFileError, read_toml
from aiorg_metrics.kpi.catalog import BY_ID
from aiorg_metrics.kpi.model import Unit
from aiorg_metrics.store.connection import can_write

SETTINGS_ENV = "AIORG_SETTINGS"
DEFAULT_FILE_NAME = "aiorg.toml"
MAX_EUR = 10**12

DeclaredModel = Literal["centralized", "hub_spoke", "federated", "embedded"]


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names the file, the key and the problem."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class TargetBounds(_Strict):
    """A target override: a min, a max or both (a band); `strict_min` asks for value > min."""

    min: float | None = None
    max: float | None = None
    strict_min: bool = False

    @property
    def is_set(self) -> bool:
        return self.min is not None or self.max is not None

    @model_validator(mode="after")
    def _coherent(self) -> TargetBounds:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError("target", "min ({lo}) is above max ({hi})", {"lo": self.min, "hi": self.max})
        if self.strict_min and self.min is None:
            raise PydanticCustomError("target", "strict_min needs a min")
        return self


class BusinessUnitTarget(TargetBounds):
    @model_validator(mode="after")
    def _has_bound(self) -> BusinessUnitTarget:
        if not self.is_set:
            raise PydanticCustomError("target", "give a min, a max or both")
        return self


class KpiTargets(TargetBounds):
    """A KPI's override (optional) and its per-business-unit overrides."""

    by_business_unit: dict[str, BusinessUnitTarget] = Field(default_factory=dict)


class SkillsGap(_Strict):
    """Thresholds of the skills page's "large gap, low spend" flag."""

    coverage_below: float = Field(0.60, ge=0, le=1)
    spend_per_learner_below: float = Field(2000.0, ge=0, le=MAX_EUR)


class SavedBy(_Strict):
    by: str
    at: datetime


class Settings(_Strict):
    """The validated settings; `Settings()` are the defaults."""

    maturity: int | None = Field(None, ge=1, le=5)
    declared_model: DeclaredModel | None = None
    self_service_platform: bool = False
    hours_per_quarter: float = Field(455.0, ge=1, le=2200)
    amber_tolerance: float = Field(0.10, ge=0, le=0.5)
    max_file_mb: float = Field(200.0, ge=1, le=2048)
    min_survey_answers: int = Field(3, ge=1, le=50)
    csv_dialect: CsvDialectName = DEFAULT_CSV_DIALECT
    targets: dict[str, KpiTargets] = Field(default_factory=dict)
    skills_gap: SkillsGap = Field(default_factory=SkillsGap)
    saved: SavedBy | None = None

    @model_validator(mode="after")
    def _known_kpis(self) -> Settings:
        problems = [p for kpi_id, t in self.targets.items() for p in _target_problems(kpi_id, t)]
        if problems:
            raise PydanticCustomError("targets", "{problems}", {"problems": "\n".join(problems)})
        return self

    def target_override(self, kpi_id: str, business_unit: str | None = None) -> TargetBounds | None:
        """The override for `kpi_id`: the business unit's if any, else the KPI's, else None."""
        targets = self.targets.get(kpi_id)
        if targets is None:
            return None
        if business_unit is not None and business_unit in targets.by_business_unit:
            return targets.by_business_unit[business_unit]
        return targets if targets.is_set else None


def bounds(name: str, model: type[BaseModel] = Settings) -> tuple[float | None, float | None]:
    """The (lowest, highest) value the numeric setting `name` of `model` accepts (None: unbounded)."""
    lowest = highest = None
    for rule in model.model_fields[name].metadata:
        lowest = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else lowest
        highest = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else highest
    return lowest, highest


def choices(name: str, model: type[BaseModel] = Settings) -> tuple[Any, ...]:
    """The values the setting `name` of `model` accepts, in the order declared (a Literal's)."""
    return get_args(model.model_fields[name].annotation)


def _target_problems(kpi_id: str, targets: KpiTargets) -> list[str]:
    if kpi_id not in BY_ID:
        return [f"key 'targets.{kpi_id}': unknown KPI; known: {', '.join(BY_ID)}"]
    if BY_ID[kpi_id].unit is not Unit.PERCENT:
        return []
    bounds = [(f"targets.{kpi_id}", targets)]
    bounds += [(f"targets.{kpi_id}.by_business_unit.{bu}", b) for bu, b in targets.by_business_unit.items()]
    return [
        f"key '{key}.{name}': {value} is not a share; write shares as fractions (0.35 for 35%)"
        for key, b in bounds
        for name, value in (("min", b.min), ("max", b.max))
        if value is not None and not 0 <= value <= 1
    ]


def _error_text(error: Mapping[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"] if part != "[key]")
    if not key:
        return str(error["msg"])
    if error["type"] == "extra_forbidden":
        return f"key '{key}': not a known setting (check its spelling)"
    return f"key '{key}': {error['msg']}"


def parse_settings(data: Mapping[str, Any], source: str = "settings") -> Settings:
    """Validate settings data (as read from TOML); SettingsError lists every problem."""
    try:
        return Settings.model_validate(dict(data))
    except ValidationError as exc:
        lines = [_error_text(e) for e in exc.errors()]
        raise SettingsError(f"{source}: invalid settings\n" + "\n".join(f"  {line}" for line in lines)) from None


@dataclass(frozen=True)
class SettingsLocation:
    """Where the settings live, and whether the user named that file (then it must exist)."""

    path: Path
    explicit: bool


def locate_settings(db_path: str | Path, explicit: str | Path | None = None) -> SettingsLocation:
    """`explicit` (--settings), else $AIORG_SETTINGS, else aiorg.toml next to the database."""
    if explicit:
        return SettingsLocation(Path(explicit), True)
    from_env = os.environ.get(SETTINGS_ENV)
    if from_env:
        return SettingsLocation(Path(from_env), True)
    return SettingsLocation(Path(db_path).resolve().parent / DEFAULT_FILE_NAME, False)


def load_settings(location: SettingsLocation | str | Path) -> Settings:
    """Read and validate the settings file; the defaults when an implicit file is absent.

    Raises SettingsError for an unreadable or invalid file, or a missing explicit one.
    """
    if not isinstance(location, SettingsLocation):
        location = SettingsLocation(Path(location), False)
    path = location.path
    if not path.exists():
        if location.explicit:
            raise SettingsError(f"{path}: settings file not found")
        return Settings()
    try:
        data = read_toml(path)
    except TomlFileError as exc:
        raise SettingsError(str(exc)) from None
    return parse_settings(data, str(path))


def settings_for_db(db_path: str | Path, explicit: str | Path | None = None) -> Settings:
    """The settings that apply to the database at `db_path` (see `locate_settings`)."""
    return load_settings(locate_settings(db_path, explicit))


def _toml_data(settings: Settings) -> dict[str, Any]:
    data = settings.model_dump(exclude_none=True, exclude={"targets"})
    targets = {
        kpi_id: t.model_dump(exclude_none=True, exclude_defaults=True) for kpi_id, t in settings.targets.items()
    }
    if targets:
        data["targets"] = targets
    return data


def save_settings(path: str | Path, settings: Settings, *, actor: Actor) -> Settings:
    """Write `settings` to `path` atomically, recording who saved them (`actor`'s name) and when (UTC).

    The file is written next to its destination, then moved over it in one step, so a
    reader never sees half a file. Returns the settings as saved. A file or folder this user
    cannot write (as for a read-only store) raises SettingsError, an actor without the settings right
    `AccessDenied`: nothing is changed.
    """
    actor.require(Permission.SETTINGS_ROLES_AND_PATHS)


    target = Path(path)
    saved = settings.model_copy(update={"saved": SavedBy(by=actor.name, at=datetime.now(UTC).replace(microsecond=0))})
    text = tomli_w.dumps(_toml_data(saved))
    parse_settings(tomllib.loads(text), str(target))  # never write a file we would refuse to read
    read_only = SettingsError(
        f"The settings file {target} is read-only (this user cannot write the file or its folder): nothing was "
        "changed. Make them writable to save settings, or ask whoever manages them."
    )
    if not can_write(target):
        raise read_only
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except PermissionError:
        raise read_only from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return saved


def reset_settings(path: str | Path, *, actor: Actor) -> Settings:
    """Restore the defaults (the guide's targets, no overrides) and save them, by `actor`."""
    return save_settings(path, Settings(), actor=actor)
