"""The reconversion timeline draws at most `PATHS_DRAWN` paths (issue 13): those most in need of attention,
with the exact totals of all the paths said in plain words."""

from __future__ import annotations

import pandas as pd

from aiorg_metrics.display.skills_view import PATHS_DRAWN, paths_to_draw


def _paths(rows: list[tuple[str, str, float | None, bool | None]]) -> pd.DataFrame:
    """(employee, status, elapsed months, on track) rows of skills.path_pairs, all on one path."""
    return pd.DataFrame({
        "employee_id": [r[0] for r in rows], "path": ["analyst_to_ds"] * len(rows),
        "status": [r[1] for r in rows], "elapsed_months": [r[2] for r in rows],
        "on_track": pd.array([r[3] for r in rows], dtype="boolean"),
    })


ROWS = [
    ("E1", "completed", 5.0, True),
    ("E2", "in_progress", 14.0, False),
    ("E3", "completed", 15.0, False),
    ("E4", "in_progress", 3.0, True),
    ("E5", "in_progress", 16.5, False),
    ("E6", "not_started", None, None),
    ("E7", "in_progress", 9.0, True),
]


def test_every_path_is_drawn_up_to_the_limit_and_nothing_is_said() -> None:
    paths = _paths(ROWS)
    drawn = paths_to_draw(paths, limit=7)
    assert drawn.note is None
    assert list(drawn.paths["employee_id"]) == ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]  # untouched
    assert PATHS_DRAWN == 50


def test_past_the_limit_the_paths_most_in_need_of_attention_are_drawn() -> None:
    drawn = paths_to_draw(_paths(ROWS), limit=4)
    # ongoing beyond the max, the longest first (E5 16.5, E2 14), then completed beyond the max (E3),
    # then ongoing within it, the longest first (E7 9 months before E4 3 months)
    assert list(drawn.paths["employee_id"]) == ["E5", "E2", "E3", "E7"]
    assert drawn.note == (
        "7 paths in all: 4 still in progress at the end of the quarter, 2 completed by then, 1 not started by then, "
        "3 beyond the guide's maximum. "
        "Too many to draw one bar each: the chart shows the 4 most in need of attention (beyond the guide's "
        "maximum first, ongoing before completed, the longest first); the table below lists every path."
    )


def test_the_note_leaves_out_paths_not_started_when_there_are_none() -> None:
    rows = [(f"E{i:04d}", "completed", 6.0, True) for i in range(1200)] + [("F1", "in_progress", 20.0, False)]
    drawn = paths_to_draw(_paths(rows))
    assert len(drawn.paths) == 50 and drawn.paths["employee_id"].iloc[0] == "F1"
    assert list(drawn.paths["employee_id"].iloc[1:3]) == ["E0000", "E0001"]  # ties: by employee
    assert drawn.note.startswith("1,201 paths in all: 1 still in progress at the end of the quarter, 1,200 completed "
                                 "by then, 1 beyond the guide's maximum. ")
    assert "the chart shows the 50 most in need of attention" in drawn.note
