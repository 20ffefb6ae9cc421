"""Column mappings for exports from other tools (HR, learning, ticketing…).

A mapping says which file column feeds which dataset column. It is saved under a source
name (e.g. "Jira export") in `mappings.toml` next to the store, offered again next month,
and accepted by the CLI (`ingest --mapping NAME`).
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from rapidfuzz import fuzz, process

from .datasets import Dataset, dataset
from .layout import normalize_header

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


def _read(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("mappings", {})
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path.name} is not valid TOML ({exc}).") from None


def list_mappings(db_path: str | Path) -> list[SavedMapping]:
    return [
        SavedMapping(name, m["dataset"], dict(m["columns"]))
        for name, m in sorted(_read(mappings_path(db_path)).items())
    ]


def load_mapping(db_path: str | Path, name: str) -> SavedMapping:
    """The mapping saved as `name`; MappingError lists the saved ones when there is none."""
    saved = {m.name: m for m in list_mappings(db_path)}
    if name not in saved:
        known = ", ".join(saved) or "none saved yet"
        raise MappingError(f"No saved mapping called '{name}' (saved: {known}).")
    return saved[name]


def save_mapping(db_path: str | Path, mapping: SavedMapping) -> None:
    """Save (or replace) a mapping, atomically, after checking it."""
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
