"""Property-based: generated and mutated files never crash the importer.

Either the file loads, or it is rejected with a report; and rows in file = valid + invalid.
The hostile shapes of issue 8 (CR-only line ends, long quoted values, NUL bytes, mixed
encodings) are either read or refused with a message naming their line.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiorg_metrics.analysis.impact import BatchFile, preview_batch
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import ImportOptions
from aiorg_metrics.ingestion.reader import MAX_FIELD_CHARS
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store.connection import Store
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
    mutation = draw(st.sampled_from(["none", "truncate", "insert_byte", "drop_quote", "cr_only", "nul"]))
    if mutation == "truncate":
        data = data[:cut]
    elif mutation == "insert_byte":
        data = data[:cut] + bytes([draw(st.integers(0, 255))]) + data[cut:]
    elif mutation == "drop_quote":
        data = data.replace(b'"', b"", 1)
    elif mutation == "cr_only":
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    elif mutation == "nul":
        data = data[:cut] + b"\x00" + data[cut:]
    return data


_STORE: dict[str, Store] = {}


def _store(tmp_path_factory, name: str = "s") -> Store:
    """A store holding TEAMS, one per `name` for the test process."""
    if name not in _STORE:
        store = Store(Path(tmp_path_factory.mktemp("prop")) / f"{name}.duckdb")
        load(store, TEAMS, "teams.csv")
        _STORE[name] = store
    return _STORE[name]


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


def _preview(tmp_path_factory, data: bytes):
    store = _store(tmp_path_factory)
    options = ImportOptions(dataset="training_spend")
    return preview_batch(store, [BatchFile("training.csv", data, options)], None, Settings())[0].report


def _lines_before(text: str) -> int:
    """The lines of `text` (ending with a line break) as an editor counts them: CRLF, LF or a lone CR."""
    return len(re.findall(r"\r\n|\r|\n", text))


LONG_ROW = "R1{d}2026-03-31{d}E1{d}B1{d}{program}{d}practice{d}3{d}12\n"
VALUE_LENGTHS = st.sampled_from([2, 1000, 200_000, MAX_FIELD_CHARS, MAX_FIELD_CHARS + 1])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ends=st.sampled_from(["\n", "\r\n", "\r"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    length=VALUE_LENGTHS,
    line_break=st.booleans(),
)
def test_line_ends_and_long_quoted_values_are_read_or_named(tmp_path_factory, ends, delimiter, length, line_break):
    inner = "é" * (length - 2) + ("\n" if line_break else "x") + '""'  # "" is read as one quote: `length` characters
    text = HEADER.replace(",", delimiter) + "\n" + LONG_ROW.format(d=delimiter, program=f'"{inner}"')
    report = _preview(tmp_path_factory, text.replace("\n", ends).encode("utf-8"))
    if length > MAX_FIELD_CHARS:
        assert report.outcome is Outcome.REJECTED
        assert report.errors[0].reason.startswith(f"Line 2: a value is longer than {MAX_FIELD_CHARS:,} characters")
    else:
        assert report.outcome is Outcome.PREVIEW, [p.as_text() for p in report.errors]
        assert report.rows_in_file == 1
        assert len(report.errors) == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=8, max_size=8), min_size=0, max_size=6),
       ends=st.sampled_from(["\n", "\r\n", "\r"]), shape=st.sampled_from(["nul", "mixed", "unclosed"]))
def test_nul_bytes_mixed_encodings_and_unclosed_quotes_are_refused_naming_their_line(
    tmp_path_factory, rows, ends, shape
):
    # No quote, delimiter, line break or control character in the cells before: only the shape under test.
    clean = [[re.sub(r'[\x00-\x1f\x7f-\x9f",;\u2028\u2029]', "", c) for c in row] for row in rows]
    before = (_csv(clean, ",") if clean else HEADER + "\n").replace("\n", ends)
    line = _lines_before(before) + 1
    good = "R8,2026-03-31,E1,B1,Crédit,practice,3,12" + ends
    if shape == "nul":
        data = before.encode("utf-8") + b"R9,2026-03-31,E1,B1,a\x00b,practice,3,12" + ends.encode()
        expected = f"training.csv: this is not a text CSV file: line {line} holds a NUL byte"
    elif shape == "mixed":
        data = before.encode("utf-8") + "R9,2026-03-31,E1,B1,Prêt,practice,3,12".encode("cp1252") + ends.encode()
        data += good.encode("utf-8")
        expected = f"training.csv: line {line} holds bytes that are not UTF-8"
    else:
        data = (before + 'R9,2026-03-31,E1,B1,"never closed,practice,3,12' + ends + good).encode("utf-8")
        expected = f'Line {line}: a quote (") opened here is never closed'
    report = _preview(tmp_path_factory, data)
    assert report.outcome is Outcome.REJECTED
    assert [p.reason[: len(expected)] for p in report.errors] == [expected]


YEARS = st.integers(min_value=1, max_value=9999)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.text(alphabet="0123456789", min_size=1, max_size=450),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=YEARS, month=st.integers(1, 12), day=st.integers(1, 28), hours=NUMBERS, cost=NUMBERS)
def test_dates_and_numbers_anywhere_are_stored_only_inside_their_bounds(
    tmp_path_factory, year, month, day, hours, cost
):
    """Whatever the year and the number, the file loads or is refused; nothing implausible is stored."""
    store = _store(tmp_path_factory, "bounds")  # replace mode: it holds at most the latest accepted row
    when = f"{year:04d}-{month:02d}-{day:02d}"
    text = HEADER.rsplit(",", 2)[0] + f"\nR1,{when},E1,B1,Course,theory,{hours},{cost}\n"
    report = load(store, text, "training.csv", dataset="training_spend", mode="replace", keep_sample=True)
    assert report.rows_in_file == report.valid + report.invalid == 1
    with store.reading() as cur:
        stored = cur.execute("SELECT date, hours, cost_eur FROM training_spend").fetchall()
    for stored_date, stored_hours, stored_cost in stored:
        assert date(2000, 1, 1) <= stored_date <= date(2027, 11, 29)  # AIORG_TODAY is pinned to 2026-11-29
        assert 0 <= stored_hours <= 10**4 and 0 <= stored_cost <= 10**12
