"""Reading limits and CSV forms through the command line, in a process capped at 1 GB of address space.

Each case asserts the exit code, the message, that no traceback reaches the user, that a
refused file leaves the store as it was and that no upload copy is left behind. The Data
page's path (an upload already in memory) and the upload folder's housekeeping follow.
"""

from __future__ import annotations

import codecs
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from aiorg_metrics.analysis.impact import BatchFile, preview_batch
from aiorg_metrics.ingestion.ingest import ImportOptions
from aiorg_metrics.ingestion.reader import MAX_FIELD_CHARS
from aiorg_metrics.ingestion.uploads import guess
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store.connection import Store
from aiorg_metrics.store.upload_copies import STALE_SECONDS, clean_stale
from tests.conftest import ROOT
from tests.ingest_helpers import TEAMS, load

MEMORY_CAP = 1024**3
UC = "use_case_id,title,team_id,identified_date\n"
TEAMS_HEADER = TEAMS.split("\n", 1)[0]


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _ingest(db: Path, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), str(path)],
        capture_output=True, text=True, timeout=30, preexec_fn=_cap, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _rows(db: Path) -> dict[str, list[tuple]]:
    with Store(db).reading() as cur:
        return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ("teams", "use_cases")}


def _uc_rows(n: int) -> str:
    return "".join(f"U{i},Title {i},B1,2026-01-{i % 28 + 1:02d}\n" for i in range(1, n + 1))


def _wide_200kb(path: Path) -> None:
    path.write_text(TEAMS_HEADER + ",x" * 100_000 + "\n")


def _wide_15mb(path: Path) -> None:
    path.write_text(TEAMS_HEADER + "".join(f",{'x' * 150}{i:06d}" for i in range(100_000)) + "\n")


def _huge_sparse(path: Path) -> None:
    with path.open("wb") as f:
        f.write(TEAMS.encode())
        f.truncate(5 * 1024**3)  # 5 GB on paper, a few bytes on disk


def _write(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


REFUSED = [
    ("wide_200kb", _wide_200kb, "teams.csv: the header line has 100,006 columns; at most 1,000 are allowed."),
    ("wide_15mb", _wide_15mb, "teams.csv: the header line has more than 25,"),
    ("huge_5gb", _huge_sparse, "teams.csv: the file is 5120.0 MB, above the 200 MB limit."),
    ("long_name", _write((TEAMS_HEADER + "," + "n" * 5000 + "\n").encode()),
     "teams.csv: column 7 of the header line has a name of 5,000 characters; at most 1,000 are allowed."),
    ("value_over_1mib", _write((UC + _uc_rows(1) + f'U9,"{"t" * (MAX_FIELD_CHARS + 1)}",B1,2026-01-01\n').encode()),
     "ERROR file: Line 3: a value is longer than 1,048,576 characters (the limit)."),
    ("unquoted_value_over_1mib", _write((UC + "U9," + "t" * (MAX_FIELD_CHARS + 1) + ",B1,2026-01-01\n").encode()),
     "ERROR file: Line 2: a value is longer than 1,048,576 characters (the limit)."),
    ("unclosed_quote", _write((UC + _uc_rows(5) + 'U7,"never closed,B1,2026-01-01\n' + _uc_rows(3)).encode()),
     'ERROR file: Line 7: a quote (") opened here is never closed.'),
    ("text_after_quote", _write((UC + 'U1,"Title" one,B1,2026-01-01\n').encode()),
     "ERROR file: Line 2: a quoted value is followed by other text before the next delimiter."),
    ("cp1252_byte_in_utf8", _write(UC.encode() + "U1,Crédit,B1,2026-01-01\n".encode() + "U2,Prêt,B1,2026-01-01\n"
                                   .encode("cp1252")),
     "teams.csv: line 3 holds bytes that are not UTF-8, while the file is UTF-8 elsewhere"),
    ("nul_after_64kb", _write((UC + _uc_rows(4000)).encode() + b"U9,a\x00b,B1,2026-01-01\n"),
     "teams.csv: this is not a text CSV file: line 4002 holds a NUL byte (binary data)."),
    ("nul_in_utf16", _write(codecs.BOM_UTF16_LE + (UC + _uc_rows(1) + "U9,a\x00b,B1,2026-01-01\n").encode("utf-16-le")),
     "teams.csv: this is not a text CSV file: line 3 holds a NUL byte (binary data)."),
    ("unclosed_quote_in_header", _write(('"' + UC + _uc_rows(3)).encode()),
     'teams.csv: line 1, the header line, opens a quote (") in column 1 that is never closed. Remove that quote, '
     "or close it after the column name."),
    ("unclosed_quote_in_a_5mb_header", _write(b'use_case_id,"title,' + b"a," * 2_500_000),
     'teams.csv: line 1, the header line, opens a quote (") in column 2 that is never closed.'),
    ("control_characters_everywhere", _write((TEAMS_HEADER + "\n" + "".join(
        f"T{i},\x1b[31mTeam {i}\x1b[0m,Retail,business,10,1\n" for i in range(50))).encode()),
     "teams.csv: this does not look like a text CSV file: it holds many control characters (invisible codes, "
     "not text). The first is on line 2: the control character ESC (U+001B) in column team_name. Remove these "
     "characters from the values (Find and Replace), or export the data again as CSV."),
    ("control_character_in_a_value", _write((UC + _uc_rows(3) + "U9,Stray\x0btab,B1,2026-01-01\n").encode()),
     "ERROR line 5, column title, value 'Stray\\u000btab': This value holds the control character VT (U+000B), an "
     "invisible code that is not text. Remove it: re-type the value (or use Find and Replace) and export the file "
     "again."),
    ("column_twice", _write(b"use_case_id,title,team_id,identified_date, Title \nU1,a,B1,2026-01-01,b\n"),
     "ERROR file: The header line has the column title twice (columns 2 and 5). Keep one: remove or rename the other."),
    ("sep_line_other_delimiter", _write(("sep=|\n" + UC.replace(",", "|") + "U1|a|B1|2026-01-01\n").encode()),
     "teams.csv: line 1 says the values are separated by '|' (sep=|); only commas, semicolons and tabs are read."),
]


def _teams_store(tmp_path: Path) -> tuple[Path, dict]:
    """A store holding TEAMS, and its rows before the case."""
    db = tmp_path / "aiorg.duckdb"
    load(Store(db), TEAMS, "teams.csv")
    return db, _rows(db)


def _feed(db: Path, path: Path, writer) -> tuple[subprocess.CompletedProcess, str]:
    """Write the case's file and ingest it; (process, its whole output), never a traceback."""
    writer(path)
    done = _ingest(db, path)
    out = done.stdout + done.stderr
    assert "Traceback" not in out
    return done, out


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("case", "writer", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_file_over_a_limit_or_malformed_is_refused_with_its_line(tmp_path, case, writer, message):
    db, before = _teams_store(tmp_path)
    done, out = _feed(db, tmp_path / "teams.csv", writer)
    assert done.returncode == 1, out
    assert message in out
    assert "outcome: rejected, nothing stored" in out
    assert _rows(db) == before
    assert list((tmp_path / ".aiorg_uploads").rglob("*.csv")) == []


def _quoted_cell(path: Path) -> None:
    title = "a, \"quoted\"\r\nline é " * 50_000  # ~1 MB in one quoted cell, with delimiters and CRLF inside
    path.write_text(UC + 'U1,"' + title.replace('"', '""') + '",B1,2026-01-10\r\n', encoding="utf-8", newline="")


READ = [
    ("cr_only", _write((UC + _uc_rows(3)).replace("\n", "\r").encode()), "inserted 3", "UTF-8, ','-separated"),
    ("utf16le_without_bom", _write((UC + "U1,Crédit œuvre €,B1,2026-01-01\n").encode("utf-16-le")),
     "inserted 1", "UTF-16 (no byte-order mark), ','-separated"),
    ("utf16be_without_bom", _write((UC + "U1,Crédit œuvre €,B1,2026-01-01\r\n").encode("utf-16-be")),
     "inserted 1", "UTF-16 (no byte-order mark), ','-separated"),
    ("utf8_bom_on_cp1252", _write(codecs.BOM_UTF8 + (UC + "U1,Crédit œuvre €,B1,2026-01-01\n").encode("cp1252")),
     "inserted 1", "cp1252 (Windows/Excel) after a UTF-8 mark, ','-separated"),
    ("excel_sep_line", _write(("sep=;\r\n" + (UC + _uc_rows(3)).replace(",", ";")).encode()),
     "inserted 3", "UTF-8, ';'-separated (as its first line sep=; says)"),
    ("crlf_cp1252", _write((UC + "U1,Crédit œuvre €,B1,2026-01-01\n").replace("\n", "\r\n").encode("cp1252")),
     "inserted 1", "cp1252 (Windows/Excel), ','-separated"),
    ("quoted_1mb_cell", _quoted_cell, "inserted 1", "UTF-8, ','-separated"),
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("case", "writer", "counts", "read_as"), READ, ids=[c[0] for c in READ])
def test_every_line_end_and_long_quoted_values_are_read(tmp_path, case, writer, counts, read_as):
    db, _ = _teams_store(tmp_path)
    done, out = _feed(db, tmp_path / "uc.csv", writer)
    assert done.returncode == 0, out
    assert counts in out
    assert f"read as: {read_as}" in out
    titles = [r[1] for r in _rows(db)["use_cases"]]
    assert all("\r" not in t for t in titles)
    if case in ("crlf_cp1252", "utf16le_without_bom", "utf16be_without_bom", "utf8_bom_on_cp1252"):
        assert titles == ["Crédit œuvre €"]
    if case == "quoted_1mb_cell":
        assert titles[0].startswith('a, "quoted"\nline é a, "quoted"\nline é')
        assert len(titles[0]) == 19 * 50_000 - 1  # the last line break is trimmed with the value's spaces


@pytest.mark.timeout(30)
def test_the_data_page_refuses_a_wide_upload_from_memory_at_once(tmp_path):
    path = tmp_path / "teams.csv"
    _wide_15mb(path)
    data = path.read_bytes()
    store = Store(tmp_path / "aiorg.duckdb")
    problem = guess(data, "teams.csv").problem
    report = preview_batch(store, [BatchFile("teams.csv", data, ImportOptions())], None, Settings())[0].report
    assert problem.startswith("teams.csv: the header line has more than 25,")
    assert problem.endswith(" columns; at most 1,000 are allowed. Export only the columns the dataset needs.")
    assert [p.reason for p in report.errors] == [problem]
    assert list(store.upload_dir.iterdir()) == []


def _touch(path: Path, age: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("copy")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def _start_token(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]


def test_start_up_removes_copies_of_gone_processes_and_old_copies_only(tmp_path):
    root = tmp_path / ".aiorg_uploads"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = _touch(root / f"{gone.stdout.strip()}-123" / "a.csv", 10)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as live:
        try:
            folder = root / f"{live.pid}-{_start_token(live.pid)}"
            running = _touch(folder / "running.csv", 10)
            forgotten = _touch(folder / "forgotten.csv", STALE_SECONDS + 60)
            reused_pid = _touch(root / f"{live.pid}-1" / "b.csv", 10)  # same pid, another start: gone
            old_flat = _touch(root / "old.csv", STALE_SECONDS + 60)
            fresh_flat = _touch(root / "fresh.csv", 10)
            clean_stale(root)
        finally:
            live.kill()
    assert [p.exists() for p in (dead, running, forgotten, reused_pid, old_flat, fresh_flat)] == [
        False, True, False, False, False, True,
    ]
    assert not dead.parent.exists()


def test_duckdb_may_read_and_write_only_the_upload_folder(tmp_path):
    store = Store(tmp_path / "aiorg.duckdb")
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    with store.reading() as cur:
        inside = store.upload_dir / "inside.csv"
        inside.write_text("a\n1\n")
        assert cur.execute("SELECT count(*) FROM read_csv(?)", [str(inside)]).fetchall() == [(1,)]
        inside.unlink()
        with pytest.raises(duckdb.PermissionException):
            cur.execute("SELECT * FROM read_csv(?)", [str(outside)])
        with pytest.raises(duckdb.PermissionException):
            cur.execute(f"COPY (SELECT 1) TO '{tmp_path / 'written.csv'}'")
    assert not (tmp_path / "written.csv").exists()
    assert store.upload_dir.parent == tmp_path / ".aiorg_uploads"
    assert store.upload_dir.name.startswith(f"{os.getpid()}-")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("blank_lines", [0, 100_000])
def test_a_file_without_data_rows_says_so(tmp_path, blank_lines):
    db = tmp_path / "aiorg.duckdb"
    load(Store(db), TEAMS, "teams.csv")
    before = _rows(db)
    path = tmp_path / "uc.csv"
    path.write_text(UC + "\n" * blank_lines)
    done = _ingest(db, path)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "rows in file 0, valid 0, invalid 0, inserted 0" in out
    assert "outcome: the file has no data rows: nothing to import" in out
    assert "already holds" not in out
    assert _rows(db) == before


def test_a_thousand_column_file_lists_twenty_extra_columns_then_counts_the_rest(tmp_path):
    db = tmp_path / "aiorg.duckdb"
    load(Store(db), TEAMS, "teams.csv")
    path = tmp_path / "uc.csv"
    extra = [f"x{i}" for i in range(996)]
    path.write_text(UC.strip() + "," + ",".join(extra) + "\n" + "U1,a,B1,2026-01-01" + "," * 996 + "\n")
    done = _ingest(db, path)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "  extra columns, not stored: " + ", ".join(extra[:20]) + " and 976 more\n" in out
    assert "x20" not in out


def test_the_data_page_reads_the_header_after_a_sep_line_and_of_utf16_without_bom():
    sep = ("sep=;\n" + UC.replace(",", ";") + "U1;a;B1;2026-01-01\n").encode()
    utf16 = (UC + "U1,a,B1,2026-01-01\n").encode("utf-16-le")
    for data in (sep, utf16):
        found = guess(data, "uc.csv")
        assert (found.dataset, found.header, found.problem) == (
            "use_cases", ("use_case_id", "title", "team_id", "identified_date"), None,
        )
    twice = guess(b"use_case_id,title,team_id,identified_date,TITLE\n", "uc.csv")
    assert twice.problem == (
        "The header line has the column title twice (columns 2 and 5). Keep one: remove or rename the other."
    )
