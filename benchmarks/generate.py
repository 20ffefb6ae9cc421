"""A scaled organization, written as CSV exports in the dialects a real one sends.

`write_organization(folder, rows, dialects)` writes the seven datasets of SPEC §2 for an
organization with `rows` champion-activity rows; teams, champions, use cases, PoCs, adoption,
training and skills grow with it. Content varies as real exports do: names with accents,
decimals in hours and euros, survey rows with a satisfaction, blanks where a column is
optional, dates over two years. Rows are drawn from one seeded generator and streamed to every
dialect's file at once, so each dialect holds the same content and memory stays flat at 10^7.

Dialects: `utf8` (UTF-8, ',', ISO dates, decimal point, LF) and `excel-fr` (cp1252, ';',
decimal comma, dd/mm/yyyy dates and mm/yyyy months, CRLF), both accepted by our importer's
detection (aiorg_metrics/ingestion/reader.py and dialect.py).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from aiorg_metrics.datasets.framework import load_framework, path_durations

SEED = 13
END = date(2026, 9, 30)  # the data's last day: 2026-Q3 is the latest full quarter
DAYS = 730  # two years of dates, from 2024-10-01
START = END - timedelta(days=DAYS - 1)
QUARTER = "2026-Q3"

UNITS = ("Banque de détail", "Assurance", "Marchés & Trésorerie", "Crédit & Risques", "Opérations",
         "Gestion d'actifs")
UNIT_CODES = ("RB", "INS", "MKT", "CRD", "OPS", "AM")
FIRST = ("Chloé", "Hélène", "François", "Zoë", "Jérôme", "Léa", "Noël", "Anaïs", "Björn", "Inès", "Maël", "Agnès",
         "Hugo", "Julia", "Sören", "Clémence")
LAST = ("Lefèvre", "Müller", "Núñez", "Dupré", "Weber", "Garçon", "Côté", "Schmidt", "Ødegaard", "Laurent",
        "Béranger", "O'Brien", "Martín", "Hoëlle")
ACTIVITY_TYPES = ("identification", "qualification", "evangelization", "facilitation", "adoption_support",
                  "meetup", "quarterly_review", "summit", "training_day")
PATTERNS = ("embedded_ds", "sprint", "service_request", "product_team")
SUBJECTS = ("réclamations clients", "dossiers de crédit", "contrats d'assurance", "rapprochements bancaires",
            "notes de frais", "appels d'offres", "déclarations de sinistre", "fiches KYC")
PROGRAMS = ("Fondamentaux de l'IA générative", "Prompt engineering: ateliers pratiques", "Data literacy — niveau 2",
            "Programme champions IA (jour)", "Certification cloud ML", "Éthique et conformité de l'IA")
SENIORITIES = ("junior", "mid", "senior", "staff", "principal")
HOURS = tuple(q / 4 for q in range(1, 33))  # 0.25 to 8 hours, in quarter hours


@dataclass(frozen=True)
class Dialect:
    """How one kind of export writes its files."""

    name: str
    encoding: str
    delimiter: str
    line_end: str
    day: Callable[[date], str]
    month: Callable[[date], str]
    decimal: str  # the decimal mark

    def cell(self, value: object) -> str:
        """One value as this dialect writes it (None is a blank cell)."""
        if value is None:
            return ""
        if isinstance(value, float):
            text = f"{value:.2f}".rstrip("0").rstrip(".")
            return text.replace(".", self.decimal) if self.decimal != "." else text
        if isinstance(value, date):
            return _day(self.name, value)
        return str(value)


DIALECTS = {
    "utf8": Dialect("utf8", "utf-8", ",", "\n", date.isoformat, lambda d: d.strftime("%Y-%m"), "."),
    "excel-fr": Dialect("excel-fr", "cp1252", ";", "\r\n", lambda d: d.strftime("%d/%m/%Y"),
                        lambda d: d.strftime("%m/%Y"), ","),
}


@lru_cache(maxsize=4096)
def _day(dialect: str, value: date) -> str:
    return DIALECTS[dialect].day(value)


class Month(date):
    """A month value (adoption.month): written as a month, not a day."""


HEADERS = {
    "teams": "team_id,team_name,business_unit,team_kind,headcount,ai_staff",
    "champion_activity": "activity_id,date,champion_id,champion_name,team_id,activity_type,hours,satisfaction",
    "use_cases": "use_case_id,title,team_id,champion_id,ai_team_id,identified_date,qualified_date,rejected_date,"
                 "tier,collaboration_pattern,problem,expected_kpis,data_sources,constraints,sponsor,"
                 "expected_value_eur",
    "poc_conversions": "poc_id,use_case_id,start_date,outcome,end_date,production_date,cost_eur",
    "adoption": "poc_id,month,target_users,active_users",
    "training_spend": "record_id,date,employee_id,team_id,program,format,hours,cost_eur,path,path_start_date,"
                      "path_completed_date",
    "skills": "employee_id,team_id,role,seniority,skill,level,assessed_date",
}


class Writers:
    """One CSV writer per dialect for a dataset; `row` writes the same values to each."""

    def __init__(self, stack: ExitStack, folders: dict[str, Path], dataset: str) -> None:
        self._out = []
        for name, folder in folders.items():
            dialect = DIALECTS[name]
            f = stack.enter_context((folder / f"{dataset}.csv").open("w", encoding=dialect.encoding, newline=""))
            writer = csv.writer(f, delimiter=dialect.delimiter, lineterminator=dialect.line_end)
            writer.writerow(HEADERS[dataset].split(","))
            self._out.append((dialect, writer))

    def row(self, *values: object) -> None:
        for dialect, writer in self._out:
            writer.writerow([_month(dialect, v) if isinstance(v, Month) else dialect.cell(v) for v in values])


def _month(dialect: Dialect, value: date) -> str:
    return dialect.month(value)


@dataclass(frozen=True)
class Scale:
    """How many of each thing an organization of `rows` activity rows holds."""

    rows: int

    @property
    def business_teams(self) -> int:
        return max(12, min(2000, self.rows // 5000))

    @property
    def champions(self) -> int:
        return max(20, self.rows // 400)

    @property
    def use_cases(self) -> int:
        return max(50, self.rows // 10)

    @property
    def training(self) -> int:
        return max(50, self.rows // 10)

    @property
    def ai_staff(self) -> int:
        return max(30, min(20000, self.rows // 2000))


def business_team(i: int, scale: Scale) -> tuple[str, str]:
    """(team_id, business unit) of business team `i`."""
    unit = i % len(UNITS)
    return f"{UNIT_CODES[unit]}-{i:04d}", UNITS[unit]


def spoke(unit: int) -> str:
    return f"AI-{UNIT_CODES[unit]}"


@contextmanager
def _writers(folders: dict[str, Path]) -> Iterator[Callable[[str], Writers]]:
    with ExitStack() as stack:
        yield lambda dataset: Writers(stack, folders, dataset)


def write_organization(folder: Path, rows: int, dialects: tuple[str, ...] = tuple(DIALECTS)) -> dict[str, Path]:
    """Write the organization under folder/<dialect>/<dataset>.csv; returns each dialect's folder."""
    folders = {name: folder / name for name in dialects}
    for path in folders.values():
        path.mkdir(parents=True, exist_ok=True)
    scale, rng = Scale(rows), random.Random(SEED)
    with _writers(folders) as writers:
        _teams(writers("teams"), scale)
        _activity(writers("champion_activity"), scale, rng)
        _pipeline(writers("use_cases"), writers("poc_conversions"), writers("adoption"), scale, rng)
        _training(writers("training_spend"), scale, rng)
        _skills(writers("skills"), scale, rng)
    return folders


def _teams(out: Writers, scale: Scale) -> None:
    out.row("AI-HUB", "Centre d'excellence IA", "Groupe", "ai_hub", 30, 25)
    for unit, name in enumerate(UNITS):
        out.row(spoke(unit), f"Spoke IA — {name}", name, "ai_spoke", 6, 2 + unit % 4)
    for i in range(scale.business_teams):
        team_id, unit = business_team(i, scale)
        out.row(team_id, f"Équipe {unit} n°{i}", unit, "business", 20 + i % 180, 0)


def _day_of(rng: random.Random, earliest: int = 0) -> date:
    return START + timedelta(days=rng.randrange(earliest, DAYS))


def _activity(out: Writers, scale: Scale, rng: random.Random) -> None:
    names = [f"{FIRST[c % len(FIRST)]} {LAST[c * 7 % len(LAST)]}" for c in range(scale.champions)]
    for i in range(scale.rows):
        c = rng.randrange(scale.champions)
        day = _day_of(rng)
        moved = c % 20 == 0 and day.year == END.year  # a few champions change team in the second year
        team, _ = business_team((c + 7 if moved else c) % scale.business_teams, scale)
        name = names[c] if rng.random() > 0.05 else None
        if rng.random() < 0.04:
            out.row(f"ACT-{i:09d}", day, f"CH-{c:06d}", name, team, "survey", None, rng.randint(1, 5))
        else:
            hours = rng.choice(HOURS) if rng.random() > 0.08 else None
            out.row(f"ACT-{i:09d}", day, f"CH-{c:06d}", name, team, rng.choice(ACTIVITY_TYPES), hours, None)


def _later(rng: random.Random, start: date, low: int, high: int) -> date | None:
    """A day `low`..`high` days after `start`, or None when that passes the data's end."""
    day = start + timedelta(days=rng.randint(low, high))
    return day if day <= END else None


def _pipeline(cases: Writers, pocs: Writers, adoption: Writers, scale: Scale, rng: random.Random) -> None:
    for i in range(scale.use_cases):
        team, unit = business_team(rng.randrange(scale.business_teams), scale)
        identified = _day_of(rng)
        qualified = _later(rng, identified, 0, 60) if rng.random() < 0.7 else None
        rejected = _later(rng, qualified or identified, 10, 120) if rng.random() < 0.2 else None
        r = rng.random()
        ai_team = "AI-HUB" if r < 0.5 else spoke(UNITS.index(unit)) if r < 0.9 else None
        brief = [text if rng.random() < 0.9 else None for text in
                 ("Trop de ressaisies manuelles; file d'attente en fin de mois.", "Délai de traitement -30 %",
                  "GED, CRM", "RGPD : données personnelles", f"Directeur·rice {unit}")]
        champion = f"CH-{rng.randrange(scale.champions):06d}" if rng.random() < 0.85 else None
        value = round(rng.uniform(5_000, 900_000), 2) if rng.random() < 0.8 else None
        cases.row(f"UC-{i:08d}", f"Assistant IA pour les {rng.choice(SUBJECTS)}, « {unit} »", team, champion,
                  ai_team, identified, qualified, rejected, rng.choice((1, 2, 3, None)),
                  rng.choice((*PATTERNS, None)), *brief, value)
        if qualified and not rejected and rng.random() < 0.5:
            _poc(pocs, adoption, f"POC-{i:08d}", f"UC-{i:08d}", qualified, rng)


def _poc(pocs: Writers, adoption: Writers, poc_id: str, case_id: str, qualified: date, rng: random.Random) -> None:
    start = _later(rng, qualified, 0, 60)
    if start is None:
        return
    concluded = _later(rng, start, 30, 150)
    outcome = "running" if concluded is None or rng.random() < 0.2 else rng.choice(("production", "stopped"))
    end = concluded if outcome == "stopped" else None
    live = concluded if outcome == "production" else None
    pocs.row(poc_id, case_id, start, outcome, end, live, round(rng.uniform(2_000, 80_000), 2))
    if live:
        target = rng.randint(10, 500)
        month = Month(live.year, live.month, 1)
        for _ in range(12):
            if month > END:
                break
            adoption.row(poc_id, month, target, rng.randint(0, target * 6 // 5))
            month = Month(month.year + month.month // 12, month.month % 12 + 1, 1)


def _training(out: Writers, scale: Scale, rng: random.Random) -> None:
    paths = list(path_durations())
    employees = max(40, scale.training // 5)
    for i in range(scale.training):
        e = rng.randrange(employees)
        team, _ = business_team(e % scale.business_teams, scale)
        day = _day_of(rng, 200)
        path = rng.choice(paths) if e % 30 == 0 else None
        started = day - timedelta(days=rng.randint(0, 200)) if path else None
        completed = _later(rng, started, 60, 360) if path and rng.random() < 0.5 else None
        out.row(f"TR-{i:09d}", day, f"E{e:07d}", team, rng.choice(PROGRAMS), rng.choice(("theory", "practice")),
                rng.choice(HOURS) * 2, round(rng.uniform(0, 2500), 2) if rng.random() > 0.2 else 0, path,
                started, completed)


def _skills(out: Writers, scale: Scale, rng: random.Random) -> None:
    framework: dict[str, list[str]] = {}
    for role, skill in load_framework().pairs():
        framework.setdefault(role, []).append(skill)
    roles = list(framework)
    for e in range(scale.ai_staff):
        team = "AI-HUB" if e % 3 == 0 else spoke(e % len(UNITS))
        role, seniority = roles[e % len(roles)], SENIORITIES[e // len(roles) % len(SENIORITIES)]
        assessed = _day_of(rng, 365) if rng.random() < 0.85 else None
        for skill in framework[role]:
            out.row(f"K{e:06d}", team, role, seniority, skill, rng.randint(0, 4), assessed)
