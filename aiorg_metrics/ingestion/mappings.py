"""Column mappings for exports from other tools (HR, learning, ticketing…).

A mapping says which file column feeds which dataset column. It is saved under a source
name (e.g. "Jira export") in `mappings.toml` next to the store, offered again next month,
and accepted by the CLI (`ingest --mapping NAME`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator
from rapidfuzz import fuzz, process

from aiorg_metrics.access.actor import Actor
from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.common.tomlfile import TomlFileError, read_toml
from aiorg_metrics.datasets.registry import BY_NAME, Dataset, dataset
from aiorg_metrics.ingestion.columns import normalize_header

# Names other tools commonly use for our columns (English and French exports).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "use_case_id": ("issue key", "key", "ticket id", "id", "identifiant"),
    "title": ("summary", "titre", "résumé", "name", "subject"),
    "identified_date": ("created", "date de création", "creation date", "created date", "date created"),
    "qualified_date": ("accepted", "date de qualification", "triaged"),
    "rejected_date": ("resolved", "date de rejet", "closed"),
    "team_id": ("team", "équipe", "equipe", "department", "service"),
    "champion_id": ("reporter", "champion", "requested by"),
    "ai_team_id": ("assignee team", "assigned team", "ai team"),
    "employee_id": ("employee", "matricule", "learner id", "person id", "user id"),
    "program": ("course", "formation", "training", "course title", "intitulé"),
    "cost_eur": ("cost", "coût", "cout", "amount", "montant", "price"),
    "hours": ("duration", "durée", "duree", "heures", "time spent"),
    "date": ("completion date", "date de formation", "session date", "day"),
    "format": ("type", "modalité", "modalite"),
    "business_unit": ("bu", "division", "entité", "entity"),
    "headcount": ("fte", "effectif", "people"),
}
THRESHOLD = 80


class MappingError(ValueError):
    """A mapping that cannot be used; the message names what is wrong."""


@dataclass(frozen=True)
class SavedMapping:
    name: str
    dataset: str
    columns: dict[str, str]  # file column → dataset column


def _candidates(ds: Dataset) -> dict[str, str]:
    """Searchable names → dataset column."""
    names = {c.name: c.name for c in ds.columns}
    names |= {c.name.replace("_", " "): c.name for c in ds.columns}
    for column, synonyms in SYNONYMS.items():
        if column in names:
            names |= {s: column for s in synonyms}
    return names


def suggest(header: tuple[str, ...], ds: Dataset) -> dict[str, str | None]:
    """For each file column, the dataset column it most likely feeds (None: not stored)."""
    candidates = _candidates(ds)
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for name in header:
        match = process.extractOne(normalize_header(name), list(candidates), scorer=fuzz.WRatio)
        column = candidates[match[0]] if match and match[1] >= THRESHOLD else None
        out[name] = column if column not in taken else None
        taken |= {column} if column else set()
    return out


def validate(columns: dict[str, str | None], ds: Dataset) -> list[str]:
    """Problems with a mapping: required columns unmapped, a dataset column fed twice."""
    chosen = [c for c in columns.values() if c]
    problems = [f"'{c}' is chosen for more than one file column." for c in sorted(set(chosen)) if chosen.count(c) > 1]
    missing = [c for c in ds.required_columns if c not in chosen]
    if missing:
        problems.append(f"Required column(s) not mapped: {', '.join(missing)}.")
    return problems


def mappings_path(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "mappings.toml"


class _Entry(BaseModel):
    """One saved mapping as written in the file: `[mappings."NAME"]` with `dataset` and `columns`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    dataset: str
    columns: dict[str, str]

    @field_validator("dataset")
    @classmethod
    def _known_dataset(cls, name: str) -> str:
        if name not in BY_NAME:
            raise ValueError(f"unknown dataset '{name}' (known: {', '.join(BY_NAME)})")
        return name

    @model_validator(mode="after")
    def _known_columns(self) -> _Entry:
        known = {c.name for c in dataset(self.dataset).columns}
        unknown = [f"'{src}' → '{dst}'" for src, dst in self.columns.items() if dst not in known]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)}: not a column of {self.dataset} (its columns: {', '.join(sorted(known))})"
            )
        return self


class _File(BaseModel):
    """The whole file: only `[mappings.NAME]` tables; each entry is checked on its own (`_Entry`)."""

    model_config = ConfigDict(extra="forbid")

    mappings: dict[str, Any] = {}


@dataclass(frozen=True)
class SavedMappings:
    """What the mappings file holds: the usable mappings, and one problem per unusable entry."""

    path: Path
    mappings: tuple[SavedMapping, ...] = ()
    problems: dict[str, str] = field(default_factory=dict)  # entry name (or "" for the whole file) → why


def _error_text(error: Mapping[str, Any], allowed: str) -> str:
    """One pydantic error in words; `allowed` says which keys the level where it occurred may hold."""
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "missing":
        return f"'{where}' is missing"
    if error["type"] == "extra_forbidden":
        return f"'{where}' is not a known key ({allowed})"
    if error["type"] in ("dict_type", "model_type"):
        if not where:
            return "the entry must be a table with 'dataset' and 'columns'"
        example = ' (e.g. columns = { "Issue key" = "use_case_id" })' if where == "columns" else ""
        return f"'{where}' must be a table{example}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"'{where}': {message}" if where else message


def _entry(path: Path, name: str, raw: Any) -> SavedMapping:
    """The entry as a SavedMapping; MappingError naming the file, the entry and every problem."""
    try:
        entry = _Entry.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_error_text(e, "an entry holds only 'dataset' and 'columns'") for e in exc.errors())
        raise MappingError(f"{path}, mapping '{name}': {problems}.") from None
    problems = validate(dict(entry.columns), dataset(entry.dataset))
    if problems:
        raise MappingError(f"{path}, mapping '{name}': {' '.join(problems)}")
    return SavedMapping(name, entry.dataset, dict(entry.columns))


def _read(path: Path) -> dict[str, Any]:
    """The raw entries of the file (none when it does not exist); MappingError for a file that cannot be used."""
    if not path.exists():
        return {}
    try:
        data = read_toml(path)
        return _File.model_validate(data).mappings
    except TomlFileError as exc:
        raise MappingError(f"The saved column mappings cannot be used: {exc} Fix or delete the file.") from None
    except ValidationError as exc:
        problems = "; ".join(_error_text(e, 'the file holds only [mappings."NAME"] tables') for e in exc.errors())
        raise MappingError(
            f"The saved column mappings cannot be used: {path}: {problems}. Fix or delete the file."
        ) from None


def read_saved(db_path: str | Path) -> SavedMappings:
    """Every saved mapping, never raising: what cannot be used is listed in `problems`."""
    path = mappings_path(db_path)
    try:
        raw = _read(path)
    except MappingError as exc:
        return SavedMappings(path, (), {"": str(exc)})
    usable, problems = [], {}
    for name, entry in sorted(raw.items()):
        try:
            usable.append(_entry(path, name, entry))
        except MappingError as exc:
            problems[name] = str(exc)
    return SavedMappings(path, tuple(usable), problems)


def load_mapping(db_path: str | Path, name: str) -> SavedMapping:
    """The mapping saved as `name`; MappingError says why it cannot be used, or lists the saved ones."""
    saved = read_saved(db_path)
    if name in saved.problems or "" in saved.problems:
        raise MappingError(saved.problems.get(name) or saved.problems[""])
    usable = {m.name: m for m in saved.mappings}
    if name not in usable:
        known = ", ".join(usable) or "none saved yet"
        raise MappingError(f"No saved mapping called '{name}' (saved: {known}).")
    return usable[name]


def save_mapping(db_path: str | Path, mapping: SavedMapping, *, actor: Actor) -> None:
    """Save (or replace) a mapping, atomically, after checking it (other entries are kept as they are).

    An actor without the Data page's rights raises `AccessDenied`: nothing is saved."""
    actor.require(Permission.DATA_PAGE)
    problems = validate(dict(mapping.columns), dataset(mapping.dataset))
    if problems:
        raise MappingError(" ".join(problems))
    path = mappings_path(db_path)
    data = _read(path)
    data[mapping.name] = {"dataset": mapping.dataset, "columns": {k: v for k, v in mapping.columns.items() if v}}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".mappings-", suffix=".toml")
    with os.fdopen(fd, "wb") as f:
        tomli_w.dump({"mappings": data}, f)
    os.replace(tmp, path)
