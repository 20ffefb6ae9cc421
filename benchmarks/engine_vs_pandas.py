"""The KPI engine against a straightforward pandas implementation, on a generated organization.

The organization is that of `python -m benchmarks` (benchmarks/generate.py, loaded through the
CLI by benchmarks/kpis.py). Prints, in-process and warm: the organization scorecard of the
quarter (every KPI with its previous-quarter and year-ago values) and the business-unit
breakdown, with the store connection held open (as a long-lived app process would) and reopened
per call (as the store gate does by default); next to the same KPIs written as a vectorized
pandas implementation (groupby/merge, no Python loops over rows), whose values are compared with
the engine's. The figures a user meets (the CLI as fresh processes, the scorecard's goal) are
those of `python -m benchmarks`.

usage: python benchmarks/engine_vs_pandas.py [--rows 1000000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from aiorg_metrics.common.periods import DAYS_PER_MONTH, Quarter  # noqa: E402
from aiorg_metrics.datasets.framework import load_framework, path_durations  # noqa: E402
from aiorg_metrics.kpi import compute  # noqa: E402
from aiorg_metrics.kpi.settings import Settings  # noqa: E402
from aiorg_metrics.store.connection import Store  # noqa: E402
from benchmarks.generate import QUARTER as QUARTER_ID  # noqa: E402
from benchmarks.generate import write_organization  # noqa: E402
from benchmarks.kpis import load_store  # noqa: E402

QUARTER = Quarter.parse(QUARTER_ID)


def generate(work: Path, rows: int) -> Path:
    """The benchmark's organization of `rows` activity rows, loaded into a fresh store; its path."""
    folder = write_organization(work / "data", rows, ("utf8",))["utf8"]
    db = work / "engine_vs_pandas.duckdb"
    load_store(db, folder)
    return db


@dataclass(frozen=True)
class Frames:
    teams: pd.DataFrame
    activity: pd.DataFrame
    use_cases: pd.DataFrame
    pocs: pd.DataFrame
    adoption: pd.DataFrame
    training: pd.DataFrame
    skills: pd.DataFrame


def load_frames(store: Store) -> Frames:
    with store.reading() as cur:
        def df(sql: str) -> pd.DataFrame:
            return cur.execute(sql).df()

        return Frames(
            teams=df("SELECT * EXCLUDE (_hash, _import_id) FROM teams"),
            activity=df("SELECT date, champion_id, team_id, activity_type, hours, satisfaction, _key "
                        "FROM champion_activity"),
            use_cases=df("SELECT * EXCLUDE (_hash, _import_id, _key) FROM use_cases"),
            pocs=df("SELECT * EXCLUDE (_hash, _import_id, _key) FROM poc_conversions"),
            adoption=df("SELECT poc_id, month, target_users, active_users FROM adoption"),
            training=df("SELECT * EXCLUDE (_hash, _import_id) FROM training_spend"),
            skills=df("SELECT * EXCLUDE (_hash, _import_id, _key) FROM skills"),
        )


class Window:
    """A quarter as pandas timestamps: start and end of Q, start of the T4Q window."""

    def __init__(self, quarter: Quarter) -> None:
        self.start = pd.Timestamp(quarter.first_day)
        self.end = pd.Timestamp(quarter.last_day)
        self.w_start = pd.Timestamp(quarter.t4q_start)


Scores = dict[str, float | None]  # scope ("org" or a business unit) → value


PER_UNIT = {"on": True}  # pandas_run switches the business-unit values off for the org-only timing


def _by_bu(frame: pd.DataFrame, value: Callable[[pd.DataFrame], float | None]) -> Scores:
    """value() for the whole frame ("org") and, unless switched off, for each business unit's rows."""
    out: Scores = {"org": value(frame) if len(frame) else None}
    if PER_UNIT["on"]:
        for bu, part in frame.dropna(subset=["business_unit"]).groupby("business_unit"):
            out[str(bu)] = value(part)
    return out


def _share(column: str) -> Callable[[pd.DataFrame], float | None]:
    return lambda f: float(f[column].mean()) if len(f) else None


def _with_bu(frame: pd.DataFrame, teams: pd.DataFrame, on: str = "team_id") -> pd.DataFrame:
    return frame.merge(teams[["team_id", "business_unit"]].rename(columns={"team_id": on}), on=on, how="left")


def champions(f: Frames, w: Window) -> pd.DataFrame:
    """Per champion seen by the end of Q: team in Q, active, use cases, hours, meetups, survey."""
    upto = f.activity[f.activity.date <= w.end]
    last = upto.sort_values(["date", "_key"]).groupby("champion_id").tail(1).set_index("champion_id").team_id
    ucs = f.use_cases[f.use_cases.champion_id.notna() & (f.use_cases.identified_date <= w.end)]
    last_uc = ucs.sort_values(["identified_date", "use_case_id"]).groupby("champion_id").tail(1)
    team = last.combine_first(last_uc.set_index("champion_id").team_id)
    in_q = upto[upto.date >= w.start]
    frame = pd.DataFrame({"team_id": team})
    frame["non_survey"] = in_q[in_q.activity_type != "survey"].groupby("champion_id").size()
    frame["use_cases"] = ucs[ucs.identified_date >= w.start].groupby("champion_id").size()
    frame["hours"] = in_q.groupby("champion_id").hours.sum()
    frame["meetup_days"] = in_q[in_q.activity_type == "meetup"].groupby("champion_id").date.nunique()
    surveys = in_q[in_q.activity_type == "survey"].sort_values(["date", "_key"]).groupby("champion_id").tail(1)
    frame["survey_sat"] = surveys.set_index("champion_id").satisfaction
    frame = frame.fillna({"non_survey": 0, "use_cases": 0, "hours": 0, "meetup_days": 0})
    frame["active"] = (frame.non_survey > 0) | (frame.use_cases > 0)
    frame = frame.rename_axis("champion_id").reset_index()
    return frame.merge(f.teams[["team_id", "business_unit", "team_kind"]], on="team_id", how="left")


def pandas_scorecard(f: Frames, quarter: Quarter, settings: Settings) -> dict[str, Scores]:
    """Every KPI at org and business-unit scope for one quarter, in pandas."""
    w = Window(quarter)
    ch = champions(f, w)
    active = ch[ch.active]
    business = f.teams[f.teams.team_kind == "business"]
    counts = business[["team_id", "business_unit"]].merge(
        active.groupby("team_id").size().rename("n").reset_index(), on="team_id", how="left").fillna({"n": 0})
    counts["in_band"] = counts.n.between(1, 2)
    out: dict[str, Scores] = {
        "champions_per_business_team": _by_bu(counts, lambda x: float(x.n.mean())),
        "business_teams_in_champion_band": _by_bu(counts, _share("in_band")),
        "use_cases_per_champion": _by_bu(active, lambda x: float(x.use_cases.sum() / len(x))),
        "champion_satisfaction": _surveyed(_by_bu(ch[ch.survey_sat.notna()], lambda x: float(x.survey_sat.mean())),
                                           ch, settings),
        "champion_time_allocation": _by_bu(active, lambda x: float((x.hours / settings.hours_per_quarter).mean())),
        "meetup_participation": _by_bu(active.assign(ok=active.meetup_days >= 2), _share("ok")),
    }
    out["champion_programme_completion"] = _programme(f, w, ch)
    uc = _with_bu(f.use_cases, f.teams)
    first_poc = f.pocs.groupby("use_case_id").start_date.min().rename("first_poc")
    uc = uc.merge(first_poc, left_on="use_case_id", right_index=True, how="left")
    cohort = uc[uc.identified_date.between(w.w_start, w.end)]
    out["use_case_to_poc_rate"] = _by_bu(cohort.assign(ok=cohort.first_poc <= w.end), _share("ok"))
    out.update(_pocs_and_adoption(f, w, uc))
    out["demand_queue_months"] = _queue(uc, w)
    qualified = uc[uc.qualified_date.between(w.start, w.end)]
    filled = qualified[["problem", "expected_kpis", "data_sources", "constraints", "sponsor"]]
    complete = filled.apply(lambda col: col.fillna("").str.strip() != "").all(axis=1)
    out["briefing_completeness"] = _by_bu(qualified.assign(ok=complete), _share("ok"))
    out.update(_organization(f))
    out.update(_training(f, w))
    out["skills_coverage"] = _skills(f)
    return out


def _surveyed(scores: Scores, ch: pd.DataFrame, settings: Settings) -> Scores:
    """Below the organization, a unit's survey value is withheld with fewer answers than the floor (SPEC §2.9)."""
    answers = ch[ch.survey_sat.notna()].groupby("business_unit").size()
    return {scope: value if scope == "org" or answers.get(scope, 0) >= settings.min_survey_answers else None
            for scope, value in scores.items()}


def _programme(f: Frames, w: Window, ch: pd.DataFrame) -> Scores:
    days = f.activity[f.activity.activity_type == "training_day"][["champion_id", "date"]].drop_duplicates()
    first = days.groupby("champion_id").date.min().rename("first")
    days = days.join(first, on="champion_id")
    within = days[days.date < days["first"] + pd.Timedelta(days=61)].groupby("champion_id").size().rename("within")
    cohort = pd.concat([first, within], axis=1)
    cohort = cohort[cohort["first"].between(w.w_start, w.end) & (cohort["first"] + pd.Timedelta(days=61) <= w.end)]
    cohort = cohort.join(ch.set_index("champion_id").business_unit)
    return _by_bu(cohort.assign(ok=cohort.within >= 5), _share("ok"))


def _pocs_and_adoption(f: Frames, w: Window, uc: pd.DataFrame) -> dict[str, Scores]:
    pocs = f.pocs.merge(uc[["use_case_id", "business_unit"]], on="use_case_id", how="left")
    concluded = pocs.production_date.where(pocs.outcome == "production", pocs.end_date)
    done = pocs[concluded.between(w.w_start, w.end)]
    live = pocs[(pocs.outcome == "production") & (pocs.production_date <= w.end)]
    use = f.adoption.merge(live[["poc_id", "production_date"]], on="poc_id")
    use = use[use.month.between(w.start, w.end) & (use.month >= use.production_date.dt.to_period("M").dt.start_time)]
    latest = use.sort_values("month").groupby("poc_id").tail(1)
    ratio = (latest.active_users / latest.target_users).clip(upper=1).rename("ratio")
    measured = live.merge(pd.concat([latest.poc_id, ratio], axis=1), on="poc_id", how="inner")
    return {
        "poc_to_production_rate": _by_bu(done.assign(ok=done.outcome == "production"), _share("ok")),
        "adoption_rate": _by_bu(measured, lambda x: float(x.ratio.mean())),
    }


def _queue(uc: pd.DataFrame, w: Window) -> Scores:
    known = uc[uc.identified_date <= w.end]
    waiting = known[(known.qualified_date <= w.end) & ~(known.first_poc <= w.end) & ~(known.rejected_date <= w.end)]
    ages = (w.end - waiting.qualified_date).dt.days / DAYS_PER_MONTH
    return _by_bu(waiting.assign(age=ages), lambda x: float(x.age.median()) if len(x) else None)


def _organization(f: Frames) -> dict[str, Scores]:
    t = f.teams
    spokes = t[t.team_kind == "ai_spoke"]
    return {
        "spoke_staffing": _by_bu(spokes.assign(ok=spokes.ai_staff.between(2, 5)), _share("ok")),
        "hub_size": {"org": float(t[t.team_kind == "ai_hub"].headcount.sum())},
        "shadow_ai_teams": _by_bu(t, lambda x: float(((x.team_kind == "business") & (x.ai_staff > 0)).sum())),
    }


def _training(f: Frames, w: Window) -> dict[str, Scores]:
    records = _with_bu(f.training, f.teams).fillna({"business_unit": "unknown team"})
    window = records[records.date.between(w.w_start, w.end)]
    pairs = records[records.path.notna()].sort_values(["date", "_key"]).groupby(["employee_id", "path"]).agg(
        start=("path_start_date", "min"), done=("path_completed_date", "max"), business_unit=("business_unit", "last"))
    max_months = {p: d.max_months for p, d in path_durations().items()}
    pairs["max_months"] = pairs.index.get_level_values("path").map(max_months)
    pairs = pairs[(pairs.start <= w.end) & (pairs.done.isna() | (pairs.done >= w.start))]
    end = pairs.done.where(pairs.done <= w.end, w.end)
    pairs["ok"] = (end - pairs.start).dt.days / DAYS_PER_MONTH <= pairs.max_months

    def practice(x: pd.DataFrame) -> float | None:
        total = x.hours.sum()
        return float(x.hours[x.format == "practice"].sum() / total) if total else None

    return {
        "training_spend_per_learner": _by_bu(window, lambda x: float(x.cost_eur.sum() / x.employee_id.nunique())),
        "practice_share": _by_bu(window, practice),
        "upskilling_on_track": _by_bu(pairs, _share("ok")),
    }


def _skills(f: Frames) -> Scores:
    fw = load_framework()
    s = f.skills.assign(order=f.skills.assessed_date.fillna(pd.Timestamp("0001-01-01")))
    people = s.sort_values(["order", "skill"]).groupby("employee_id").tail(1)[["employee_id", "role", "seniority",
                                                                                  "team_id"]]
    framework = pd.DataFrame(fw.pairs(), columns=["role", "skill"])
    pairs = people.merge(framework, on="role").merge(s[["employee_id", "skill", "level"]], on=["employee_id", "skill"],
                                                     how="left").fillna({"level": 0})
    pairs["ok"] = pairs.level >= pairs.seniority.map(fw.required_levels)
    return _by_bu(_with_bu(pairs, f.teams), _share("ok"))


def pandas_run(f: Frames, settings: Settings, by_bu: bool) -> dict[str, dict[str, Scores]]:
    """The scorecard for the quarter, the previous one and a year ago (BU values kept or not)."""
    PER_UNIT["on"] = by_bu
    return {str(q): pandas_scorecard(f, q, settings) for q in (QUARTER, QUARTER.previous(), QUARTER.year_ago())}


# --- measuring ----------------------------------------------------------------------------------


def timed(func: Callable[[], object], runs: int = 5) -> tuple[float, object]:
    """Median seconds of `runs` calls after one warm-up call, and the last result."""
    result = func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def compare(engine: list, baseline: dict[str, dict[str, Scores]]) -> tuple[int, int, float]:
    """(values compared, mismatches, largest relative difference) between engine and pandas."""
    compared = mismatched = 0
    worst = 0.0
    for r in engine:
        scope = "org" if r.scope == "org" else r.scope_value
        if r.kpi not in baseline[r.period] or scope not in baseline[r.period][r.kpi]:
            continue
        theirs, ours = baseline[r.period][r.kpi][scope], r.value
        compared += 1
        if (theirs is None) != (ours is None) or (ours is not None and not math.isclose(ours, theirs, rel_tol=1e-9)):
            mismatched += 1
            print(f"  differs: {r.kpi} {r.scope}: engine {ours} pandas {theirs}")
        elif ours is not None and theirs:
            worst = max(worst, abs(ours - theirs) / abs(theirs))
    return compared, mismatched, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="champion-activity rows")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="aiorg-bench-kpis-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    db = generate(work, args.rows)
    print(f"organization of {args.rows:,} activity rows generated and loaded in {time.perf_counter() - started:.1f} s")
    store, settings = Store(db), Settings()

    with store.reading() as cur:
        held_org, org_rows = timed(lambda: compute(cur, QUARTER, settings=settings))
        held_bu, bu_rows = timed(lambda: compute(cur, QUARTER, by="business_unit", settings=settings))
    reopen_org, _ = timed(lambda: compute(store, QUARTER, settings=settings))
    reopen_bu, _ = timed(lambda: compute(store, QUARTER, by="business_unit", settings=settings))
    started = time.perf_counter()
    frames = load_frames(store)
    load = time.perf_counter() - started
    pandas_org, _ = timed(lambda: pandas_run(frames, settings, by_bu=False), runs=3)
    pandas_bu, baseline = timed(lambda: pandas_run(frames, settings, by_bu=True), runs=3)
    with store.reading() as cur:
        everything = [r for q in (QUARTER, QUARTER.previous(), QUARTER.year_ago())
                      for r in compute(cur, q, by="business_unit", settings=settings)]
    compared, mismatched, worst = compare(everything, baseline)

    print(f"\nquarter {QUARTER}, {len(org_rows)} org results, {len(bu_rows)} with --by business_unit")
    print(f"{'measure':58} {'seconds':>8} {'goal':>8}")
    rows = [
        ("scorecard, org, warm (connection held)", held_org, 0.5),
        ("scorecard + business-unit breakdown, warm (held)", held_bu, None),
        ("scorecard, org, store reopened per call", reopen_org, None),
        ("scorecard + business-unit breakdown, reopened per call", reopen_bu, None),
        ("pandas baseline: org scorecard (frames in memory)", pandas_org, None),
        ("pandas baseline: org + business units", pandas_bu, None),
        ("pandas baseline: loading the frames (not in the above)", load, None),
    ]
    for label, seconds, goal in rows:
        verdict = "" if goal is None else f"≤ {goal:.1f} {'met' if seconds <= goal else 'MISSED'}"
        print(f"{label:58} {seconds:8.3f} {verdict:>8}")
    print(f"\nratio pandas / engine (warm): org {pandas_org / held_org:.1f}x, by business unit "
          f"{pandas_bu / held_bu:.1f}x")
    print(f"values compared with pandas: {compared}, mismatches {mismatched}, largest relative difference {worst:.1e}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
