"""The hostile-input corpus: one or more cases per class of issue 8, generated (no large binaries committed).

Each `Case` is a set of files (written into a folder by `build`) with the CLI arguments that feed
them to the product and what must come out: the exit code, a phrase of the message, and whether
the store must be left unchanged. The CLI tests (`test_hostile_cli.py`), the Data page tests
(`test_hostile_page.py`) and the benchmark (`benchmarks/bench_hostile.py`) all iterate it.

    python tests/hostile_corpus.py OUTDIR     # write every case's files into OUTDIR/<case>/
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TEAMS = (
    "team_id,team_name,business_unit,team_kind,headcount,ai_staff\n"
    "B1,Cards,Retail,business,100,0\n"
    "HUB,AI Hub,Group,ai_hub,12,10\n"
)
USE_CASE_HEADER = "use_case_id,title,team_id,identified_date\n"
POC_HEADER = "poc_id,use_case_id,start_date,outcome,end_date,production_date,cost_eur\n"
TRAINING_HEADER = "record_id,date,employee_id,team_id,program,format,hours,cost_eur\n"
WIDE_COLUMNS = 100_000


@dataclass(frozen=True)
class Case:
    """One hostile input: its files, how it is fed, and what the product must answer."""

    name: str
    cls: str  # the class, e.g. "1 dates"
    files: dict[str, Callable[[Path], None]]  # file name -> writer
    exit_code: int
    message: str  # a phrase the output must contain (case-insensitive)
    args: tuple[str, ...] = ()
    unchanged: bool = True  # the store's datasets after == before
    page: bool = True  # also run through the Data page
    heavy: bool = False  # a large file: timed in the benchmark, kept out of the page tests
    settings: str | None = None  # TOML written to settings.toml and passed with --settings
    mappings: str | None = None  # TOML written to mappings.toml next to the store
    extra: dict = field(default_factory=dict)


def _text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _use_cases(*dates: str) -> str:
    rows = "".join(f"U{i},Title {i},B1,{d}\n" for i, d in enumerate(dates, 1))
    return USE_CASE_HEADER + rows


def _wide_header(path: Path, columns: int = WIDE_COLUMNS) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("team_id,team_name,business_unit,team_kind,headcount,ai_staff")
        f.write("".join(f",extra_column_{i}" for i in range(columns)))
        f.write("\n")


def _wide_15mb(path: Path) -> None:
    columns = 15 * 1024 * 1024 // 150
    with path.open("w", encoding="utf-8") as f:
        f.write("team_id,team_name,business_unit,team_kind,headcount,ai_staff")
        f.write("".join(f",{'x' * 140}{i:07d}" for i in range(columns)))
        f.write("\n")


def _huge_sparse(path: Path) -> None:
    with path.open("wb") as f:
        f.write(TEAMS.encode())
        f.truncate(5 * 1024**3)  # 5 GB on paper, a few bytes on disk


def _long_quoted_cell(path: Path) -> None:
    title = "a, \"quoted\"\nline " * 12_000  # ~200 KB in one quoted cell, with commas and line breaks
    escaped = title.replace('"', '""')
    path.write_text(USE_CASE_HEADER + f'U1,"{escaped}",B1,2026-01-10\n', encoding="utf-8")


def _nul_after_64k(path: Path) -> None:
    rows = "".join(f"U{i},Title {i},B1,2026-01-10\n" for i in range(1, 4000))
    path.write_bytes((USE_CASE_HEADER + rows).encode() + b"U9999,bad\x00title,B1,2026-01-10\n")


def _cp1252_in_utf8(path: Path) -> None:
    good = USE_CASE_HEADER + "U1,Crédit à la consommation,B1,2026-01-10\n"
    path.write_bytes(good.encode("utf-8") + "U2,Prêt,B1,2026-01-11\n".encode("cp1252"))


def cases() -> list[Case]:
    """Every case of the corpus, in the order of the issue's classes."""
    teams = {"teams.csv": _text(TEAMS)}
    return [
        # 1. dates far from today
        Case("date_9999", "1 dates", {"uc.csv": _text(_use_cases("9999-12-31"))}, 1, "more than a year after"),
        Case("date_0001", "1 dates", {"uc.csv": _text(_use_cases("0001-01-01"))}, 1, "before 2000-01-01"),
        Case("date_2206_typo", "1 dates", {"uc.csv": _text(_use_cases("2206-05-01"))}, 1, "more than a year after"),
        # 2. wide and huge files
        Case("wide_100k_columns", "2 wide", {"teams.csv": _wide_header}, 1, "columns", heavy=True),
        Case("wide_15mb", "2 wide", {"teams.csv": _wide_15mb}, 1, "columns", heavy=True, page=False),
        Case("huge_5gb_sparse", "2 wide", {"teams.csv": _huge_sparse}, 1, "limit", heavy=True, page=False),
        # 3. CSV forms: Mac line ends and long quoted cells are read; an unclosed quote is named
        Case("cr_only_line_ends", "3 csv", {"teams.csv": _text(TEAMS.replace("\n", "\r"))}, 0,
             "rows in file 2, valid 2, invalid 0"),
        Case("long_quoted_cell", "3 csv", {"uc.csv": _long_quoted_cell}, 0, "inserted 1", unchanged=False),
        Case("unclosed_quote", "3 csv", {"uc.csv": _text(USE_CASE_HEADER + 'U1,"never closed,B1,2026-01-10\n')},
             1, "quote"),
        # 4. non-finite and huge numbers
        Case("cost_400_digits", "4 numbers",
             {"poc.csv": _text(POC_HEADER + "P1,U1,2026-01-10,running,,," + "9" * 400 + "\n")}, 1,
             "between 0 and 1 000 000 000 000"),
        Case("cost_1e308_twice", "4 numbers",
             {"poc.csv": _text(POC_HEADER + "P1,U1,2026-01-10,running,,,1e308\nP2,U1,2026-01-11,running,,,1e308\n")},
             1, "scientific notation"),
        Case("hours_nan", "4 numbers",
             {"tr.csv": _text(TRAINING_HEADER + "R1,2026-01-10,E1,B1,Course,theory,nan,10\n")}, 1, "hours"),
        # 5. settings the form cannot show
        Case("settings_hours_below_bound", "5 settings", teams, 3, "hours_per_quarter",
             settings="hours_per_quarter = 0.5\n", page=False),
        Case("settings_nested_toml", "5 settings", teams, 3, "settings",
             settings="x = " + "[" * 5000 + "]" * 5000 + "\n", page=False),
        Case("settings_inf_file_size", "5 settings", teams, 3, "max_file_mb", settings="max_file_mb = inf\n",
             page=False),
        # 6. broken mappings file
        Case("mapping_without_dataset", "6 mappings", teams, 3, "mapping", args=("--mapping", "hr"),
             mappings='[mappings.hr]\ncolumns = { "Equipe" = "team_id" }\n', page=False),
        Case("mapping_columns_not_a_table", "6 mappings", teams, 3, "mapping", args=("--mapping", "hr"),
             mappings='[mappings.hr]\ndataset = "teams"\ncolumns = "oops"\n', page=False),
        Case("mapping_bad_toml", "6 mappings", teams, 3, "mapping", args=("--mapping", "hr"),
             mappings="[mappings.hr\n", page=False),
        # 8. a rejected first real import leaves the sample in place (the test loads the sample first)
        Case("rejected_file_keeps_sample", "8 sample", {"uc.csv": _text(_use_cases("2026-02-30"))}, 1,
             "2026-02-30", extra={"sample": True}),
        # 10. smaller ones
        Case("cp1252_byte_in_utf8", "10 smaller", {"uc.csv": _cp1252_in_utf8}, 1, "line 3"),
        Case("nul_after_64k", "10 smaller", {"uc.csv": _nul_after_64k}, 1, "line 4001"),
        Case("int_20_digits", "10 smaller",
             {"teams.csv": _text(TEAMS.replace("100,0", "12345678901234567890,0"))}, 1,
             "between 0 and 10 000 000"),
        Case("replace_with_zero_rows", "10 smaller",
             {"teams.csv": _text(TEAMS.split("\n", 1)[0] + "\n")}, 3, "--allow-empty",
             args=("--mode", "replace"), page=False),
        Case("ansi_escape_in_a_value", "10 smaller",
             {"uc.csv": _text(USE_CASE_HEADER + "U1,\x1b[31mRed\x1b[0m,B1,2026-01-10\n")}, 1,
             "control character ESC (U+001B)"),
        Case("control_characters_everywhere", "10 smaller",
             {"teams.csv": _text(TEAMS.split("\n", 1)[0] + "\n" + "".join(
                 f"T{i},\x1b[1mTeam {i}\x1b[0m,Retail,business,10,1\n" for i in range(40)))}, 1,
             "the control character ESC (U+001B) in column team_name"),
        Case("header_only_in_add_mode", "10 smaller", {"uc.csv": _text(USE_CASE_HEADER + "\n" * 1000)}, 0,
             "the file has no data rows: nothing to import", page=False),
        Case("excel_sep_line", "10 smaller", {"teams.csv": _text("sep=;\n" + TEAMS.replace(",", ";"))}, 0,
             "as its first line sep=; says"),
        Case("utf16_without_bom", "10 smaller", {"uc.csv": _text(_use_cases("2026-01-10"), "utf-16-le")}, 0,
             "UTF-16 (no byte-order mark)", unchanged=False),
    ]


def write_case(case: Case, folder: Path) -> list[Path]:
    """Write the case's files into `folder`; their paths, in the order given."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, writer in case.files.items():
        path = folder / name
        writer(path)
        paths.append(path)
    return paths


def ingest_options(folder: Path, args: tuple[str, ...], settings: str | None, mappings: str | None) -> list[str]:
    """A case's `ingest` options; its settings and saved mappings, when it has them, written into `folder`
    (the store's folder, where the CLI looks for mappings.toml)."""
    options = list(args)
    if settings is not None:
        (folder / "settings.toml").write_text(settings, encoding="utf-8")
        options += ["--settings", str(folder / "settings.toml")]
    if mappings is not None:
        (folder / "mappings.toml").write_text(mappings, encoding="utf-8")
    return options


def by_name(name: str) -> Case:
    return next(c for c in cases() if c.name == name)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    for case in cases():
        write_case(case, out / case.name)
        print(f"{case.cls:12} {case.name}")
