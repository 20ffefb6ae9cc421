"""The KPI registry: every KPI of SPEC §3.3 as one record, in display order.

Each description says, in plain words, what the KPI measures, how to read it and which
choices were made where the guide leaves one open. The SQL of each KPI reads the
shared relations of `relations.py`; see `model.Query` for the shape it must have.
"""

from __future__ import annotations

import textwrap

from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.kpi.model import (
    Aggregates,
    Context,
    DatedBy,
    Kpi,
    NoteHook,
    Page,
    Population,
    Query,
    Scope,
    Theme,
    Unit,
    Window,
)
from aiorg_metrics.kpi.relations import CORE_ROLES
from aiorg_metrics.kpi.status import Status, Target, TargetSource

ORG, BU, TEAM, CHAMPION, AI_TEAM = Scope.ORG, Scope.BUSINESS_UNIT, Scope.TEAM, Scope.CHAMPION, Scope.AI_TEAM
GUIDE, DEFAULT = TargetSource.GUIDE, TargetSource.DEFAULT
REVIEW, HUB_SPOKE, FUNNEL, SKILLS = Page.REVIEW, Page.HUB_SPOKE, Page.FUNNEL, Page.SKILLS

ACTIVITY = DatedBy("champion_activity", "date")
IDENTIFIED = DatedBy("use_cases", "identified_date")
QUALIFIED = DatedBy("use_cases", "qualified_date")
POC_START = DatedBy("poc_conversions", "start_date")
PRODUCTION = DatedBy("poc_conversions", "production_date")
STOPPED = DatedBy("poc_conversions", "end_date")
USAGE_MONTH = DatedBy("adoption", "month")
TRAINING = DatedBy("training_spend", "date")
PATH_DATES = DatedBy("training_spend", "path_start_date / path_completed_date")

CHAMPION_KPIS = "AI Champions Network › KPIs du reseau d'AI Champions"
CENTRALIZED_TRANSITION = "Modele 1 — Centralise › Indicateurs de transition vers le modele suivant"
TRAINING_MODES = "Upskilling & Talent Development › Modalites de formation"


def _share(units: str, condition: str, needs: tuple[str, ...]) -> Query:
    """A share of the population meeting `condition` (numerator ÷ denominator)."""
    return Query(
        units=units,
        value=f"avg(({condition})::INT)",
        numerator=f"count(*) FILTER ({condition})",
        denominator="count(*)",
        needs=needs,
    )


def _union(*selects: str) -> str:
    return "\nUNION ALL\n".join(textwrap.dedent(part).strip() for part in selects)


def _who(noun: str, which: str) -> tuple[str, str]:
    """("use case whose team is unknown", "use cases whose team is unknown")."""
    return f"{noun} {which}", f"{noun}s {which}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --- champions network -------------------------------------------------------------

# Every business team with its active champions in Q (teams without any included).
BUSINESS_TEAMS = """
    SELECT p.period, t.team_id AS team, t.business_unit, 'team' AS kind,
           count(c.champion) AS champions
    FROM kpi_periods p CROSS JOIN teams t
    LEFT JOIN kpi_champ c ON c.period = p.period AND c.team = t.team_id AND c.active
    WHERE t.team_kind = 'business'
    GROUP BY ALL
"""
# A business team inside the guide's band ("1-2 par equipe metier"), on a BUSINESS_TEAMS row.
IN_CHAMPION_BAND = "champions BETWEEN 1 AND 2"
# Active champions this KPI leaves out: their team is unknown or not a business team.
STRAY_CHAMPIONS = """
    SELECT period, NULL AS team, NULL AS business_unit, 'stray' AS kind, 1 AS champions FROM kpi_champ
    WHERE active AND (team IS NULL OR team_kind <> 'business')
"""


def _stray_champions_note(agg: Aggregates, _: Context) -> str | None:
    strays = agg.get("strays") or 0
    if not strays:
        return None
    return f"{_plural(strays, 'active champion')} left out: team unknown or not a business team"


CHAMPIONS_PER_BUSINESS_TEAM = Kpi(
    id="champions_per_business_team",
    label="Active champions per business team",
    theme=Theme.CHAMPIONS,
    description=(
        "How many active AI champions each business team has. A champion is active in the quarter when they "
        "logged at least one activity other than the satisfaction survey, or identified a use case, in that "
        "quarter. Champions are counted with the team they represent at the end of the quarter (their latest "
        "activity row, else their latest use case), not with the teams of the use cases they raised. At "
        "organization and business-unit level the value is active champions in business teams divided by the "
        "number of business teams; at team level it is simply that team's count. Active champions whose team "
        "is unknown, or is an AI team rather than a business team, are left out of this KPI only, and the "
        "note says how many. The guide asks for 1 to 2 per business team: below 1 the team has no voice in "
        "the network, above 2 the role is diluted."
    ),
    unit=Unit.PER_TEAM,
    scopes=(ORG, BU, TEAM),
    window=Window.QUARTER,
    dated_by=(ACTIVITY, IDENTIFIED),
    query=Query(
        units=_union(BUSINESS_TEAMS, STRAY_CHAMPIONS),
        value=(
            "sum(champions) FILTER (kind = 'team') / "
            "CASE WHEN count(*) FILTER (kind = 'team') > 0 THEN count(*) FILTER (kind = 'team') END"
        ),
        n="count(*) FILTER (kind = 'team')",
        numerator="coalesce(sum(champions) FILTER (kind = 'team'), 0)",
        denominator="count(*) FILTER (kind = 'team')",
        empty="count(*) FILTER (kind = 'team') = 0",
        left_out="count(*) FILTER (kind = 'stray')",
        extras=(("strays", "count(*) FILTER (kind = 'stray')"),),
        needs=("kpi_champ",),
    ),
    population=Population("business team{s}", "active champion{s}"),
    pages=(REVIEW,),
    target=Target(min=1, max=2),
    target_source=GUIDE,
    guide_section=f'{CHAMPION_KPIS}: "1-2 par equipe metier"',
    team_kinds=("business",),
    left_out_what=_who("active champion", "whose team is unknown or not a business team"),
    note=_stray_champions_note,
    accumulates_in_quarter=True,  # a champion counts once active in Q: the count grows through the quarter
)

BUSINESS_TEAMS_IN_CHAMPION_BAND = Kpi(
    id="business_teams_in_champion_band",
    label="Business teams with 1-2 active champions",
    theme=Theme.CHAMPIONS,
    description=(
        "The share of business teams that have the 1 or 2 active champions the guide asks for. It reads the "
        "same guide line as champions per business team, but per team, so that a team with four champions "
        "cannot hide a team with none: an average of 1.5 can mean every team is covered or half of them are "
        "empty. Champions count with their team at the end of the quarter, as in the KPI above. The target "
        "is every business team (100%)."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU),
    window=Window.QUARTER,
    dated_by=(ACTIVITY, IDENTIFIED),
    query=_share(BUSINESS_TEAMS, IN_CHAMPION_BAND, ("kpi_champ",)),
    population=Population("business team{s}"),
    pages=(REVIEW,),
    target=Target(min=1.0),
    target_source=GUIDE,
    guide_section=f'{CHAMPION_KPIS}: "1-2 par equipe metier", read per team',
    team_kinds=("business",),
    accumulates_in_quarter=True,  # teams reach the band as their champions become active in Q
)

USE_CASES_PER_CHAMPION = Kpi(
    id="use_cases_per_champion",
    label="Use cases identified per active champion",
    theme=Theme.CHAMPIONS,
    description=(
        "The flow of new ideas: use cases identified in the quarter that name a champion (rejected ones "
        "included, since identifying is the champion's job and rejection comes later), divided by the active "
        "champions of the quarter. Use cases without a champion are not counted. In breakdowns both the use "
        "cases and the champions go with the champion's team at the end of the quarter, so a champion who "
        "raises ideas for another team still credits their own team. The guide expects 3 to 5 per champion "
        "per quarter: fewer suggests champions are not scouting, many more that ideas are not being "
        "qualified before they are logged."
    ),
    unit=Unit.PER_CHAMPION,
    scopes=(ORG, BU, TEAM, CHAMPION),
    window=Window.QUARTER,
    dated_by=(IDENTIFIED, ACTIVITY),
    query=Query(
        units="SELECT period, champion, team, business_unit, use_cases FROM kpi_champ WHERE active",
        value="sum(use_cases) / CASE WHEN count(*) > 0 THEN count(*) END",
        numerator="coalesce(sum(use_cases), 0)",
        denominator="count(*)",
        needs=("kpi_champ",),
    ),
    population=Population("active champion{s}", "use case{s}"),
    pages=(REVIEW,),
    target=Target(min=3, max=5),
    target_source=GUIDE,
    guide_section=f'{CHAMPION_KPIS}: "3-5 par champion" (cas d\'usage identifies par trimestre)',
    left_out_what=_who("active champion", "whose team is unknown"),
    accumulates_in_quarter=True,  # use cases identified in Q: the guide's 3-5 is per whole quarter
)

CHAMPION_SATISFACTION = Kpi(
    id="champion_satisfaction",
    label="Champion satisfaction (survey)",
    theme=Theme.CHAMPIONS,
    description=(
        "The average answer, out of 5, of the champions who answered the satisfaction survey in the quarter, "
        "whether or not they were otherwise active. Each champion counts once, with their latest answer of "
        "the quarter, so a champion who answers twice does not weigh double. The guide's target is strict: "
        "above 4 out of 5, so an average of exactly 4.0 is not yet green. With few answers the figure moves "
        "a lot; look at n. So that no one's answer can be read, a business unit, team or champion with fewer "
        "answers than the setting `min_survey_answers` (3 by default) shows no value, nor a previous or "
        "year-ago value from a quarter with fewer answers; the organization's value is always shown. The "
        "limit: when a single unit is withheld, its average can still be worked out from the organization's "
        "and the other units'."
    ),
    unit=Unit.SCORE,
    scopes=(ORG, BU, TEAM, CHAMPION),
    window=Window.QUARTER,
    dated_by=(ACTIVITY,),
    query=Query(
        units=(
            "SELECT period, champion, team, business_unit, survey_sat FROM kpi_champ WHERE survey_sat IS NOT NULL"
        ),
        value="avg(survey_sat)",
        needs=("kpi_champ",),
    ),
    population=Population("champion{s} surveyed"),
    pages=(REVIEW,),
    target=Target(min=4.0, strict_min=True),
    target_source=GUIDE,
    guide_section=f'{CHAMPION_KPIS}: "> 4/5"',
    left_out_what=_who("surveyed champion", "whose team is unknown"),
    survey_based=True,
)

CHAMPION_TIME_ALLOCATION = Kpi(
    id="champion_time_allocation",
    label="Champion time allocation",
    theme=Theme.CHAMPIONS,
    description=(
        "The share of working time active champions give to the role: for each active champion, the hours "
        "logged in the quarter on any activity (surveys and programme days included; a blank is 0) divided "
        "by the hours of a working quarter (setting hours_per_quarter, 455 by default, a product default), "
        "then averaged over all active champions. A champion active only through a use case logged without "
        "hours counts as 0%, which pulls the average down: that is deliberate, unrecorded time cannot be "
        "shown. The guide asks for 10-20% of a champion's time."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM, CHAMPION),
    window=Window.QUARTER,
    dated_by=(ACTIVITY,),
    query=Query(
        units=(
            "SELECT c.period, c.champion, c.team, c.business_unit, c.hours / x.hours_per_quarter AS share "
            "FROM kpi_champ c CROSS JOIN kpi_context x WHERE c.active"
        ),
        value="avg(share)",
        needs=("kpi_champ",),
    ),
    population=Population("active champion{s}"),
    pages=(REVIEW,),
    target=Target(min=0.10, max=0.20),
    target_source=GUIDE,
    guide_section='AI Champions Network › Profil du champion ideal: "10-20% de son temps"',
    left_out_what=_who("active champion", "whose team is unknown"),
    accumulates_in_quarter=True,  # hours summed over Q ÷ a whole quarter's hours
)

CHAMPION_PROGRAMME_COMPLETION = Kpi(
    id="champion_programme_completion",
    label="Champion programme completion",
    theme=Theme.CHAMPIONS,
    description=(
        "Whether new champions complete the guide's 5-day programme within its 2 months. The cohort is the "
        "champions whose first programme day falls in the twelve months ending with the quarter and at least "
        "61 days before the quarter's end, so that everyone in it has had the full two months. A champion "
        "completes when they have programme days on 5 different dates within the 61 days that start with the "
        "first one (the first day is day 1, the last counted day is day 61). Champions count with their team "
        "at the end of the quarter. The guide gives the programme, not a completion target: 80% is a product "
        "default. Before twelve months of activity data exist the window is partial and the status is info."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU),
    window=Window.T4Q,
    dated_by=(ACTIVITY,),
    query=_share(
        """
        SELECT p.period, c.team, c.business_unit, g.days_within
        FROM kpi_periods p
        JOIN kpi_programme g ON g.first_day BETWEEN p.w_start AND p.q_end AND g.first_day + 61 <= p.q_end
        JOIN kpi_champ c ON c.period = p.period AND c.champion = g.champion_id
        """,
        "days_within >= 5",
        ("kpi_programme", "kpi_champ"),
    ),
    population=Population("champion{s} in the programme"),
    pages=(REVIEW,),
    target=Target(min=0.80),
    target_source=DEFAULT,
    guide_section="AI Champions Network › Programme de formation des champions (5 jours, sur 2 mois)",
    window_start_of=ACTIVITY,
    left_out_what=_who("champion", "whose team is unknown"),
)

MEETUP_PARTICIPATION = Kpi(
    id="meetup_participation",
    label="Meetup participation",
    theme=Theme.CHAMPIONS,
    description=(
        "The share of active champions who attended the network meetup on at least two different dates in "
        "the quarter. The guide's meetup is monthly, so two out of three is read as taking part regularly; "
        "several meetup rows on one day count once. The guide sets no figure, so there is no target and the "
        "status is always info: use it to spot a network that only meets on paper."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM),
    window=Window.QUARTER,
    dated_by=(ACTIVITY,),
    query=_share(
        "SELECT period, team, business_unit, meetup_days FROM kpi_champ WHERE active",
        "meetup_days >= 2",
        ("kpi_champ",),
    ),
    population=Population("active champion{s}"),
    pages=(REVIEW,),
    guide_section="AI Champions Network › Animation du reseau (Monthly meetup)",
    left_out_what=_who("active champion", "whose team is unknown"),
    accumulates_in_quarter=True,  # meetups on 2 distinct dates of Q: a monthly meetup needs the months
)

# --- pipeline & conversion ---------------------------------------------------------

USE_CASE_TO_POC_RATE = Kpi(
    id="use_case_to_poc_rate",
    label="Use case → PoC conversion",
    theme=Theme.PIPELINE,
    description=(
        "Of the use cases identified over the twelve months ending with the quarter, the share that had a "
        "PoC started by the quarter's end. It follows a cohort (use cases by identification date), not the "
        "PoCs started in the quarter, so each use case counts once however many PoCs it had, and rejected use "
        "cases stay in the cohort: rejection is one of the ways a case fails to convert. Recent use cases have "
        "had less time to convert, so the latest quarter tends to read a little low. The target is the "
        "guide's and strict: above 30%, so exactly 30% is amber. Before twelve months of use cases exist the "
        "window is partial and the status is info."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM, CHAMPION),
    window=Window.T4Q,
    dated_by=(IDENTIFIED, POC_START),
    query=_share(
        """
        SELECT p.period, u.team, u.business_unit, u.champion,
               coalesce(u.first_poc_start <= p.q_end, false) AS converted
        FROM kpi_periods p JOIN kpi_uc u ON u.identified_date BETWEEN p.w_start AND p.q_end
        """,
        "converted",
        ("kpi_uc",),
    ),
    population=Population("use case{s} identified in 12 months"),
    pages=(REVIEW, FUNNEL),
    target=Target(min=0.30, strict_min=True),
    target_source=GUIDE,
    guide_section=f'{CHAMPION_KPIS}: "Taux de conversion cas d\'usage -> PoC > 30%"',
    window_start_of=IDENTIFIED,
    left_out_what=_who("use case", "whose team is unknown"),
)

POC_TO_PRODUCTION_RATE = Kpi(
    id="poc_to_production_rate",
    label="PoC → production conversion",
    theme=Theme.PIPELINE,
    description=(
        "Of the PoCs that reached a verdict in the twelve months ending with the quarter, the share that went "
        "to production. A PoC concludes on its production date (production) or on its end date (stopped); "
        "PoCs still running are not in it, since they have not succeeded or failed yet. A PoC whose use case "
        "is missing from the store still counts for the organization, but cannot be placed in a breakdown. "
        "The guide's target is strict: above 50%. Before twelve months of PoCs exist the window is partial "
        "and the status is info."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM, CHAMPION),
    window=Window.T4Q,
    dated_by=(PRODUCTION, STOPPED),
    query=_share(
        """
        SELECT p.period, c.team, c.business_unit, c.champion, c.outcome = 'production' AS produced
        FROM kpi_periods p JOIN kpi_poc c ON c.concluded BETWEEN p.w_start AND p.q_end
        """,
        "produced",
        ("kpi_poc",),
    ),
    population=Population("PoC{s} concluded in 12 months"),
    pages=(REVIEW, FUNNEL),
    target=Target(min=0.50, strict_min=True),
    target_source=GUIDE,
    guide_section=f'{CHAMPION_KPIS}: "Taux de conversion PoC -> Production > 50%"',
    window_start_of=POC_START,
    left_out_what=_who("PoC", "whose use case or team is unknown"),
)


def _queue_green_when_empty(agg: Aggregates, _: Context) -> Status | None:
    return Status.GREEN if agg["n"] == 0 and not agg["empty"] else None


def _queue_note(agg: Aggregates, _: Context) -> str | None:
    return "no qualified use case waiting" if agg["n"] == 0 and not agg["empty"] else None


DEMAND_QUEUE_MONTHS = Kpi(
    id="demand_queue_months",
    label="Demand queue (median wait)",
    theme=Theme.PIPELINE,
    description=(
        "How long qualified demand waits for an AI team: at the quarter's end, the queue holds the use cases "
        "qualified into a backlog that have neither a PoC started nor been rejected; the value is the median "
        "of their waiting time since qualification, in months of 30.44 days. The median keeps one forgotten "
        "request from hiding an otherwise short queue. An empty queue is good news: the value is blank and "
        "the status green, with the note 'no qualified use case waiting', as long as the scope has any use "
        "case at all; without any it is no data. Lower is better: the guide names a queue longer than 3 "
        "months as a sign that a centralized team has become a bottleneck. Also shown per AI team, from the "
        "use case's AI team (blank: unassigned)."
    ),
    unit=Unit.MONTHS,
    scopes=(ORG, BU, TEAM, AI_TEAM),
    window=Window.END_OF_QUARTER,
    dated_by=(QUALIFIED, POC_START),
    query=Query(
        units="""
            SELECT p.period, u.team, u.business_unit, u.ai_team, u.use_case_id, u.qualified_date,
                   coalesce(u.qualified_date <= p.q_end, false)
                   AND NOT coalesce(u.first_poc_start <= p.q_end, false)
                   AND NOT coalesce(u.rejected_date <= p.q_end, false) AS waiting,
                   (p.q_end - u.qualified_date) / x.days_per_month AS age_months
            FROM kpi_periods p CROSS JOIN kpi_context x
            JOIN kpi_uc u ON u.identified_date <= p.q_end
        """,
        value="quantile_cont(age_months, 0.5) FILTER (waiting)",
        n="count(*) FILTER (waiting)",
        left_out="count(*) FILTER (waiting)",
        needs=("kpi_uc",),
    ),
    population=Population("use case{s} waiting"),
    pages=(REVIEW,),
    target=Target(max=3),
    target_source=GUIDE,
    guide_section=f'{CENTRALIZED_TRANSITION}: "File d\'attente de demandes > 3 mois"',
    left_out_what=_who("waiting use case", "whose team (or AI team) is unknown"),
    note=_queue_note,
    forced_status=_queue_green_when_empty,
    advisor_input=True,
)

BRIEFING_COMPLETENESS = Kpi(
    id="briefing_completeness",
    label="Complete briefings",
    theme=Theme.PIPELINE,
    description=(
        "Of the use cases qualified in the quarter, the share whose briefing has all five fields the guide "
        "requires: problem, expected KPIs, data sources, constraints and sponsor. A field counts as filled "
        "when it is not blank; placeholders such as '-' are taken at face value, so the figure is an upper "
        "bound of briefing quality. The guide asks for every request to carry them (100%)."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM, CHAMPION),
    window=Window.QUARTER,
    dated_by=(QUALIFIED,),
    query=_share(
        """
        SELECT p.period, u.team, u.business_unit, u.champion, u.briefing_complete
        FROM kpi_periods p JOIN kpi_uc u ON u.qualified_date BETWEEN p.q_start AND p.q_end
        """,
        "briefing_complete",
        ("kpi_uc",),
    ),
    population=Population("use case{s} qualified"),
    pages=(REVIEW,),
    target=Target(min=1.0),
    target_source=GUIDE,
    guide_section="Collaboration Patterns › Bonnes pratiques transverses: Briefing structure",
    left_out_what=_who("use case", "whose team is unknown"),
)

# --- adoption ------------------------------------------------------------------------

ADOPTION_UNITS = """
    WITH usage AS (
        SELECT p.period, a.poc_id, max(a.month) AS month,
               arg_max(a.active_users, a.month) AS active_users, arg_max(a.target_users, a.month) AS target_users,
               arg_max(least(a.active_users / a.target_users, 1.0::DOUBLE), a.month) AS ratio
        FROM kpi_periods p
        JOIN adoption a ON a.month BETWEEN p.q_start AND p.q_end
        JOIN kpi_poc c ON c.poc_id = a.poc_id AND c.outcome = 'production'
                      AND a.month >= date_trunc('month', c.production_date)
        GROUP BY ALL
    )
    SELECT p.period, c.team, c.business_unit, c.poc_id, usage.month, usage.active_users, usage.target_users,
           usage.ratio
    FROM kpi_periods p
    JOIN kpi_poc c ON c.outcome = 'production' AND c.production_date <= p.q_end
    LEFT JOIN usage ON usage.period = p.period AND usage.poc_id = c.poc_id
"""


def _without_usage_note(agg: Aggregates, _: Context) -> str | None:
    missing = agg.get("without_usage") or 0
    return f"{_plural(missing, 'solution')} without usage data" if missing else None


ADOPTION_RATE = Kpi(
    id="adoption_rate",
    label="Adoption of deployed solutions",
    theme=Theme.ADOPTION,
    description=(
        "How much the AI solutions in production are used. For each PoC in production by the quarter's end "
        "that reported usage in the quarter, take its latest month of the quarter and the ratio of active to "
        "target users, capped at 100% so that one over-used tool cannot mask an unused one; the value is the "
        "average of those ratios. Solutions in production with no usage row in the quarter are not counted "
        "as 0%: they are named in the note ('3 solutions without usage data'), because missing reporting is "
        "a data problem, not proof of non-use. Usage reported before the production month, or for PoCs not "
        "in production, is ignored. The guide's target is strict: above 70%; its transition indicators also "
        "read below 50% as a sign of disconnection from the business."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM),
    window=Window.QUARTER,
    dated_by=(USAGE_MONTH, PRODUCTION),
    query=Query(
        units=ADOPTION_UNITS,
        value="avg(ratio)",
        n="count(ratio)",
        empty="count(ratio) = 0",
        left_out="count(*)",
        extras=(("without_usage", "count(*) - count(ratio)"),),
        needs=("kpi_poc",),
    ),
    population=Population("solution{s} with usage data"),
    pages=(REVIEW,),
    target=Target(min=0.70, strict_min=True),
    target_source=GUIDE,
    guide_section=f'{CHAMPION_KPIS}: "Taux d\'adoption des solutions IA deployes > 70%"',
    left_out_what=_who("solution", "whose use case or team is unknown"),
    note=_without_usage_note,
    advisor_input=True,
)

# --- organization ----------------------------------------------------------------------


def _spoke_note(agg: Aggregates, ctx: Context) -> str | None:
    if agg.get("has_band") or agg["empty"]:
        return None
    return f"the guide gives no spoke size for the {ctx.model.phrase} model"  # words, not the setting's identifier


SPOKE_STAFFING = Kpi(
    id="spoke_staffing",
    label="AI spokes staffed to size",
    theme=Theme.ORGANIZATION,
    description=(
        "The share of AI spoke teams (AI teams embedded in a business unit) whose AI staff is within the "
        "size the guide draws for the organization's model: 2 to 5 people under hub & spoke, 5 to 15 under "
        "the federated model. The model is the declared one (setting declared_model), else the one the teams "
        "show. Under other models the guide gives no spoke size: the value is blank and the status info. "
        "Teams carry no dates, so the figure describes the current structure whatever the quarter, with no "
        "previous or year-ago value. The target is every spoke in its band (100%)."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU),
    window=Window.CURRENT,
    dated_by=(),
    query=Query(
        units="""
            SELECT p.period, t.team_id AS team, t.business_unit,
                   CASE WHEN x.spoke_lo IS NOT NULL THEN t.ai_staff BETWEEN x.spoke_lo AND x.spoke_hi END AS in_band
            FROM kpi_periods p CROSS JOIN kpi_context x JOIN teams t ON t.team_kind = 'ai_spoke'
        """,
        value="avg(in_band::INT)",
        numerator="CASE WHEN count(in_band) > 0 THEN count(*) FILTER (in_band) END",
        denominator="count(*)",
        extras=(("has_band", "count(in_band) > 0"),),
    ),
    population=Population("AI spoke{s}"),
    pages=(REVIEW, HUB_SPOKE),
    targets_by_model=((OrgModel.HUB_SPOKE, Target(min=1.0)), (OrgModel.FEDERATED, Target(min=1.0))),
    target_source=GUIDE,
    guide_section=(
        'Modele 2 — Hub & Spoke › Schema organisationnel: "DS+MLE (2-5)"; '
        'Modele 3 — Federe › Schema organisationnel: "AI Team (5-15)"'
    ),
    guide_sections_by_model=(
        (OrgModel.HUB_SPOKE, 'Modele 2 — Hub & Spoke › Schema organisationnel: "DS+MLE (2-5)"'),
        (OrgModel.FEDERATED, 'Modele 3 — Federe › Schema organisationnel: "AI Team (5-15)"'),
    ),
    note=_spoke_note,
)


def _model_target_note(*models: OrgModel) -> NoteHook:
    """A note saying the KPI has no target under the current model, when it has none."""

    def note(agg: Aggregates, ctx: Context) -> str | None:
        if agg["empty"] or ctx.model in models:
            return None
        return f"no target under the {ctx.model.phrase} model"  # words, not the setting's identifier

    return note


HUB_SIZE = Kpi(
    id="hub_size",
    label="AI hub size",
    theme=Theme.ORGANIZATION,
    description=(
        "Everyone in the central AI hub (the CoE): the headcount of the ai_hub teams, 0 when there is none. "
        "Only an empty teams file gives no data. The guide warns that a centralized team struggles to grow "
        "beyond 15-20 people without fragmenting, so under the centralized model the target is at most 15, "
        "16 to 20 is amber whatever the amber tolerance (the guide's own range), and above 20 is red. Under "
        "other models a large hub is expected and there is no target. Teams carry no dates: the figure is "
        "the current structure, with no previous or year-ago value."
    ),
    unit=Unit.PEOPLE,
    scopes=(ORG,),
    window=Window.CURRENT,
    dated_by=(),
    query=Query(
        units="SELECT p.period, t.team_kind, t.headcount FROM kpi_periods p CROSS JOIN teams t",
        value="coalesce(sum(headcount) FILTER (team_kind = 'ai_hub'), 0)",
        n="count(*) FILTER (team_kind = 'ai_hub')",
    ),
    population=Population("hub team{s}"),
    pages=(REVIEW, HUB_SPOKE),
    targets_by_model=((OrgModel.CENTRALIZED, Target(max=15, amber_max=20)),),
    target_source=GUIDE,
    guide_section='Modele 1 — Centralise › Inconvenients: "difficulte a scaler au-dela de 15-20 personnes"',
    note=_model_target_note(OrgModel.CENTRALIZED),
)

SHADOW_AI_TEAMS = Kpi(
    id="shadow_ai_teams",
    label="Business teams with their own AI staff",
    theme=Theme.ORGANIZATION,
    description=(
        "The number of business teams that employ AI staff of their own (ai_staff above 0), the guide's "
        "'shadow AI': business units starting to hire their own data scientists. Under the centralized and "
        "hub & spoke models this is a warning sign and the target is 0, with no amber zone: one such team is "
        "red. Under the federated and embedded models AI staff in business teams is the design, so there is "
        "no target. Lower is better. Teams carry no dates: the figure is the current structure, with no "
        "previous or year-ago value; only an empty teams file gives no data."
    ),
    unit=Unit.TEAMS,
    scopes=(ORG, BU),
    window=Window.CURRENT,
    dated_by=(),
    query=Query(
        units="SELECT p.period, t.business_unit, t.team_kind, t.ai_staff FROM kpi_periods p CROSS JOIN teams t",
        value="count(*) FILTER (team_kind = 'business' AND ai_staff > 0)",
        n="count(*) FILTER (team_kind = 'business')",
    ),
    population=Population("business team{s}"),
    pages=(REVIEW, HUB_SPOKE),
    targets_by_model=((OrgModel.CENTRALIZED, Target(max=0)), (OrgModel.HUB_SPOKE, Target(max=0))),
    target_source=GUIDE,
    guide_section=f'{CENTRALIZED_TRANSITION}: "BU commencant a recruter leurs propres data scientists"',
    note=_model_target_note(OrgModel.CENTRALIZED, OrgModel.HUB_SPOKE),
    advisor_input=True,
)

# --- training & skills -----------------------------------------------------------------

TRAINING_UNITS = """
    SELECT p.period, r.team, r.business_unit, r.employee_id, r.format, r.hours, r.cost_eur
    FROM kpi_periods p JOIN kpi_training r ON r.date BETWEEN p.w_start AND p.q_end
"""

TRAINING_SPEND_PER_LEARNER = Kpi(
    id="training_spend_per_learner",
    label="Training spend per learner (12 months)",
    theme=Theme.SKILLS,
    description=(
        "Training money spent over the twelve months ending with the quarter, divided by the number of "
        "different people trained in that window (records at 0 EUR, such as internal courses, count as "
        "learners). The guide gives a yearly individual budget of 2,000 to 5,000 EUR; measuring it per person "
        "actually trained over twelve months is this product's reading. Records are placed with their own "
        "team; records of teams missing from teams.csv form an 'unknown team' group in breakdowns. A learner "
        "trained in two teams counts as a learner in each. Before twelve months of training data exist the "
        "window is partial and the status is info."
    ),
    unit=Unit.EUR,
    scopes=(ORG, BU, TEAM),
    window=Window.T4Q,
    dated_by=(TRAINING,),
    query=Query(
        units=TRAINING_UNITS,
        value="sum(cost_eur) / CASE WHEN count(DISTINCT employee_id) > 0 THEN count(DISTINCT employee_id) END",
        n="count(DISTINCT employee_id)",
        numerator="coalesce(sum(cost_eur), 0)",
        denominator="count(DISTINCT employee_id)",
        needs=("kpi_training",),
    ),
    population=Population("learner{s} in 12 months", "EUR"),
    pages=(REVIEW, SKILLS),
    target=Target(min=2000, max=5000),
    target_source=GUIDE,
    guide_section=f'{TRAINING_MODES}: "Budget individuel … par personne (2000-5000 EUR)"',
    window_start_of=TRAINING,
    unknown_team_group=True,
)

PRACTICE_SHARE = Kpi(
    id="practice_share",
    label="Practice share of training hours",
    theme=Theme.SKILLS,
    description=(
        "Hours of practice divided by all training hours over the twelve months ending with the quarter. The "
        "guide recommends learning by doing, 30% theory and 70% practice, so the target is at least 70% "
        "(not strict). The population is the training records of the window; records without hours weigh "
        "nothing; hours with no practice read 0% (red), and only when there are no hours at all is there no "
        "data. Breakdowns place records with their own team, with an 'unknown team' group. Before twelve "
        "months of training data exist the window is partial and the status is info."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM),
    window=Window.T4Q,
    dated_by=(TRAINING,),
    query=Query(
        units=TRAINING_UNITS,
        # no practice row is 0 hours of practice: a theory-only scope reads 0%, not "no value"
        value="coalesce(sum(hours) FILTER (format = 'practice'), 0) / CASE WHEN sum(hours) > 0 THEN sum(hours) END",
        numerator="coalesce(sum(hours) FILTER (format = 'practice'), 0)",
        denominator="coalesce(sum(hours), 0)",
        empty="coalesce(sum(hours), 0) = 0",
        needs=("kpi_training",),
    ),
    population=Population("training hours", "practice hours"),
    pages=(REVIEW, SKILLS),
    target=Target(min=0.70),
    target_source=GUIDE,
    guide_section=f'{TRAINING_MODES}: "30% theorie, 70% pratique"',
    window_start_of=TRAINING,
    unknown_team_group=True,
)

UPSKILLING_ON_TRACK = Kpi(
    id="upskilling_on_track",
    label="Reconversion paths on track",
    theme=Theme.SKILLS,
    description=(
        "Of the reconversion paths in progress during the quarter, the share within the guide's duration. A "
        "path is one person on one path, built from all their rows with it: started at the earliest start "
        "date, completed at the latest completion date, placed with the team of their latest row. It is in "
        "progress during the quarter when it started by the quarter's end and was not completed before the "
        "quarter began. It is on track when it was completed by the quarter's end within the path's maximum "
        "duration (e.g. 12 months from backend developer to ML engineer, 6 from fullstack to AI engineer), or "
        "is still open at the quarter's end and has not yet run past that maximum. Months are days / 30.44. "
        "The durations are the guide's; the 80% target is a product default."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM),
    window=Window.END_OF_QUARTER,
    dated_by=(PATH_DATES,),
    query=_share(
        """
        SELECT p.period, a.team, a.business_unit,
               CASE WHEN a.completed_date <= p.q_end
                    THEN (a.completed_date - a.start_date) / x.days_per_month <= a.max_months
                    ELSE (p.q_end - a.start_date) / x.days_per_month <= a.max_months END AS on_track
        FROM kpi_periods p CROSS JOIN kpi_context x
        JOIN kpi_paths a ON a.start_date <= p.q_end AND (a.completed_date IS NULL OR a.completed_date >= p.q_start)
        """,
        "on_track",
        ("kpi_paths",),
    ),
    population=Population("reconversion path{s} in progress"),
    pages=(REVIEW, SKILLS),
    target=Target(min=0.80),
    target_source=DEFAULT,
    guide_section="Upskilling & Talent Development › Pour les equipes existantes (reconversion): durations",
    unknown_team_group=True,
)

_CORE_ROLES_SQL = ", ".join(f"'{role}'" for role in CORE_ROLES)


def _skills_note(agg: Aggregates, _: Context) -> str:
    """Who was assessed against the AI staff of teams.csv, worded so that the figures add up: "24 of the 30
    AI staff in teams.csv are assessed (…); 5 more people in other roles are assessed too"."""
    core, staff, other = agg.get("core") or 0, agg.get("ai_staff") or 0, agg.get("other") or 0
    roles = "data scientists, ML and AI engineers"
    if core == staff == 0:
        note = f"teams.csv declares no AI staff ({roles})"
    elif core > staff:
        note = f"{core} AI staff are assessed ({roles}), more than the {staff} in teams.csv"
    else:
        note = f"{core} of the {staff} AI staff in teams.csv {'is' if core == 1 else 'are'} assessed ({roles})"
    if other == 1:
        note += "; 1 more person in another role is assessed too"
    elif other:
        note += f"; {other} more people in other roles are assessed too"
    return note


SKILLS_COVERAGE = Kpi(
    id="skills_coverage",
    label="Skills coverage",
    theme=Theme.SKILLS,
    description=(
        "How well assessed people meet the competency framework: over every pair of an assessed employee and "
        "a skill their role requires, the share where their level reaches the level required at their "
        "seniority (junior 1, mid 2, senior 3, staff and principal 4, a product default read from the guide's "
        "seniority table). A required skill never assessed counts as level 0, so gaps in the assessment show "
        "as gaps. Each employee counts with the role, seniority and team of their most recent assessment. "
        "The note compares who was assessed with the AI staff declared in teams.csv ('12 of the 30 AI staff "
        "in teams.csv are assessed'), counting data scientists, ML and AI engineers, and says how many more "
        "people in other AI roles were assessed. Assessments carry no quarter: the figure is current, with no "
        "previous or year-ago value. The guide sets no coverage figure: no target, status info."
    ),
    unit=Unit.PERCENT,
    scopes=(ORG, BU, TEAM),
    window=Window.CURRENT,
    dated_by=(),
    query=Query(
        units=f"""
            SELECT p.period, 'pair' AS kind, s.team, s.business_unit, s.level >= s.required AS met,
                   NULL::BOOLEAN AS core, NULL::BIGINT AS ai_staff
            FROM kpi_periods p CROSS JOIN kpi_skill_pairs s
            UNION ALL
            SELECT p.period, 'employee', e.team, e.business_unit, NULL, e.role IN ({_CORE_ROLES_SQL}), NULL
            FROM kpi_periods p CROSS JOIN kpi_employees e
            UNION ALL
            SELECT p.period, 'team', t.team_id, t.business_unit, NULL, NULL, t.ai_staff
            FROM kpi_periods p CROSS JOIN teams t
        """,
        value="avg(met::INT) FILTER (kind = 'pair')",
        n="count(*) FILTER (kind = 'pair')",
        numerator="count(*) FILTER (kind = 'pair' AND met)",
        denominator="count(*) FILTER (kind = 'pair')",
        empty="count(*) FILTER (kind = 'pair') = 0",
        left_out="count(*) FILTER (kind = 'employee')",
        extras=(
            ("core", "count(*) FILTER (kind = 'employee' AND core)"),
            ("other", "count(*) FILTER (kind = 'employee' AND NOT core)"),
            ("ai_staff", "coalesce(sum(ai_staff) FILTER (kind = 'team'), 0)"),
        ),
        needs=("kpi_skill_pairs", "kpi_employees"),
    ),
    population=Population("required skill pair{s}"),
    pages=(REVIEW, SKILLS),
    guide_section="Roles IA — Definitions et Competences; Career Paths & Compensation › Competences par seniority",
    left_out_what=_who("employee", "whose team is unknown"),
    note=_skills_note,
)

KPIS: tuple[Kpi, ...] = (
    CHAMPIONS_PER_BUSINESS_TEAM,
    BUSINESS_TEAMS_IN_CHAMPION_BAND,
    USE_CASES_PER_CHAMPION,
    CHAMPION_SATISFACTION,
    CHAMPION_TIME_ALLOCATION,
    CHAMPION_PROGRAMME_COMPLETION,
    MEETUP_PARTICIPATION,
    USE_CASE_TO_POC_RATE,
    POC_TO_PRODUCTION_RATE,
    DEMAND_QUEUE_MONTHS,
    BRIEFING_COMPLETENESS,
    ADOPTION_RATE,
    SPOKE_STAFFING,
    HUB_SIZE,
    SHADOW_AI_TEAMS,
    TRAINING_SPEND_PER_LEARNER,
    PRACTICE_SHARE,
    UPSKILLING_ON_TRACK,
    SKILLS_COVERAGE,
)

BY_ID: dict[str, Kpi] = {k.id: k for k in KPIS}
# The KPIs whose organization values the org-model advisor reads.
ADVISOR_INPUTS: tuple[str, ...] = tuple(k.id for k in KPIS if k.advisor_input)


def kpis_on(page: Page) -> tuple[Kpi, ...]:
    """The KPIs whose cards `page` shows, in registry order."""
    return tuple(k for k in KPIS if page in k.pages)


def kpi(kpi_id: str) -> Kpi:
    """The KPI called `kpi_id`; KeyError names the known ones."""
    try:
        return BY_ID[kpi_id]
    except KeyError:
        raise KeyError(f"unknown KPI '{kpi_id}'; known: {', '.join(BY_ID)}") from None
