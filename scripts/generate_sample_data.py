"""Generate the demo organization shipped in ``sample_data/``.

A seeded, deterministic generator (standard library only) of the seven CSV exports of
SPEC §2: teams, champion_activity, use_cases, poc_conversions, adoption, training_spend
and skills. The same seed always writes byte-identical files.

The organization is a ~3,000-person bank-insurer run as hub & spoke: a central AI
Centre of Excellence, one AI spoke per business unit and 25 business teams with about
40 AI champions, from January 2025 to 15 November 2026. Its data obeys every rule of
the spec (types, enums, cross-field rules, references, unique keys) and tells a story
on purpose: shadow AI in Corporate & Investment Banking, a hub queue growing past three
months, adoption falling in Insurance, an under-staffed Operations spoke, champion
satisfaction dipping in 2026, and a skills gap with little training spend in Markets
Analytics. ``sample_data/README.md`` lists the figures the dashboard should show.

Usage: ``python scripts/generate_sample_data.py [--out DIR] [--seed N]``
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing
from aiorg_metrics.datasets.framework import load_framework

DEFAULT_SEED = 20261115
DATA_START = date(2025, 1, 1)
DATA_END = date(2026, 11, 15)
LAST_USAGE_MONTH = date(2026, 10, 1)
DAYS_PER_MONTH = 30.44

Row = dict[str, object]

COLUMNS: dict[str, list[str]] = {
    "teams": ["team_id", "team_name", "business_unit", "team_kind", "headcount", "ai_staff"],
    "champion_activity": [
        "activity_id", "date", "champion_id", "champion_name", "team_id", "activity_type", "hours",
        "satisfaction",
    ],
    "use_cases": [
        "use_case_id", "title", "team_id", "champion_id", "ai_team_id", "identified_date",
        "qualified_date", "rejected_date", "tier", "collaboration_pattern", "problem", "expected_kpis",
        "data_sources", "constraints", "sponsor", "expected_value_eur",
    ],
    "poc_conversions": [
        "poc_id", "use_case_id", "start_date", "outcome", "end_date", "production_date", "cost_eur",
    ],
    "adoption": ["poc_id", "month", "target_users", "active_users"],
    "training_spend": [
        "record_id", "date", "employee_id", "team_id", "program", "format", "hours", "cost_eur", "path",
        "path_start_date", "path_completed_date",
    ],
    "skills": ["employee_id", "team_id", "role", "seniority", "skill", "level", "assessed_date"],
}

# --------------------------------------------------------------------------- organization


@dataclass(frozen=True)
class Team:
    """One row of teams.csv plus the cohorts of its champion seats (A, B or C)."""

    team_id: str
    team_name: str
    business_unit: str
    team_kind: str
    headcount: int
    ai_staff: int
    seats: str = ""


@dataclass(frozen=True)
class Unit:
    """A business unit, its AI spoke and how its demand is served."""

    name: str
    spoke_id: str
    hub_share: float
    wait_days: tuple[int, int]


HUB_ID = "AI-HUB"
SHORT_QUEUE_SPOKE = "AI-RB"
FALLING_ADOPTION_UNIT = "Insurance"
LOW_TRAINING_TEAM = "CIB-MKT"

UNITS = (
    Unit("Retail Banking", "AI-RB", 0.35, (4, 35)),
    Unit("Corporate & Investment Banking", "AI-CIB", 0.50, (10, 75)),
    Unit("Insurance", "AI-INS", 0.45, (10, 75)),
    Unit("Operations", "AI-OPS", 0.80, (20, 100)),
    Unit("Wealth Management", "AI-WM", 0.50, (10, 75)),
)

TEAMS = (
    Team(HUB_ID, "AI Centre of Excellence", "Group", "ai_hub", 14, 12),
    Team("AI-RB", "Retail Banking AI Spoke", "Retail Banking", "ai_spoke", 5, 4),
    Team("AI-CIB", "CIB AI Spoke", "Corporate & Investment Banking", "ai_spoke", 4, 3),
    Team("AI-INS", "Insurance AI Spoke", "Insurance", "ai_spoke", 4, 3),
    Team("AI-OPS", "Operations AI Spoke", "Operations", "ai_spoke", 2, 1),
    Team("AI-WM", "Wealth Management AI Spoke", "Wealth Management", "ai_spoke", 3, 2),
    Team("RB-BRN", "Branch Network", "Retail Banking", "business", 300, 0, "AA"),
    Team("RB-CRD", "Cards & Payments", "Retail Banking", "business", 180, 0, "AAB"),
    Team("RB-LND", "Consumer Lending", "Retail Banking", "business", 150, 0, "AC"),
    Team("RB-MTG", "Mortgages", "Retail Banking", "business", 130, 0, "A"),
    Team("RB-CSC", "Customer Service Centre", "Retail Banking", "business", 240, 0, "AA"),
    Team("RB-DIG", "Digital Channels", "Retail Banking", "business", 140, 0, "AB"),
    Team("CIB-MKT", "Markets Analytics", "Corporate & Investment Banking", "business", 95, 3, "A"),
    Team("CIB-CRM", "Credit Risk Modelling", "Corporate & Investment Banking", "business", 70, 2, "AA"),
    Team("CIB-TRF", "Trade Finance", "Corporate & Investment Banking", "business", 85, 0, "A"),
    Team("CIB-CLD", "Corporate Lending", "Corporate & Investment Banking", "business", 110, 0, "AC"),
    Team("CIB-CSH", "Cash Management", "Corporate & Investment Banking", "business", 75, 0, "B"),
    Team("INS-CLM", "Claims Management", "Insurance", "business", 190, 0, "AAA"),
    Team("INS-UW", "Underwriting", "Insurance", "business", 120, 0, "AB"),
    Team("INS-ACT", "Actuarial", "Insurance", "business", 60, 0, "A"),
    Team("INS-BAS", "Bancassurance Sales", "Insurance", "business", 140, 0, "AC"),
    Team("INS-POL", "Policy Administration", "Insurance", "business", 115, 0, "A"),
    Team("OPS-BO", "Back Office Processing", "Operations", "business", 190, 0, "AA"),
    Team("OPS-KYC", "KYC & Onboarding", "Operations", "business", 120, 0, "AB"),
    Team("OPS-PAY", "Payments Operations", "Operations", "business", 95, 0, "A"),
    Team("OPS-ITS", "IT Service Desk", "Operations", "business", 80, 0, "C"),
    Team("OPS-PRC", "Procurement & Facilities", "Operations", "business", 55, 0, ""),
    Team("WM-PBA", "Private Banking Advisory", "Wealth Management", "business", 105, 0, "AA"),
    Team("WM-AMR", "Asset Management Research", "Wealth Management", "business", 60, 0, "A"),
    Team("WM-POR", "Portfolio Operations", "Wealth Management", "business", 45, 0, ""),
    Team("WM-CRP", "Client Reporting", "Wealth Management", "business", 40, 0, "B"),
)

# Champions of cohort A who leave the network (their seat is not refilled).
LEAVERS = (
    ("OPS-PAY", date(2025, 10, 17)),
    ("WM-POR", date(2025, 12, 12)),
    ("RB-MTG", date(2026, 3, 20)),
    ("INS-ACT", date(2026, 5, 29)),
)

COHORT_START = {"A": date(2025, 1, 6), "B": date(2025, 9, 1), "C": date(2026, 1, 26)}
PROGRAMME_DAYS = {
    "A": (date(2025, 1, 14), date(2025, 1, 28), date(2025, 2, 11), date(2025, 2, 25), date(2025, 3, 11)),
    "B": (date(2025, 9, 9), date(2025, 9, 23), date(2025, 10, 7), date(2025, 10, 21), date(2025, 11, 4)),
    "C": (date(2026, 2, 3), date(2026, 2, 17), date(2026, 3, 3), date(2026, 3, 17), date(2026, 3, 31)),
}
SUMMITS = (date(2025, 6, 19), date(2026, 6, 18))

# Use cases identified per quarter, 2025-Q1 .. 2026-Q4 (the last quarter is cut at DATA_END).
USE_CASES_PER_QUARTER = (30, 38, 40, 42, 44, 44, 44, 21)
# Mean champion survey answer aimed at per quarter (before rounding to 1-5).
SATISFACTION_PER_QUARTER = (4.45, 4.4, 4.35, 4.3, 3.95, 3.55, 3.5, 3.6)

FIRST_NAMES = (
    "Anna", "Lucas", "Sofia", "Thomas", "Claire", "Marco", "Julia", "Pierre", "Elena", "David",
    "Laura", "Hugo", "Nina", "Paul", "Sarah", "Jonas", "Camille", "Adrien", "Inès", "Matteo",
    "Léa", "Karim", "Eva", "Nicolas", "Maria", "Felix", "Chloé", "Omar", "Alice", "Victor",
)
LAST_NAMES = (
    "Martin", "Dubois", "Rossi", "Schmidt", "Garcia", "Bernard", "Meyer", "Lefèvre", "Novak",
    "Moreau", "Costa", "Laurent", "Fischer", "Petit", "Romano", "Girard", "Weber", "Fontaine",
    "Silva", "Mercier", "Keller", "Blanc", "Conti", "Janssen", "Roux", "Bauer", "Lambert",
)


def teams_by_id() -> dict[str, Team]:
    """The organization's teams keyed by team_id."""
    return {team.team_id: team for team in TEAMS}


def unit_of(name: str) -> Unit:
    """The Unit record of a business unit name."""
    return next(unit for unit in UNITS if unit.name == name)


def team_rows() -> list[Row]:
    """Rows of teams.csv."""
    return [{col: getattr(team, col) for col in COLUMNS["teams"]} for team in TEAMS]


# --------------------------------------------------------------------------- calendar helpers


def quarter_bounds() -> list[tuple[date, date]]:
    """(first day, last day) of every reported quarter, 2025-Q1 .. 2026-Q4."""
    bounds = []
    for year in (2025, 2026):
        for q in range(4):
            after = date(year + (q == 3), (3 * q + 3) % 12 + 1, 1)
            bounds.append((date(year, 3 * q + 1, 1), after - timedelta(days=1)))
    return bounds


def month_start(day: date) -> date:
    """First day of the month of a date."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """First day of the month after a date's month."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def months_between(start: date, end: date) -> float:
    """Elapsed months from start to end (days / 30.44)."""
    return (end - start).days / DAYS_PER_MONTH


def to_weekday(day: date) -> date:
    """The date itself, or the Friday before when it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def random_day(rng: random.Random, start: date, end: date) -> date:
    """A uniformly drawn working day between start and end (inclusive) when there is one."""
    span = max(0, (end - start).days)
    day = start + timedelta(days=rng.randint(0, span))
    for _ in range(20):
        if day.weekday() < 5:
            break
        day = start + timedelta(days=rng.randint(0, span))
    return day


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (0 = Monday) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def meetup_dates() -> list[date]:
    """Monthly champion meetups: second Thursday of each month except August."""
    days = []
    for year in (2025, 2026):
        for month in range(1, 13):
            day = nth_weekday(year, month, 3, 2)
            if month != 8 and DATA_START <= day <= DATA_END:
                days.append(day)
    return days


def review_dates() -> list[date]:
    """Quarterly reviews: first Tuesday of each quarter's last month."""
    days = [nth_weekday(y, m, 1, 1) for y in (2025, 2026) for m in (3, 6, 9, 12)]
    return [day for day in days if day <= DATA_END]


# --------------------------------------------------------------------------- champions


@dataclass
class Champion:
    """An AI champion: their seat, lifetime and personal traits used by the generator."""

    champion_id: str
    name: str
    employee_id: str
    team_id: str
    cohort: str
    start: date
    end: date
    programme: list[date]
    engagement: float
    mood: float
    output: float

    def active_in(self, start: date, end: date) -> tuple[date, date] | None:
        """The part of [start, end] during which the champion is in the network, if any."""
        lo, hi = max(start, self.start), min(end, self.end, DATA_END)
        return (lo, hi) if lo <= hi else None


def champion_seats() -> list[tuple[str, str, date]]:
    """(team_id, cohort, leave date) of every champion seat, leavers included."""
    seats = [(team.team_id, cohort, DATA_END) for team in TEAMS for cohort in team.seats]
    seats += [(team_id, "A", left) for team_id, left in LEAVERS]
    return sorted(seats, key=lambda seat: (seat[1], seat[0]))


def build_champions(rng: random.Random) -> list[Champion]:
    """About 40 champions in three cohorts; three of them do not finish the programme."""
    names = rng.sample([f"{f} {n}" for f in FIRST_NAMES for n in LAST_NAMES], len(champion_seats()))
    champions = []
    for index, (team_id, cohort, end) in enumerate(champion_seats()):
        champions.append(Champion(
            champion_id=f"CH-{index + 1:03d}", name=names[index], employee_id=f"E{30001 + index}",
            team_id=team_id, cohort=cohort, start=COHORT_START[cohort], end=end,
            programme=list(PROGRAMME_DAYS[cohort]), engagement=rng.uniform(0.75, 1.3),
            mood=rng.gauss(0, 0.3), output=rng.lognormvariate(0, 0.6),
        ))
    spoil_programme(rng, champions)
    return champions


def spoil_programme(rng: random.Random, champions: list[Champion]) -> None:
    """One champion per cohort fails the 5-day programme (missed days, or too spread out)."""
    for cohort, fate in (("A", "missed_two"), ("B", "missed_one"), ("C", "late_day")):
        pick = rng.choice([c for c in champions if c.cohort == cohort and c.end == DATA_END])
        if fate == "missed_two":
            pick.programme = pick.programme[:3]
        elif fate == "missed_one":
            pick.programme = pick.programme[:4]
        else:
            pick.programme = [*pick.programme[:4], pick.programme[0] + timedelta(days=84)]


# --------------------------------------------------------------------------- use cases

TECHNIQUES = (
    "Automated triage of {x}", "GenAI assistant for {x}", "Predictive scoring of {x}",
    "Document extraction from {x}", "Anomaly detection on {x}", "Summarisation of {x}",
    "Forecasting of {x}", "Knowledge search (RAG) over {x}", "Classification of {x}",
    "Next-best-action on {x}",
)
SUBJECTS = {
    "Retail Banking": (
        "card disputes", "mortgage applications", "branch appointments", "customer complaints",
        "overdraft collections", "credit card churn", "loan pre-approvals", "customer emails",
        "ATM cash needs", "call-centre transcripts", "savings cross-sell",
    ),
    "Corporate & Investment Banking": (
        "credit memos", "trade finance documents", "corporate KYC reviews", "FX hedging requests",
        "loan covenants", "SWIFT messages", "RFQ pricing", "counterparty risk reports",
        "cash-pooling balances", "syndicated loan agreements",
    ),
    "Insurance": (
        "motor claims", "home insurance claims", "underwriting questionnaires", "policy renewals",
        "claims fraud signals", "medical reports", "renewal churn", "broker submissions",
        "reserving inputs", "bancassurance leads",
    ),
    "Operations": (
        "supplier invoices", "onboarding files", "payment exceptions", "IT service tickets",
        "reconciliation breaks", "purchase requests", "regulatory reports", "back-office mail",
        "sanctions screening alerts", "standing order errors",
    ),
    "Wealth Management": (
        "client portfolio reviews", "investment research notes", "suitability questionnaires",
        "client meeting notes", "fund factsheets", "quarterly client reports", "adviser prospects",
        "ESG data", "rebalancing proposals",
    ),
}
DATA_SOURCES = {
    "Retail Banking": ("Core banking transactions; CRM", "Card authorisations; dispute files",
                       "Call recordings; complaint register", "Loan origination system"),
    "Corporate & Investment Banking": ("Credit files; rating engine", "SWIFT archive; trade booking",
                                       "Market data feed; RFQ logs", "Loan servicing system"),
    "Insurance": ("Claims system; photos", "Policy admin system", "Underwriting forms; broker emails",
                  "Actuarial data mart"),
    "Operations": ("ERP invoices", "Ticketing tool export", "Payment hub logs", "KYC document store"),
    "Wealth Management": ("Portfolio management system", "Research library", "CRM meeting notes",
                          "Fund data vendor"),
}
PROBLEMS = (
    "Too much manual effort on {x}; backlog builds up at month end.",
    "Handling {x} is slow and error-prone; customers complain about delays.",
    "No early warning on {x}; issues are found too late.",
    "Experts spend hours searching and re-reading {x}.",
)
EXPECTED_KPIS = (
    "Handling time -30%", "Processing cost -20%", "NPS +5 points", "Fraud losses -15%",
    "Conversion +3 points", "Backlog under 2 days", "Error rate below 1%", "2 FTE of analyst time saved",
)
CONSTRAINTS = (
    "GDPR: personal data, DPIA needed", "Customer-facing: EU AI Act transparency duties",
    "Data must stay on premises", "Explainability expected by the supervisor",
    "Budget capped at 80k EUR", "Integration with the core system", "No blocking constraint identified",
)
# Titles that a spreadsheet would read as formulas: (unit, title, subject, first eligible use case number).
SPECIAL_TITLES = (
    ("Insurance", "-20% handling time on motor claims intake", "motor claims intake", 40),
    ("Corporate & Investment Banking", "=Replace Excel macros for FX confirmations", "FX confirmations", 170),
)


@dataclass
class UseCase:
    """A use case and the fate drawn for it while it moves through the pipeline."""

    use_case_id: str
    title: str
    subject: str
    team_id: str
    champion_id: str | None
    ai_team_id: str
    identified: date
    qualified: date | None = None
    rejected: date | None = None
    poc_start: date | None = None
    extra: Row = field(default_factory=dict)


def pick_identifier(rng: random.Random, champions: list[Champion], qstart: date, qend: date
                    ) -> tuple[Champion | None, tuple[date, date]]:
    """Who identifies the next use case of a quarter (sometimes nobody) and when it can be."""
    active = [(c, span) for c in champions if (span := c.active_in(qstart, qend))]
    if rng.random() < 0.05:
        return None, (qstart, min(qend, DATA_END))
    champion, span = rng.choices(active, weights=[c.output for c, _ in active])[0]
    return champion, span


def draw_ai_team(rng: random.Random, team: Team) -> str:
    """The hub or the spoke of the requesting team's unit."""
    unit = unit_of(team.business_unit)
    return HUB_ID if rng.random() < unit.hub_share else unit.spoke_id


def build_use_cases(rng: random.Random, champions: list[Champion]) -> list[UseCase]:
    """About 300 use cases, identified by champions quarter after quarter."""
    teams, subjects = teams_by_id(), shuffled_titles(rng)
    business = [t for t in TEAMS if t.team_kind == "business"]
    cases = []
    for (qstart, qend), count in zip(quarter_bounds(), USE_CASES_PER_QUARTER, strict=True):
        for _ in range(count):
            champion, span = pick_identifier(rng, champions, qstart, qend)
            team = teams[champion.team_id] if champion else rng.choices(
                business, weights=[t.headcount for t in business])[0]
            title, subject = subjects[team.business_unit].pop()
            cases.append(UseCase(
                use_case_id="", title=title, subject=subject, team_id=team.team_id,
                champion_id=champion.champion_id if champion else None,
                ai_team_id=draw_ai_team(rng, team), identified=random_day(rng, *span),
            ))
    cases.sort(key=lambda c: c.identified)
    for number, case in enumerate(cases, start=1):
        case.use_case_id = f"UC-{number:04d}"
    add_special_titles(cases)
    return cases


def add_special_titles(cases: list[UseCase]) -> None:
    """Give a formula-like title to the first use case of a unit past a given number."""
    teams = teams_by_id()
    for unit, title, subject, after in SPECIAL_TITLES:
        case = next(c for c in cases[after:] if teams[c.team_id].business_unit == unit)
        case.title, case.subject = title, subject


def shuffled_titles(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """Per unit, every (technique x subject title, subject) in random order (popped as needed)."""
    titles = {}
    for unit, subjects in SUBJECTS.items():
        pool = [(t.format(x=s), s) for t in TECHNIQUES for s in subjects]
        rng.shuffle(pool)
        titles[unit] = pool
    return titles


def backlog_wait(rng: random.Random, ai_team_id: str, qualified: date) -> int:
    """Days a qualified use case waits in its AI team's backlog before a PoC or a rejection."""
    if ai_team_id == HUB_ID:
        # The hub keeps up in 2025, then its backlog snowballs from the autumn on.
        age = months_between(DATA_START, qualified)
        mean = 80 + 50 * max(0.0, age - 8)
        return round(mean * rng.uniform(0.5, 1.5))
    unit = next(u for u in UNITS if u.spoke_id == ai_team_id)
    return rng.randint(*unit.wait_days)


def move_through_pipeline(rng: random.Random, case: UseCase) -> None:
    """Draw qualification, backlog wait and exit (PoC start or rejection) of one use case."""
    fate = rng.random()
    if fate < 0.10:
        case.rejected = clip_future(case.identified + timedelta(days=rng.randint(7, 45)))
        return
    if fate < 0.15:
        return  # stalled at identification: never qualified, never rejected
    case.qualified = clip_future(to_weekday(case.identified + timedelta(days=rng.randint(5, 35))))
    if case.qualified is None:
        return
    leaves = clip_future(to_weekday(case.qualified + timedelta(days=backlog_wait(rng, case.ai_team_id,
                                                                                   case.qualified))))
    if leaves is None:
        return  # still waiting in the queue at the end of the data
    if rng.random() < 0.68:
        case.poc_start = max(leaves, case.qualified)
    else:
        case.rejected = max(leaves, case.qualified)


def clip_future(day: date) -> date | None:
    """The date, or None when it lies after the end of the data."""
    return day if day <= DATA_END else None


def add_briefing(rng: random.Random, case: UseCase, teams: dict[str, Team]) -> None:
    """Tier, collaboration pattern, the five briefing fields and the expected value."""
    team = teams[case.team_id]
    fill = 0.95 if case.qualified else 0.75
    values = {
        "problem": rng.choice(PROBLEMS).format(x=case.subject),
        "expected_kpis": rng.choice(EXPECTED_KPIS),
        "data_sources": rng.choice(DATA_SOURCES[team.business_unit]),
        "constraints": rng.choice(CONSTRAINTS),
        "sponsor": draw_sponsor(rng, team),
    }
    case.extra = {k: v if rng.random() < fill else "" for k, v in values.items()}
    case.extra["tier"] = rng.choices((1, 2, 3, None), weights=(15, 45, 30, 10))[0]
    case.extra["collaboration_pattern"] = draw_pattern(rng, case.ai_team_id)
    value = round(rng.lognormvariate(math.log(150_000), 0.9), -3)
    case.extra["expected_value_eur"] = value if rng.random() < 0.85 else None


def draw_sponsor(rng: random.Random, team: Team) -> str:
    """The business sponsor: usually the requesting team's head, sometimes a named director."""
    if rng.random() < 0.68:
        return f"Head of {team.team_name}"
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}, director"


def draw_pattern(rng: random.Random, ai_team_id: str) -> str | None:
    """The collaboration pattern: service requests dominate at the hub, embedding in spokes."""
    patterns = ("service_request", "sprint", "product_team", "embedded_ds", None)
    weights = (45, 25, 10, 10, 10) if ai_team_id == HUB_ID else (15, 35, 5, 35, 10)
    return rng.choices(patterns, weights=weights)[0]


def use_case_rows(cases: list[UseCase]) -> list[Row]:
    """Rows of use_cases.csv."""
    rows = []
    for case in cases:
        row: Row = {
            "use_case_id": case.use_case_id, "title": case.title, "team_id": case.team_id,
            "champion_id": case.champion_id, "ai_team_id": case.ai_team_id,
            "identified_date": case.identified, "qualified_date": case.qualified,
            "rejected_date": case.rejected,
        }
        row.update(case.extra)
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- PoCs and adoption


@dataclass
class Poc:
    """A proof of concept and its outcome."""

    poc_id: str
    case: UseCase
    start: date
    outcome: str = "running"
    end: date | None = None
    production: date | None = None
    cost: float | None = None


def conclude(rng: random.Random, poc: Poc) -> None:
    """Draw whether and when a PoC reaches production or is stopped."""
    if rng.random() < 0.53:
        done = clip_future(to_weekday(poc.start + timedelta(days=rng.randint(55, 150))))
        if done:
            poc.outcome, poc.production = "production", done
    else:
        done = clip_future(to_weekday(poc.start + timedelta(days=rng.randint(30, 120))))
        if done:
            poc.outcome, poc.end = "stopped", done
    poc.cost = round(rng.uniform(12_000, 95_000), -2) if rng.random() < 0.9 else None


def build_pocs(rng: random.Random, cases: list[UseCase]) -> list[Poc]:
    """PoCs of the use cases that left the backlog; some stopped ones are retried or rejected."""
    pocs: list[Poc] = []
    for case in cases:
        start = case.poc_start
        while start is not None:
            poc = Poc(f"POC-{len(pocs) + 1:04d}", case, start)
            conclude(rng, poc)
            pocs.append(poc)
            start = after_stop(rng, poc)
    return pocs


def after_stop(rng: random.Random, poc: Poc) -> date | None:
    """After a stopped PoC: maybe a second attempt (its start date), maybe a rejection."""
    if poc.outcome != "stopped" or poc.end is None:
        return None
    fate = rng.random()
    if fate < 0.2 and poc.case.rejected is None:
        return clip_future(to_weekday(poc.end + timedelta(days=rng.randint(20, 80))))
    if fate < 0.7:
        poc.case.rejected = clip_future(poc.end + timedelta(days=rng.randint(0, 21)))
    return None


def poc_rows(pocs: list[Poc]) -> list[Row]:
    """Rows of poc_conversions.csv."""
    return [{
        "poc_id": p.poc_id, "use_case_id": p.case.use_case_id, "start_date": p.start,
        "outcome": p.outcome, "end_date": p.end, "production_date": p.production, "cost_eur": p.cost,
    } for p in pocs]


def adoption_drift(unit: str, month: date) -> float:
    """Usage multiplier of a unit in a month: Insurance users drift away through 2026."""
    if unit != FALLING_ADOPTION_UNIT or month.year < 2026:
        return 1.0
    return 1.0 - 0.055 * month.month


def adoption_rows(rng: random.Random, pocs: list[Poc]) -> list[Row]:
    """Monthly usage of every production PoC (two of them never report any)."""
    teams = teams_by_id()
    live = [p for p in pocs if p.production]
    silent = set(rng.sample([p.poc_id for p in live if p.production >= date(2026, 3, 1)], 2))
    rows: list[Row] = []
    for poc in live:
        if poc.poc_id not in silent:
            rows += usage_series(rng, poc, teams[poc.case.team_id].business_unit)
    return rows


def usage_series(rng: random.Random, poc: Poc, unit: str) -> list[Row]:
    """Monthly target and active users of one solution, from its production month on."""
    assert poc.production is not None
    target = rng.choice((15, 25, 40, 60, 80, 120, 150, 200, 300, 450))
    plateau = rng.uniform(0.68, 0.93) if rng.random() < 0.92 else rng.uniform(1.02, 1.15)
    rows, month, age = [], month_start(poc.production), 0
    while month <= LAST_USAGE_MONTH:
        ramp = (0.85, 0.95)[age] if age < 2 else 1.0
        share = max(0.0, plateau * ramp * adoption_drift(unit, month) + rng.gauss(0, 0.03))
        if rng.random() > 0.03 or age == 0:
            rows.append({"poc_id": poc.poc_id, "month": month.strftime("%Y-%m"),
                         "target_users": target, "active_users": round(target * share)})
        month, age = next_month(month), age + 1
    return rows


# --------------------------------------------------------------------------- champion activity

TASK_TYPES = ("identification", "qualification", "evangelization", "facilitation", "adoption_support")
TASK_WEIGHTS = (12, 20, 22, 26, 20)


class ActivityLog:
    """Collects champion activity rows; ids are given in date order when written."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, champion: Champion, day: date, kind: str, hours: float | None,
            satisfaction: int | None = None) -> None:
        """Record one activity of a champion."""
        self.rows.append({
            "date": day, "champion_id": champion.champion_id, "champion_name": champion.name,
            "team_id": champion.team_id, "activity_type": kind, "hours": hours,
            "satisfaction": satisfaction,
        })

    def numbered(self) -> list[Row]:
        """The rows sorted by date and champion, each with its activity_id."""
        ordered = sorted(self.rows, key=lambda r: (r["date"], r["champion_id"], r["activity_type"]))
        return [{"activity_id": f"ACT-{i + 1:06d}", **row} for i, row in enumerate(ordered)]


def champion_activity_rows(rng: random.Random, champions: list[Champion], cases: list[UseCase]) -> list[Row]:
    """Every champion's activity, quarter by quarter, with one survey answer per quarter."""
    log = ActivityLog()
    for index, (qstart, qend) in enumerate(quarter_bounds()):
        for champion in champions:
            span = champion.active_in(qstart, qend)
            if span:
                hours = log_rituals(rng, log, champion, span)
                hours += log_identifications(rng, log, champion, cases, span)
                log_tasks(rng, log, champion, span, quarter_budget(rng, champion, span) - hours)
                log_survey(rng, log, champion, span, index)
    return log.numbered()


def quarter_budget(rng: random.Random, champion: Champion, span: tuple[date, date]) -> float:
    """Hours a champion gives in (the active part of) a quarter: mostly 10-20% of 455 h."""
    share = (span[1] - span[0]).days / 91
    return rng.uniform(46, 84) * champion.engagement * share


def log_rituals(rng: random.Random, log: ActivityLog, champion: Champion, span: tuple[date, date]) -> float:
    """Programme days, meetups, quarterly reviews and the summit falling in the span."""
    lo, hi = span
    hours = 0.0
    rituals = [(d, "training_day", 7.0, 1.0) for d in champion.programme]
    rituals += [(d, "meetup", 1.0, 0.55 + 0.3 * champion.engagement) for d in meetup_dates()]
    rituals += [(d, "quarterly_review", 2.0, 0.85) for d in review_dates()]
    rituals += [(d, "summit", 8.0, 0.8) for d in SUMMITS]
    for day, kind, length, chance in rituals:
        if lo <= day <= hi and rng.random() < chance:
            log.add(champion, day, kind, length)
            hours += length
    return hours


def log_identifications(rng: random.Random, log: ActivityLog, champion: Champion,
                        cases: list[UseCase], span: tuple[date, date]) -> float:
    """An identification row on the day each of the champion's use cases was identified."""
    hours = 0.0
    for case in cases:
        if case.champion_id == champion.champion_id and span[0] <= case.identified <= span[1]:
            length = rng.choice((2.0, 2.5, 3.0, 4.0))
            log.add(champion, case.identified, "identification", length)
            hours += length
    return hours


def log_tasks(rng: random.Random, log: ActivityLog, champion: Champion, span: tuple[date, date],
              budget: float) -> None:
    """Fill the rest of the quarter's hours with the five champion responsibilities."""
    while budget > 0:
        length = min(rng.choice((1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0)), max(budget, 0.5))
        kind = rng.choices(TASK_TYPES, weights=TASK_WEIGHTS)[0]
        log.add(champion, random_day(rng, *span), kind, length)
        budget -= length


def log_survey(rng: random.Random, log: ActivityLog, champion: Champion, span: tuple[date, date],
               index: int) -> None:
    """The quarterly satisfaction survey, answered in the second month of the quarter."""
    qstart = quarter_bounds()[index][0]
    window = (date(qstart.year, qstart.month + 1, 3), date(qstart.year, qstart.month + 1, 14))
    if not (span[0] <= window[0] and window[1] <= span[1]):
        return
    mean = SATISFACTION_PER_QUARTER[index] + champion.mood
    answer = min(5, max(1, round(rng.gauss(mean, 0.45))))
    log.add(champion, random_day(rng, *window), "survey", None, answer)


# --------------------------------------------------------------------------- AI staff and skills

# The competency framework and required levels are the product's own editable data file.
_FRAMEWORK = load_framework()
FRAMEWORK = _FRAMEWORK.skills_by_role
REQUIRED_LEVEL = _FRAMEWORK.required_levels

# (team, role, seniority) of every AI staff member; coverage aimed at per team.
STAFF = (
    (HUB_ID, "ai_architect", "principal"), (HUB_ID, "ml_engineer", "staff"),
    (HUB_ID, "ml_engineer", "senior"), (HUB_ID, "ml_engineer", "mid"),
    (HUB_ID, "data_engineer", "senior"), (HUB_ID, "data_engineer", "mid"),
    (HUB_ID, "ai_governance", "senior"), (HUB_ID, "ai_product_manager", "senior"),
    (HUB_ID, "data_scientist", "senior"), (HUB_ID, "data_scientist", "junior"),
    (HUB_ID, "ai_engineer", "mid"), (HUB_ID, "ai_engineer", "junior"),
    ("AI-RB", "data_scientist", "senior"), ("AI-RB", "data_scientist", "mid"),
    ("AI-RB", "ml_engineer", "mid"), ("AI-RB", "ai_engineer", "junior"),
    ("AI-CIB", "data_scientist", "senior"), ("AI-CIB", "ml_engineer", "senior"),
    ("AI-CIB", "ai_engineer", "mid"),
    ("AI-INS", "data_scientist", "senior"), ("AI-INS", "data_scientist", "mid"),
    ("AI-INS", "ml_engineer", "junior"),
    ("AI-OPS", "ai_engineer", "mid"),
    ("AI-WM", "data_scientist", "mid"), ("AI-WM", "ai_engineer", "senior"),
    ("CIB-MKT", "data_scientist", "mid"), ("CIB-MKT", "data_scientist", "mid"),
    ("CIB-MKT", "data_scientist", "junior"),
    ("CIB-CRM", "data_scientist", "senior"), ("CIB-CRM", "ml_engineer", "mid"),
)
COVERAGE_AIM = {HUB_ID: 0.83, "AI-RB": 0.86, "AI-CIB": 0.79, "AI-INS": 0.76, "AI-OPS": 0.84, "AI-WM": 0.75,
                "CIB-MKT": 0.45, "CIB-CRM": 0.77}
NOT_YET_ASSESSED = 11  # index in STAFF of the hub's newest junior AI engineer


@dataclass(frozen=True)
class StaffMember:
    """An AI staff member (data scientist, ML/AI engineer, ...)."""

    employee_id: str
    team_id: str
    role: str
    seniority: str


def build_staff() -> list[StaffMember]:
    """The 30 AI staff members, with their employee ids."""
    return [StaffMember(f"E{20001 + i}", team, role, level) for i, (team, role, level) in enumerate(STAFF)]


def skill_rows(rng: random.Random, staff: list[StaffMember]) -> list[Row]:
    """Assessments of every assessed staff member against their role's framework."""
    rows: list[Row] = []
    for team_id, aim in COVERAGE_AIM.items():
        members = [s for i, s in enumerate(staff) if s.team_id == team_id and i != NOT_YET_ASSESSED]
        pairs = [(m, skill) for m in members for skill in FRAMEWORK[m.role]]
        gaps = set(rng.sample(range(len(pairs)), round(len(pairs) * (1 - aim))))
        skipped = pick_skipped(rng, pairs, gaps)
        assessed = {m.employee_id: assessment_date(rng) for m in members}
        for index, (member, skill) in enumerate(pairs):
            if index not in skipped:
                level = draw_level(rng, REQUIRED_LEVEL[member.seniority], index in gaps)
                rows.append(skill_row(rng, member, skill, level, assessed[member.employee_id]))
    return rows


def pick_skipped(rng: random.Random, pairs: list[tuple[StaffMember, str]], gaps: set[int]) -> set[int]:
    """A few gap pairs left unassessed (one missing skill for some employees)."""
    skipped: set[int] = set()
    seen: set[str] = set()
    for index in sorted(gaps):
        employee = pairs[index][0].employee_id
        if employee not in seen and rng.random() < 0.3:
            skipped.add(index)
            seen.add(employee)
    return skipped


def assessment_date(rng: random.Random) -> date | None:
    """Date of an employee's assessment (the 2026 spring campaign), occasionally not recorded."""
    return random_day(rng, date(2026, 3, 9), date(2026, 5, 29)) if rng.random() < 0.9 else None


def draw_level(rng: random.Random, required: int, gap: bool) -> int:
    """A level below the requirement for gap pairs, at or above it otherwise."""
    if gap:
        return rng.randint(max(0, required - 2), required - 1)
    return min(4, required + (rng.random() < 0.3))


def skill_row(rng: random.Random, member: StaffMember, skill: str, level: int, assessed: date | None) -> Row:
    """One row of skills.csv (a few rows lack their date even when the campaign has one)."""
    return {
        "employee_id": member.employee_id, "team_id": member.team_id, "role": member.role,
        "seniority": member.seniority, "skill": skill, "level": level,
        "assessed_date": assessed if rng.random() < 0.97 else None,
    }


# --------------------------------------------------------------------------- training

# program, format, hours range, cost range, audience ("ai", "business" or "all")
CATALOG = (
    ("AI literacy e-learning", "theory", (2, 4), (0, 0), "business"),
    ("GenAI for business users workshop", "practice", (7, 7), (350, 650), "business"),
    ("Prompt engineering lab (internal)", "practice", (3, 4), (0, 0), "all"),
    ("Data literacy course", "theory", (7, 14), (400, 900), "business"),
    ("Automation with AI tools: hands-on", "practice", (7, 14), (500, 1100), "business"),
    ("AI use-case discovery workshop", "practice", (4, 7), (250, 600), "business"),
    ("EU AI Act essentials", "theory", (4, 7), (300, 600), "all"),
    ("AI for managers programme (external)", "theory", (14, 21), (1500, 3000), "business"),
    ("Hands-on GenAI bootcamp for business", "practice", (14, 24), (1200, 2200), "business"),
    ("Data and AI project practicum", "practice", (16, 32), (900, 1800), "business"),
    ("Machine learning foundations course", "theory", (14, 21), (900, 1800), "ai"),
    ("Cloud ML certification preparation", "theory", (16, 24), (1200, 2400), "ai"),
    ("MLOps bootcamp", "practice", (21, 35), (2000, 3500), "ai"),
    ("LLM application engineering", "practice", (14, 21), (1500, 2800), "ai"),
    ("Pair programming with the AI hub", "practice", (6, 16), (0, 0), "ai"),
    ("Internal hackathon", "practice", (8, 16), (0, 0), "all"),
    ("AI conference", "theory", (8, 16), (800, 2000), "ai"),
    ("Kaggle-style project sprint", "practice", (8, 24), (0, 600), "ai"),
)
PATH_MODULES = {
    "backend_to_mle": ("Python for ML", "MLOps foundations", "Model serving project", "Cloud ML lab"),
    "fullstack_to_ai_engineer": ("LLM integration", "RAG project", "Prompt engineering",
                                 "LLM evaluation lab"),
    "analyst_to_ds": ("Statistics refresher", "ML foundations", "Advanced Python", "Experimentation project"),
    "pm_to_ai_pm": ("AI fundamentals for PMs", "AI product design", "Evaluating AI products", "AI ethics"),
    "devops_to_mlops": ("ML pipelines", "Model serving", "Monitoring and drift", "MLOps project"),
}
PATH_MONTHS = {"backend_to_mle": (6, 12), "fullstack_to_ai_engineer": (3, 6), "analyst_to_ds": (6, 12),
               "pm_to_ai_pm": (3, 6), "devops_to_mlops": (3, 6)}
PATH_LEARNERS = (
    ("RB-LND", "analyst_to_ds"), ("INS-ACT", "analyst_to_ds"), ("INS-UW", "analyst_to_ds"),
    ("WM-AMR", "analyst_to_ds"), ("CIB-TRF", "analyst_to_ds"), ("OPS-KYC", "analyst_to_ds"),
    ("RB-DIG", "backend_to_mle"), ("OPS-PAY", "backend_to_mle"), ("CIB-CSH", "backend_to_mle"),
    ("RB-DIG", "fullstack_to_ai_engineer"), ("RB-DIG", "fullstack_to_ai_engineer"),
    ("WM-CRP", "fullstack_to_ai_engineer"), ("INS-POL", "fullstack_to_ai_engineer"),
    ("RB-DIG", "pm_to_ai_pm"), ("RB-CRD", "pm_to_ai_pm"), ("INS-BAS", "pm_to_ai_pm"),
    ("WM-PBA", "pm_to_ai_pm"),
    ("OPS-ITS", "devops_to_mlops"), ("OPS-ITS", "devops_to_mlops"), ("AI-OPS", "devops_to_mlops"),
    ("AI-HUB", "devops_to_mlops"),
)
SPEND_AIM = (2500, 4200)
LOW_SPEND_AIM = 1250
CHAMPION_DAY_FORMAT = ("theory", "theory", "practice", "practice", "practice")


@dataclass(frozen=True)
class Learner:
    """Someone with training records: AI staff, business staff, path learner or champion."""

    employee_id: str
    team_id: str
    audience: str


def business_learners() -> list[Learner]:
    """About 6% of every business team takes AI training (ids E1xxxx)."""
    learners = []
    for team in (t for t in TEAMS if t.team_kind == "business"):
        for _ in range(max(2, round(team.headcount * 0.06))):
            learners.append(Learner(f"E{10001 + len(learners)}", team.team_id, "business"))
    return learners


def course_record(rng: random.Random, learner: Learner, day: date) -> Row:
    """One catalogue course taken by a learner on a day."""
    options = [c for c in CATALOG if c[4] in (learner.audience, "all")]
    program, fmt, hours, cost, _ = rng.choice(options)
    return training_row(day, learner, program, fmt, rng.randint(*hours), round(rng.uniform(*cost), -1))


def training_row(day: date, learner: Learner, program: str, fmt: str, hours: float, cost: float) -> Row:
    """A training_spend row without path."""
    return {"date": day, "employee_id": learner.employee_id, "team_id": learner.team_id, "program": program,
            "format": fmt, "hours": hours, "cost_eur": cost, "path": None, "path_start_date": None,
            "path_completed_date": None}


def course_records(rng: random.Random, learners: Sequence[Learner]) -> list[Row]:
    """Catalogue courses over 2025 and 2026; most learners keep training in the second year."""
    rows = []
    for learner in learners:
        years = [y for y in (2025, 2026) if rng.random() < 0.85]
        per_year = (3, 6) if learner.audience == "ai" else (2, 5)
        for year in years or [rng.choice((2025, 2026))]:
            last = DATA_END if year == 2026 else date(2025, 12, 19)
            for _ in range(rng.randint(*per_year)):
                rows.append(course_record(rng, learner, random_day(rng, date(year, 1, 6), last)))
    return rows


def path_records(rng: random.Random) -> list[Row]:
    """Reconversion paths: a record every few weeks, completion on the last one."""
    rows = []
    for index, (team_id, path) in enumerate(PATH_LEARNERS):
        learner = Learner(f"E{40001 + index}", team_id, "path")
        start = random_day(rng, date(2025, 1, 13), date(2026, 6, 30))
        low, high = PATH_MONTHS[path]
        months = rng.uniform(low, high) if rng.random() < 0.8 else high * rng.uniform(1.15, 1.5)
        finish = clip_future(to_weekday(start + timedelta(days=round(months * DAYS_PER_MONTH))))
        rows += path_steps(rng, learner, path, start, finish)
    return rows


def path_steps(rng: random.Random, learner: Learner, path: str, start: date,
               finish: date | None) -> list[Row]:
    """The records of one reconversion path from its start to its completion (or today)."""
    rows, day, last = [], start, finish or DATA_END
    while day <= last:
        module = rng.choice(PATH_MODULES[path])
        fmt = "practice" if rng.random() < 0.65 else "theory"
        row = training_row(day, learner, f"{module} ({path})", fmt, rng.randint(6, 21),
                           round(rng.uniform(300, 1400), -1))
        rows.append(row | {"path": path, "path_start_date": start})
        day = to_weekday(day + timedelta(days=rng.randint(25, 45)))
    if finish:
        final = training_row(finish, learner, f"Final project and certification ({path})", "practice", 14,
                             round(rng.uniform(500, 1200), -1))
        rows.append(final | {"path": path, "path_start_date": start, "path_completed_date": finish})
    return rows


def champion_programme_records(champions: list[Champion]) -> list[Row]:
    """The champion programme days, internal and free, in each champion's team."""
    rows = []
    for champion in champions:
        learner = Learner(champion.employee_id, champion.team_id, "champion")
        for number, day in enumerate(champion.programme):
            rows.append(training_row(day, learner, f"AI champion programme - day {number + 1}",
                                     CHAMPION_DAY_FORMAT[number], 7, 0))
    return rows


def scale_spend(rng: random.Random, rows: list[Row]) -> None:
    """Rescale each team's paid courses so that its spend per learner lands on an aim."""
    window = (date(2025, 10, 1), date(2026, 9, 30))
    for team in TEAMS:
        in_window = [r for r in rows if r["team_id"] == team.team_id and window[0] <= r["date"] <= window[1]]
        learners = {r["employee_id"] for r in in_window}
        spent = sum(float(r["cost_eur"]) for r in in_window)
        if not learners or not spent:
            continue
        aim = LOW_SPEND_AIM if team.team_id == LOW_TRAINING_TEAM else rng.uniform(*SPEND_AIM)
        factor = aim * len(learners) / spent
        for row in (r for r in rows if r["team_id"] == team.team_id):
            row["cost_eur"] = round(float(row["cost_eur"]) * factor, -1)


def training_rows(rng: random.Random, champions: list[Champion], staff: list[StaffMember]) -> list[Row]:
    """Rows of training_spend.csv, in date order with record ids."""
    ai_learners = [Learner(s.employee_id, s.team_id, "ai") for s in staff]
    rows = course_records(rng, ai_learners) + course_records(rng, business_learners())
    rows += path_records(rng) + champion_programme_records(champions)
    scale_spend(rng, rows)
    rows.sort(key=lambda r: (r["date"], r["employee_id"], r["program"]))
    return [{"record_id": f"TR-{i + 1:06d}", **row} for i, row in enumerate(rows)]


# --------------------------------------------------------------------------- output


def cell(value: object) -> str:
    """A CSV cell: ISO dates, blank for None, numbers without useless decimals."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
    return str(value)


def write_csv(path: Path, columns: list[str], rows: Iterable[Row]) -> int:
    """Write rows with exactly the given columns; returns the number of data rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(col)) for col in columns])
            count += 1
    return count


def build_datasets(seed: int) -> dict[str, list[Row]]:
    """Every dataset of the demo organization, drawn from one seeded generator."""
    rng = random.Random(seed)
    champions = build_champions(rng)
    cases = build_use_cases(rng, champions)
    teams = teams_by_id()
    for case in cases:
        move_through_pipeline(rng, case)
        add_briefing(rng, case, teams)
    pocs = build_pocs(rng, cases)
    staff = build_staff()
    return {
        "teams": team_rows(),
        "champion_activity": champion_activity_rows(rng, champions, cases),
        "use_cases": use_case_rows(cases),
        "poc_conversions": poc_rows(pocs),
        "adoption": adoption_rows(rng, pocs),
        "training_spend": training_rows(rng, champions, staff),
        "skills": skill_rows(rng, staff),
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("sample_data"), help="output folder (sample_data)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed ({DEFAULT_SEED})")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Generate the seven CSV files and print their row counts."""
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in build_datasets(args.seed).items():
        count = write_csv(args.out / f"{name}.csv", COLUMNS[name], rows)
        print(f"{name + '.csv':<24}{count:>6} rows")


if __name__ == "__main__":
    main()
