"""The ingest's fast paths (issue 13) decide exactly as the checks they stand for."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pytest

from aiorg_metrics.common.textchars import CONTROL
from aiorg_metrics.ingestion.dialect import Dialect, date_sql
from aiorg_metrics.ingestion.reader import (
    CHUNK_BYTES,
    UTF8_MULTIBYTE,
    _holds_control,
    _HoldsMultibyte,
    _write,
    prepare,
)


def _has_multibyte(data: bytes) -> bool:
    """Whether the cp1252/latin-1 pass over `data` finds a UTF-8 multi-byte sequence (latin-1 decodes
    every byte, so only that check can stop it)."""
    try:
        _write(io.BytesIO(data), io.BytesIO(), "latin-1", "x.csv", refuse_multibyte=True)
    except _HoldsMultibyte:
        return True
    return False


@pytest.mark.parametrize(
    "data",
    [
        b"Fran\xe7ois;Lef\xe8vre\r\n" * 10,  # cp1252: no UTF-8 sequence
        b"Fran\xc3\xa7ois;" + b"Lef\xe8vre",  # one valid sequence among cp1252 bytes
        b"\xe1\x80A\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80",  # truncated, overlong, surrogate, above U+10FFFF
        b"\xf0\x9f\x98\x80",  # a 4-byte sequence
    ],
)
def test_multibyte_check_agrees_with_the_pattern(data: bytes) -> None:
    assert _has_multibyte(data) is bool(UTF8_MULTIBYTE.search(data))


def test_multibyte_check_finds_a_sequence_across_two_chunks() -> None:
    data = b"a" * (CHUNK_BYTES - 1) + "é".encode() + b"\xe9"
    assert _has_multibyte(data) is True
    assert _has_multibyte(b"a" * (CHUNK_BYTES - 1) + b"\xe9\xe8") is False


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("Chloé;Zoë;3,5;€;\u00a0;\u202f;\t", False),
        ("bell\x07", True),
        ("delete\x7f", True),
        ("next line\x85", True),  # a C1 control: 0xC2 0x85 in UTF-8
        ("\x9f", True),
        ("\xa0\xbf", False),  # 0xC2 0xA0 and 0xC2 0xBF are text
    ],
)
def test_control_check_agrees_with_the_pattern(text: str, holds: bool) -> None:
    assert bool(CONTROL.search(text)) is holds
    assert _holds_control(text.encode("utf-8")) is holds


def test_prepare_says_whether_the_file_holds_a_control_character(tmp_path: Path) -> None:
    plain = prepare(b"team_id,name\nT1,Chlo\xc3\xa9\n", "a.csv", tmp_path, 1)
    control = prepare(b"team_id,name\nT1,Chlo\x1be\n", "b.csv", tmp_path, 1)
    assert (plain.has_control, control.has_control) == (False, True)


def _dialect(slash: bool, iso: bool) -> Dialect:
    return Dialect("UTF-8", "','-separated", False, False, slash_dates=slash, iso_dates=iso, timestamps=False)


VALUES = ["31/03/2026", "1/2/2026", "31/03/2026 10:00", "2026-03-31", "2026-03-31T10:00", "31-03-2026", " ", None]


def _canonical(expr_sql: str) -> list[str | None]:
    con = duckdb.connect()
    rows = con.execute(f"SELECT {expr_sql} FROM (SELECT unnest(?::VARCHAR[]) AS v, generate_subscripts(?, 1) AS i) "
                       "ORDER BY i", [VALUES, VALUES]).fetchall()
    return [r[0] for r in rows]


def test_date_text_for_the_forms_the_file_holds() -> None:
    every_form = ["2026-03-31", "2026-02-01", "2026-03-31", "2026-03-31", "2026-03-31", "31-03-2026", None, None]
    assert _canonical(date_sql("v")) == every_form
    assert _canonical(date_sql("v", _dialect(slash=True, iso=True))) == every_form
    # A file whose dates are all day-first, or all ISO: its values give the same text as with every form.
    day_first = _canonical(date_sql("v", _dialect(slash=True, iso=False)))
    assert day_first[:3] == every_form[:3]
    iso = _canonical(date_sql("v", _dialect(slash=False, iso=True)))
    assert iso[3:5] == every_form[3:5]
    assert _canonical(date_sql("v", _dialect(slash=False, iso=False)))[5] == "31-03-2026"
