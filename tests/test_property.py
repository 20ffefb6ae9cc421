"""Property-based: generated and mutated files never crash the importer.

Either the file loads, or it is rejected with a report; and rows in file = valid + invalid.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiorg_metrics.impact import BatchFile, preview_batch
from aiorg_metrics.ingest import ImportOptions
from aiorg_metrics.report import Outcome
from aiorg_metrics.settings import Settings
from aiorg_metrics.store import Store
from tests.ingest_helpers import TEAMS, load

HEADER = "record_id,date,employee_id,team_id,program,format,hours,cost_eur,path,path_start_date"
CELL = st.one_of(
    st.sampled_from(["", "2026-03-31", "31/03/2026", "2026-02-30", "12", "1 200,50", "3.5", "-1", "practice",
                     "THEORY", "B1", "analyst_to_ds", "€5", "$5", '"a,b"', "é’œ€", "=1+1", " x "]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)
ROW = st.lists(CELL, min_size=8, max_size=11)


def _csv(rows: list[list[str]], delimiter: str) -> str:
    header = HEADER.replace(",", delimiter)
    return header + "\n" + "\n".join(delimiter.join(r) for r in rows) + "\n"


@st.composite
def files(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    text = _csv(draw(st.lists(ROW, min_size=0, max_size=8)), delimiter)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    mutation = draw(st.sampled_from(["none", "truncate", "insert_byte", "drop_quote"]))
    if mutation == "truncate":
        data = data[:cut]
    elif mutation == "insert_byte":
        data = data[:cut] + bytes([draw(st.integers(0, 255))]) + data[cut:]
    elif mutation == "drop_quote":
        data = data.replace(b'"', b"", 1)
    return data


_STORE: dict[str, Store] = {}


def _store(tmp_path_factory) -> Store:
    if "s" not in _STORE:
        store = Store(Path(tmp_path_factory.mktemp("prop")) / "s.duckdb")
        load(store, TEAMS, "teams.csv")
        _STORE["s"] = store
    return _STORE["s"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=files())
def test_any_file_loads_or_is_rejected_cleanly(tmp_path_factory, data):
    store = _store(tmp_path_factory)
    options = ImportOptions(dataset="training_spend")
    report = preview_batch(store, [BatchFile("training.csv", data, options)], None, Settings())[0].report
    assert report.outcome in (Outcome.PREVIEW, Outcome.REJECTED)
    assert report.rows_in_file == report.valid + report.invalid
    if report.outcome is Outcome.REJECTED:
        assert report.errors, "a rejection always says why"
        assert all(p.reason for p in report.errors)
    with store.reading() as cur:
        assert cur.execute("SELECT count(*) FROM training_spend").fetchall()[0][0] == 0
