"""The roles file: who holds which role, read and validated in full before anyone is let in.

A TOML file (path from the caller, e.g. `[aiorg] roles_file` in the secrets, else $AIORG_ROLES):

    contact = "caio-office@bank.example"     # shown on the no-access page
    groups_claim = "groups"                  # the sign-in claim listing a person's groups
    [[assign]]
    email = "Ana@bank.example"               # or: group = "..."
    role = "champion"                        # viewer, champion, analyst, lead, admin
    champion_id = "CH-001"                   # a champion only: champion_id or team_id

Every problem is a `RolesError` naming the file and each faulty entry; an invalid file lets
nobody in (`rights_or_nobody`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from aiorg_metrics.access.identity import normalize_email, verified_email
from aiorg_metrics.access.permissions import NOBODY, Rights, Role, union
from aiorg_metrics.common.tomlfile import TomlFileError, read_toml

ROLES_ENV = "AIORG_ROLES"
ROLE_NAMES = ", ".join(Role)
ENTRY_KEYS = "an entry holds email or group, role, and for a champion champion_id or team_id"
FILE_KEYS = "the file holds contact, groups_claim and [[assign]] entries"
# A 100,000-person organization listed person by person is about 7 MB; a cap still refuses a wrong file.
MAX_ROLES_BYTES = 32 << 20
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


class RolesError(ValueError):
    """A roles file that cannot be used; the message names the file and every faulty entry."""


def _problem(message: str) -> PydanticCustomError:
    return PydanticCustomError("roles", message)


class Assignment(BaseModel):
    """One `[[assign]]` entry: a person (email) or a group, a role, and a champion's scope."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    email: str | None = None
    group: str | None = None
    role: Role
    champion_id: str | None = None
    team_id: str | None = None

    @field_validator("role", mode="before")
    @classmethod
    def _known_role(cls, value: Any) -> Role:
        if value not in tuple(Role):
            raise _problem(f"role {value!r} is not one of {ROLE_NAMES}")
        return Role(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.fullmatch(value.strip()):
            raise _problem(f"email {value!r} is not an email address")
        return normalize_email(value)

    @field_validator("group", "champion_id", "team_id")
    @classmethod
    def _not_blank(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not value.strip():
            raise _problem(f"'{info.field_name}' is empty")
        return value.strip() if value is not None else None

    @model_validator(mode="after")
    def _coherent(self) -> Assignment:
        problems = [*self._who_problems(), *self._scope_problems()]
        if problems:
            raise _problem("; ".join(problems))
        return self

    def _who_problems(self) -> list[str]:
        if self.email is None and self.group is None:
            return ["give either an email or a group"]
        return ["give either an email or a group, not both"] if self.email and self.group else []

    def _scope_problems(self) -> list[str]:
        scopes = [name for name in ("champion_id", "team_id") if getattr(self, name) is not None]
        if self.role is not Role.CHAMPION:
            return [f"{name} is only for the role 'champion', not '{self.role}'" for name in scopes]
        if len(scopes) != 1:
            return ["a champion needs either a champion_id or a team_id" + (", not both" if scopes else "")]
        return []

    def rights(self) -> Rights:
        """The rights this entry gives."""
        return Rights(
            frozenset({self.role}),
            frozenset({self.champion_id} if self.champion_id else ()),
            frozenset({self.team_id} if self.team_id else ()),
        )


class Roles(BaseModel):
    """The validated roles file."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    contact: str
    groups_claim: str = "groups"
    assign: tuple[Assignment, ...] = ()

    @field_validator("contact", "groups_claim")
    @classmethod
    def _not_blank(cls, value: str, info: ValidationInfo) -> str:
        if not value.strip():
            raise _problem(f"'{info.field_name}' is empty")
        return value.strip()

    @functools.cached_property
    def _by_who(self) -> dict[str, tuple[Assignment, ...]]:
        """The entries by the email or group they name: a look-up, not a scan of the whole file, at each of
        the many rights checks of a run (a file may list 100,000 people one by one)."""
        index: dict[str, list[Assignment]] = {}
        for entry in self.assign:
            key = f"email:{entry.email}" if entry.email is not None else f"group:{entry.group}"
            index.setdefault(key, []).append(entry)
        return {key: tuple(entries) for key, entries in index.items()}

    def rights_for(self, email: str | None, groups: Iterable[str]) -> Rights:
        """The union of the entries naming this email (any case) or one of these groups."""
        wanted = normalize_email(email)
        keys = ([f"email:{wanted}"] if wanted else []) + [f"group:{group}" for group in frozenset(groups)]
        return union(entry.rights() for key in keys for entry in self._by_who.get(key, ()))

    def groups_in(self, claims: Mapping[str, Any]) -> tuple[str, ...]:
        """The groups a sign-in's claims list under `groups_claim` (a single text is one group)."""
        value = claims.get(self.groups_claim)
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list | tuple):
            return tuple(item for item in value if isinstance(item, str))
        return ()

    def rights_for_claims(self, claims: Mapping[str, Any]) -> Rights:
        """The rights of a signed-in person, from the claims of their sign-in: their email, unless the
        provider says it is not verified (`email_verified` false: anyone could have typed it), and groups."""
        return self.rights_for(verified_email(claims), self.groups_in(claims))


def roles_path(given: str | Path | None = None) -> Path | None:
    """`given` (the secrets' `[aiorg] roles_file`), else $AIORG_ROLES, else None (no roles file)."""
    chosen = given or os.environ.get(ROLES_ENV)
    return Path(chosen) if chosen else None


def load_roles(path: str | Path) -> Roles:
    """Read and validate the roles file; RolesError says what is wrong with it.

    The app asks for rights many times a run (every record button), and on every run: the file is
    parsed again only when its size or modification time changed, so an edit still counts at once."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return _parsed(path, None)  # read_toml names the problem
    return _parsed(path, (stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, version: tuple[int, int] | None) -> Roles:
    """The roles file at `path` as it was at `version` (its modification time and size)."""
    try:
        data = read_toml(path, max_bytes=MAX_ROLES_BYTES)
    except TomlFileError as exc:
        raise RolesError(str(exc)) from None
    problems = _file_problems(data) + _entry_problems(data.get("assign", []))
    if problems:
        raise RolesError(f"{path}: invalid roles file\n" + "\n".join(f"  {line}" for line in problems))
    try:
        return Roles.model_validate({**data, "assign": tuple(data.get("assign", ()))})
    except ValidationError as exc:  # the checks above name every problem: this is only the last guard
        raise RolesError(f"{path}: invalid roles file ({exc.error_count()} problems)") from None


def rights_or_nobody(path: str | Path | None, claims: Mapping[str, Any]) -> tuple[Rights, str | None]:
    """The rights of a signed-in person, and None; or no rights and why, when the roles file cannot be used."""
    if path is None:
        return NOBODY, f"no roles file: set ${ROLES_ENV} or roles_file under [aiorg] in the secrets"
    try:
        return load_roles(path).rights_for_claims(claims), None
    except RolesError as exc:
        return NOBODY, str(exc)


def _file_problems(data: Mapping[str, Any]) -> list[str]:
    """The problems of the file's top-level keys (the entries are checked one by one)."""
    top = {key: value for key, value in data.items() if key != "assign"}
    assign = data.get("assign", [])
    problems = [] if isinstance(assign, list) and all(isinstance(e, dict) for e in assign) else [
        "assign: write each entry as an [[assign]] table"]
    try:
        Roles.model_validate(top)
    except ValidationError as exc:
        problems = [_error_text(error, FILE_KEYS) for error in exc.errors()] + problems
    return problems


def _entry_problems(entries: Any) -> list[str]:
    """One line per faulty entry, numbered from 1 and named by its email or group."""
    if not isinstance(entries, list):
        return []
    problems = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            continue
        try:
            Assignment.model_validate(entry)
        except ValidationError as exc:
            found = "; ".join(_error_text(error, ENTRY_KEYS) for error in exc.errors())
            problems.append(f"assign #{number}{_entry_label(entry)}: {found}")
    return problems


def _entry_label(entry: Mapping[str, Any]) -> str:
    for key in ("email", "group"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return f" ({key} {value.strip()})"
    return ""


def _error_text(error: Mapping[str, Any], allowed: str) -> str:
    """One pydantic error in words; `allowed` says which keys may be written there."""
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"'{key}' is not a known key ({allowed})"
    if error["type"] == "missing":
        return f"'{key}' is missing"
    if error["type"] == "string_type":
        return f"'{key}' must be text in quotes"
    return str(error["msg"])
