"""The champions look-up the funnel's champion picker reads: each champion's name and the team (and
business unit) they represent at the end of the quarter, by the KPIs' rule (latest activity row, else
latest use case identified). Quarter 2026-Q1 (end 2026-03-31); teams T1, T2 in Retail, T3 in Corporate.

| champion | rows ≤ end of Q                                                   | team at end of Q           |
|----------|-------------------------------------------------------------------|----------------------------|
| C1       | activity 01-10 T1 "Ann"; activity 02-01 T3, blank name            | T3 (latest activity), Ann  |
| C2       | use cases 01-05 T2, 02-10 T1; no activity                         | T1 (latest use case)       |
| C3       | activity 01-15 T2 "Cy"; use case 03-01 T3                         | T2 (activity before use case) |
| C4       | activity 04-02 T1 (after Q)                                       | not listed                 |
| C5       | two activities on 03-20: key A1 T1, key A2 T3 "Eve"              | T3 (larger key that day)   |
| C6       | activity 01-20 in team GHOST (not in teams.csv) "Bo"             | unknown: None, None        |
"""

from __future__ import annotations

from kpi_fixtures import activity, make_store, use_case
from orgrows import team

from aiorg_metrics.analysis.directory import champions
from aiorg_metrics.common.periods import Quarter


def test_champions_carry_the_team_they_represent_at_the_end_of_the_quarter(tmp_path):
    store = make_store(
        tmp_path,
        teams=[team("T1", bu="Retail"), team("T2", bu="Retail"), team("T3", bu="Corporate")],
        champion_activity=[
            activity("2026-01-10", "C1", "T1", champion_name="Ann"),
            activity("2026-02-01", "C1", "T3", champion_name=" "),
            activity("2026-01-15", "C3", "T2", champion_name="Cy"),
            activity("2026-04-02", "C4", "T1", champion_name="Dan"),
            activity("2026-03-20", "C5", "T1", _key="A1"),
            activity("2026-03-20", "C5", "T3", champion_name="Eve", _key="A2"),
            activity("2026-01-20", "C6", "GHOST", champion_name="Bo"),
        ],
        use_cases=[
            use_case("U1", "2026-01-05", "T2", champion="C2"),
            use_case("U2", "2026-02-10", "T1", champion="C2"),
            use_case("U3", "2026-03-01", "T3", champion="C3"),
        ],
    )
    with store.reading() as cur:
        frame = champions(cur, Quarter(2026, 1))
    rows = [tuple(None if v != v else v for v in row) for row in frame.itertuples(index=False, name=None)]
    assert rows == [
        ("C1", "Ann", "T3", "Corporate"),
        ("C6", "Bo", None, None),
        ("C3", "Cy", "T2", "Retail"),
        ("C5", "Eve", "T3", "Corporate"),
        ("C2", None, "T1", "Retail"),
    ]
