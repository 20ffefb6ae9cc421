"""The dataset registry: one pydantic row model per CSV export (SPEC §2).

Each model is the single source of its dataset's rules: column types and ranges (field
annotations), meanings (field descriptions), cross-field rules (`__rules__`) and
references (`__references__`). `DATASETS` lists them with their keys, in import order;
the CLI, the app, the documentation and the tests iterate it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from aiorg_metrics.common.textchars import CONTROL
from aiorg_metrics.datasets.fieldtypes import (
    MAX_EUR,
    MAX_HOURS,
    MAX_PEOPLE,
    ColumnType,
    IsoDate,
    MonthStart,
    Number,
    ProblemKind,
    TypeTag,
    WholeNumber,
)
from aiorg_metrics.datasets.problems import ColumnRule, Level
from aiorg_metrics.datasets.rules import (
    EmptyUnless,
    NotAbove,
    NotAfterToday,
    NotBefore,
    Reference,
    RequiredWhen,
    RowRule,
)


def _enum(cls: type[StrEnum]):
    def parse(value: Any) -> Any:
        if isinstance(value, str) and value not in {m.value for m in cls}:
            raise PydanticCustomError(ProblemKind.NOT_IN_ENUM.value, ProblemKind.NOT_IN_ENUM.value)
        return value

    return Annotated[cls, BeforeValidator(parse)]


class TeamKind(StrEnum):
    BUSINESS = "business"
    AI_HUB = "ai_hub"
    AI_SPOKE = "ai_spoke"


class ActivityType(StrEnum):
    IDENTIFICATION = "identification"
    QUALIFICATION = "qualification"
    EVANGELIZATION = "evangelization"
    FACILITATION = "facilitation"
    ADOPTION_SUPPORT = "adoption_support"
    MEETUP = "meetup"
    QUARTERLY_REVIEW = "quarterly_review"
    SUMMIT = "summit"
    TRAINING_DAY = "training_day"
    SURVEY = "survey"


class CollaborationPattern(StrEnum):
    EMBEDDED_DS = "embedded_ds"
    SPRINT = "sprint"
    SERVICE_REQUEST = "service_request"
    PRODUCT_TEAM = "product_team"


class Outcome(StrEnum):
    RUNNING = "running"
    PRODUCTION = "production"
    STOPPED = "stopped"


class TrainingFormat(StrEnum):
    THEORY = "theory"
    PRACTICE = "practice"


class ReconversionPath(StrEnum):
    BACKEND_TO_MLE = "backend_to_mle"
    FULLSTACK_TO_AI_ENGINEER = "fullstack_to_ai_engineer"
    ANALYST_TO_DS = "analyst_to_ds"
    PM_TO_AI_PM = "pm_to_ai_pm"
    DEVOPS_TO_MLOPS = "devops_to_mlops"


class Role(StrEnum):
    DATA_SCIENTIST = "data_scientist"
    ML_ENGINEER = "ml_engineer"
    AI_ENGINEER = "ai_engineer"
    AI_PRODUCT_MANAGER = "ai_product_manager"
    DATA_ENGINEER = "data_engineer"
    AI_ARCHITECT = "ai_architect"
    AI_GOVERNANCE = "ai_governance"


class Seniority(StrEnum):
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    STAFF = "staff"
    PRINCIPAL = "principal"


class RowModel(BaseModel):
    """Base of the row models: runs the error-level row rules once fields are valid."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    __rules__: ClassVar[tuple[RowRule, ...]] = ()
    __references__: ClassVar[tuple[Reference, ...]] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """A value holding a control character (ESC, a stray vertical tab…) is an error, whatever its type."""
        if isinstance(value, str) and CONTROL.search(value):
            raise PydanticCustomError(ProblemKind.CONTROL_CHAR.value, ProblemKind.CONTROL_CHAR.value)
        return value

    @model_validator(mode="after")
    def _row_rules(self) -> RowModel:
        values = self.model_dump()
        rules = row_rules(type(self))
        broken = [i for i, r in enumerate(rules) if r.violated(values)]
        if any(rules[i].level is Level.ERROR for i in broken):
            # The context lists every broken rule, warnings included, for the problem report.
            reasons = " ".join(rules[i].reason()[0] for i in broken)
            raise PydanticCustomError(ProblemKind.RULE.value, reasons, {"rules": broken})
        return self


def Desc(text: str, **kw: Any) -> Any:  # noqa: N802 - reads as a type annotation helper
    return Field(description=text, **kw)


class TeamRow(RowModel):
    team_id: str = Desc("Team identifier.")
    team_name: str = Desc("Team name.")
    business_unit: str = Desc("Business unit the team belongs to (the hub may use its own, e.g. Group).")
    team_kind: _enum(TeamKind) = Desc(
        "business = a business team served by AI; ai_hub = the central AI hub (CoE); "
        "ai_spoke = an AI team embedded in a business unit."
    )
    headcount: WholeNumber = Desc("Everyone in the team.", ge=0, le=MAX_PEOPLE)
    ai_staff: WholeNumber = Desc(
        "Data scientists and ML/AI engineers in the team; at most headcount.", ge=0, le=MAX_PEOPLE
    )

    __rules__ = (NotAbove("ai_staff", "headcount"),)


class ChampionActivityRow(RowModel):
    activity_id: str | None = Desc("Activity identifier (recommended).", default=None)
    date: IsoDate = Desc("Day of the activity.")
    champion_id: str = Desc("The AI champion.")
    champion_name: str | None = Desc("The champion's name.", default=None)
    team_id: str = Desc("The business team the champion represents.")
    activity_type: _enum(ActivityType) = Desc(
        "One of the champion's responsibilities, network rituals, programme days or the survey."
    )
    hours: Number | None = Desc("Time spent, in hours; blank counts as 0.", default=None, ge=0, le=24)
    satisfaction: WholeNumber | None = Desc(
        "Survey answer from 1 to 5; on survey rows only.", default=None, ge=1, le=5
    )

    __rules__ = (
        RequiredWhen("satisfaction", "activity_type", ("survey",)),
        EmptyUnless("satisfaction", "activity_type", ("survey",)),
    )
    __references__ = (
        Reference("team_id", "teams", "team_id", kinds=("business",), kind_level=Level.WARNING),
    )


class UseCaseRow(RowModel):
    use_case_id: str = Desc("Use case identifier.")
    title: str = Desc("Short title (free text).")
    team_id: str = Desc("The requesting business team.")
    champion_id: str | None = Desc("The champion who identified it.", default=None)
    ai_team_id: str | None = Desc("The AI team serving it (the hub or a spoke).", default=None)
    identified_date: IsoDate = Desc("Day the use case was identified.")
    qualified_date: IsoDate | None = Desc("Day the briefing was accepted into an AI team's backlog.", default=None)
    rejected_date: IsoDate | None = Desc("Day it was dropped, at any stage.", default=None)
    tier: WholeNumber | None = Desc("Priority tier, 1 = strategic.", default=None, ge=1, le=3)
    collaboration_pattern: _enum(CollaborationPattern) | None = Desc(
        "How the AI team and the business team work together.", default=None
    )
    problem: str | None = Desc("Briefing: the business problem.", default=None)
    expected_kpis: str | None = Desc("Briefing: the KPIs expected to move.", default=None)
    data_sources: str | None = Desc("Briefing: the data needed.", default=None)
    constraints: str | None = Desc("Briefing: constraints (regulation, deadlines…).", default=None)
    sponsor: str | None = Desc("Briefing: the business sponsor.", default=None)
    expected_value_eur: Number | None = Desc("Expected yearly value in EUR.", default=None, ge=0, le=MAX_EUR)

    __rules__ = (
        NotBefore("qualified_date", "identified_date"),
        NotBefore("rejected_date", "identified_date"),
        NotBefore("rejected_date", "qualified_date", Level.WARNING),
    )
    __references__ = (
        Reference("team_id", "teams", "team_id", kinds=("business",), kind_level=Level.WARNING),
        Reference("ai_team_id", "teams", "team_id", kinds=("ai_hub", "ai_spoke"), kind_level=Level.ERROR),
    )


class PocRow(RowModel):
    poc_id: str = Desc("PoC identifier.")
    use_case_id: str = Desc("The use case this PoC tests.")
    start_date: IsoDate = Desc("Day the PoC started.")
    outcome: _enum(Outcome) = Desc("running, production (stays so even if later retired) or stopped.")
    end_date: IsoDate | None = Desc("Day a stopped PoC ended; stopped PoCs only.", default=None)
    production_date: IsoDate | None = Desc("Day it went to production; production PoCs only.", default=None)
    cost_eur: Number | None = Desc("Cost of the PoC in EUR.", default=None, ge=0, le=MAX_EUR)

    __rules__ = (
        RequiredWhen("end_date", "outcome", ("stopped",)),
        EmptyUnless("end_date", "outcome", ("stopped",)),
        RequiredWhen("production_date", "outcome", ("production",)),
        EmptyUnless("production_date", "outcome", ("production",)),
        NotBefore("end_date", "start_date"),
        NotBefore("production_date", "start_date"),
    )
    __references__ = (Reference("use_case_id", "use_cases", "use_case_id"),)


class AdoptionRow(RowModel):
    poc_id: str = Desc("The PoC in production.")
    month: MonthStart = Desc("Month of usage (2026-03, 03/2026 or any date of that month).")
    target_users: WholeNumber = Desc("People expected to use the solution.", gt=0, le=MAX_PEOPLE)
    active_users: WholeNumber = Desc("People who used it that month (may exceed target).", ge=0, le=MAX_PEOPLE)

    __references__ = (Reference("poc_id", "poc_conversions", "poc_id"),)


class TrainingRow(RowModel):
    record_id: str | None = Desc("Record identifier (recommended).", default=None)
    date: IsoDate = Desc("Day of the training.")
    employee_id: str = Desc("The learner.")
    team_id: str = Desc("The learner's team (teams outside teams.csv are grouped as 'unknown team').")
    program: str = Desc("Course, certification, champion programme day…")
    format: _enum(TrainingFormat) = Desc("theory or practice (the guide recommends 30/70).")
    hours: Number = Desc("Training hours.", ge=0, le=MAX_HOURS)
    cost_eur: Number = Desc("Cost in EUR; 0 for internal training.", ge=0, le=MAX_EUR)
    path: _enum(ReconversionPath) | None = Desc("Reconversion path, if this training is part of one.", default=None)
    path_start_date: IsoDate | None = Desc("Day the reconversion path started; with path only.", default=None)
    path_completed_date: IsoDate | None = Desc("Day the path was completed; with path only.", default=None)

    __rules__ = (
        RequiredWhen("path_start_date", "path"),
        EmptyUnless("path_start_date", "path"),
        EmptyUnless("path_completed_date", "path"),
        NotBefore("path_completed_date", "path_start_date"),
    )
    __references__ = (Reference("team_id", "teams", "team_id", missing=Level.WARNING),)


class SkillRow(RowModel):
    employee_id: str = Desc("The assessed employee.")
    team_id: str = Desc("The employee's team.")
    role: _enum(Role) = Desc("Role in the guide's taxonomy.")
    seniority: _enum(Seniority) = Desc("junior, mid, senior, staff or principal.")
    skill: str = Desc("Skill id of the competency framework.")
    level: WholeNumber = Desc("0 none, 1 learning, 2 autonomous, 3 expert, 4 sets standards.", ge=0, le=4)
    assessed_date: IsoDate | None = Desc("Day of the assessment.", default=None)

    __references__ = (Reference("team_id", "teams", "team_id"),)


@dataclass(frozen=True)
class Column:
    """One column of a dataset, read off its row model."""

    name: str
    type: ColumnType
    required: bool
    rule: ColumnRule
    description: str

    @property
    def sql_type(self) -> str:
        return {
            ColumnType.INT: "BIGINT",
            ColumnType.FLOAT: "DOUBLE",
            ColumnType.DATE: "DATE",
            ColumnType.MONTH: "DATE",
        }.get(self.type, "VARCHAR")


@dataclass(frozen=True)
class Dataset:
    name: str
    model: type[RowModel]
    key: tuple[str, ...]
    id_column: str | None = None
    dated_by: str | None = None
    description: str = ""

    @property
    def table(self) -> str:
        return self.name

    @cached_property  # read off the model once: messages look columns up per problem
    def columns(self) -> tuple[Column, ...]:
        return tuple(_column(name, field) for name, field in self.model.model_fields.items())

    @cached_property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def rules(self) -> tuple[RowRule, ...]:
        return row_rules(self.model)

    @property
    def references(self) -> tuple[Reference, ...]:
        return self.model.__references__

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@cache
def row_rules(model: type[RowModel]) -> tuple[RowRule, ...]:
    """The model's declared rules, then a future-date warning for each date and month column."""
    dated = (ColumnType.DATE, ColumnType.MONTH)
    future = tuple(NotAfterToday(n) for n, f in model.model_fields.items() if _column_type(f) in dated)
    return model.__rules__ + future


def _column(name: str, field: Any) -> Column:
    return Column(
        name=name,
        type=_column_type(field),
        required=field.is_required(),
        rule=_column_rule(field),
        description=field.description or "",
    )


def _column_type(field: Any) -> ColumnType:
    metadata = list(field.metadata)
    for arg in _flatten(field.annotation):
        metadata.extend(getattr(arg, "__metadata__", ()))
    for meta in metadata:
        if isinstance(meta, TypeTag):
            return meta.type
    return ColumnType.ENUM if _enum_class(field.annotation) is not None else ColumnType.TEXT


def _enum_class(annotation: Any) -> type[StrEnum] | None:
    for arg in _flatten(annotation):
        if isinstance(arg, type) and issubclass(arg, StrEnum):
            return arg
    return None


def _flatten(annotation: Any) -> list[Any]:
    args = list(getattr(annotation, "__args__", ()) or ())
    origin = getattr(annotation, "__origin__", None)
    out = [annotation] + ([origin] if origin else [])
    for a in args:
        out.extend(_flatten(a))
    return out


def _column_rule(field: Any) -> ColumnRule:
    bounds: dict[str, Any] = {}
    for meta in field.metadata:
        for attr, key in (("ge", "minimum"), ("le", "maximum"), ("gt", "minimum")):
            if getattr(meta, attr, None) is not None:
                bounds[key] = getattr(meta, attr)
                if attr == "gt":
                    bounds["exclusive_minimum"] = True
    enum_cls = _enum_class(field.annotation)
    allowed = tuple(m.value for m in enum_cls) if enum_cls else ()
    return ColumnRule(allowed=allowed, **bounds)


DATASETS: tuple[Dataset, ...] = (
    Dataset("teams", TeamRow, key=("team_id",), description="Organization structure: teams and AI staff."),
    Dataset(
        "use_cases", UseCaseRow, key=("use_case_id",), dated_by="identified_date",
        description="The use-case pipeline, from identification to qualification or rejection.",
    ),
    Dataset(
        "poc_conversions", PocRow, key=("poc_id",), dated_by="start_date",
        description="Proofs of concept and their outcome.",
    ),
    Dataset(
        "adoption", AdoptionRow, key=("poc_id", "month"), dated_by="month",
        description="Monthly usage of AI solutions in production.",
    ),
    Dataset(
        "champion_activity", ChampionActivityRow, key=("activity_id",), id_column="activity_id",
        dated_by="date", description="The AI champions' activity log, surveys included.",
    ),
    Dataset(
        "training_spend", TrainingRow, key=("record_id",), id_column="record_id", dated_by="date",
        description="Training and upskilling records, reconversion paths included.",
    ),
    Dataset(
        "skills", SkillRow, key=("employee_id", "skill"),
        description="Skills assessments of AI staff against the competency framework.",
    ),
)

BY_NAME: dict[str, Dataset] = {d.name: d for d in DATASETS}


def import_rank(name: str | None) -> int:
    """Place of a dataset in the import order (unknown datasets last)."""
    names = list(BY_NAME)
    return names.index(name) if name in BY_NAME else len(names)


def dataset(name: str) -> Dataset:
    """The dataset called `name`; KeyError names the known ones."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown dataset '{name}'; known: {', '.join(BY_NAME)}") from None
