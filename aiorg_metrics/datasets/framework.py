"""The competency framework (SPEC §2.8) and the guide's reconversion paths (SPEC §2.7).

The framework (which skills each role needs) and the level each seniority requires are
editable CSV files shipped in `aiorg_metrics/data/`, so an organization can adapt them
without touching code. The skill ids come from the guide's "Competences cles" of each
role; the required levels are a product default derived from the guide's qualitative
seniority table, not numbers the guide gives. The reconversion paths are the guide's
("Pour les equipes existantes") and stay in code: they are the guide's figures.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from aiorg_metrics.datasets.registry import ReconversionPath, Role, Seniority

FRAMEWORK_FILE = "competency_framework.csv"
REQUIRED_LEVELS_FILE = "required_levels.csv"
SKILL_ID = re.compile(r"[a-z][a-z0-9_]*")
MAX_LEVEL = 4


class FrameworkError(ValueError):
    """A framework data file cannot be used; the message names the file, line and problem."""


@dataclass(frozen=True)
class Framework:
    """Skills required per role, and the level required per seniority."""

    skills_by_role: dict[str, tuple[str, ...]]
    required_levels: dict[str, int]
    required_level_source: str

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Every (role, skill) pair of the framework, in file order."""
        return tuple((role, skill) for role, skills in self.skills_by_role.items() for skill in skills)


@dataclass(frozen=True)
class PathDuration:
    """A reconversion path of the guide: who it is for, the role it leads to, its duration."""

    path: str
    origin_profile: str
    target_role: str
    min_months: int
    max_months: int


PATH_DURATIONS: tuple[PathDuration, ...] = (
    PathDuration(ReconversionPath.BACKEND_TO_MLE.value, "backend developer", Role.ML_ENGINEER.value, 6, 12),
    PathDuration(ReconversionPath.FULLSTACK_TO_AI_ENGINEER.value, "fullstack developer", Role.AI_ENGINEER.value, 3, 6),
    PathDuration(ReconversionPath.ANALYST_TO_DS.value, "data analyst", Role.DATA_SCIENTIST.value, 6, 12),
    PathDuration(ReconversionPath.PM_TO_AI_PM.value, "product manager", Role.AI_PRODUCT_MANAGER.value, 3, 6),
    # The guide's target is "MLOps Engineer"; the spec maps it to the ml_engineer role.
    PathDuration(ReconversionPath.DEVOPS_TO_MLOPS.value, "SRE / DevOps engineer", Role.ML_ENGINEER.value, 3, 6),
)


def default_directory() -> Path:
    """The directory of the shipped, editable framework files."""
    return Path(str(resources.files("aiorg_metrics") / "data"))


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = tuple(name.strip().lower() for name in reader.fieldnames or ())
            missing = [c for c in columns if c not in header]
            if missing:
                raise FrameworkError(f"{path.name}: missing column(s) {', '.join(missing)}")
            reader.fieldnames = list(header)
            return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    except OSError as exc:
        raise FrameworkError(f"{path.name}: cannot be read ({exc.strerror})") from None


def _read_skills(path: Path) -> dict[str, tuple[str, ...]]:
    skills: dict[str, list[str]] = {role.value: [] for role in Role}
    for line, row in _rows(path, ("role", "skill")):
        role, skill = row["role"].lower(), row["skill"]
        if role not in skills:
            raise FrameworkError(f"{path.name} line {line}: unknown role '{role}'")
        if not SKILL_ID.fullmatch(skill):
            raise FrameworkError(f"{path.name} line {line}: skill id '{skill}' must be lower-case letters, digits, _")
        if skill in skills[role]:
            raise FrameworkError(f"{path.name} line {line}: skill '{skill}' listed twice for {role}")
        skills[role].append(skill)
    empty = [role for role, listed in skills.items() if not listed]
    if empty:
        raise FrameworkError(f"{path.name}: no skill listed for role(s) {', '.join(empty)}")
    return {role: tuple(listed) for role, listed in skills.items()}


def _read_levels(path: Path) -> tuple[dict[str, int], str]:
    levels: dict[str, int] = {}
    sources: set[str] = set()
    for line, row in _rows(path, ("seniority", "required_level")):
        seniority, text = row["seniority"].lower(), row["required_level"]
        if seniority not in {s.value for s in Seniority} or seniority in levels:
            raise FrameworkError(f"{path.name} line {line}: unknown or repeated seniority '{seniority}'")
        if not text.isdigit() or int(text) > MAX_LEVEL:
            raise FrameworkError(f"{path.name} line {line}: required_level must be a whole number 0-{MAX_LEVEL}")
        levels[seniority] = int(text)
        sources.add(row.get("source") or "product default")
    missing = [s.value for s in Seniority if s.value not in levels]
    if missing:
        raise FrameworkError(f"{path.name}: no required level for {', '.join(missing)}")
    return levels, "; ".join(sorted(sources))


@cache
def load_framework(directory: Path | None = None) -> Framework:
    """Read and check the framework files of `directory` (default: the shipped ones).

    Raises FrameworkError naming the file, line and problem when a file is unusable.
    """
    folder = directory or default_directory()
    levels, source = _read_levels(folder / REQUIRED_LEVELS_FILE)
    return Framework(_read_skills(folder / FRAMEWORK_FILE), levels, source)


def known_skills() -> set[str]:
    """Every skill id of the framework (any role)."""
    return {skill for _, skill in load_framework().pairs()}


def skills_for_role(role: str) -> tuple[str, ...]:
    """The skills the framework requires of `role`; KeyError for an unknown role."""
    try:
        return load_framework().skills_by_role[role]
    except KeyError:
        raise KeyError(f"unknown role '{role}'; known: {', '.join(load_framework().skills_by_role)}") from None


def required_level(seniority: str) -> int:
    """The level (0-4) required of every framework skill at `seniority` (a product default)."""
    try:
        return load_framework().required_levels[seniority]
    except KeyError:
        raise KeyError(f"unknown seniority '{seniority}'; known: {', '.join(Seniority)}") from None


def path_durations() -> dict[str, PathDuration]:
    """The guide's reconversion paths by path id: target role and duration in months (min-max)."""
    return {p.path: p for p in PATH_DURATIONS}
