"""The SQL-compiled bulk validation and the pydantic row models give the same problems."""

from __future__ import annotations

import pytest

from aiorg_metrics.ingestion.columns import detect_dataset, match_columns
from aiorg_metrics.ingestion.dialect import detect
from aiorg_metrics.ingestion.reader import prepare
from aiorg_metrics.ingestion.row_check import check_rows
from aiorg_metrics.ingestion.validation import build_checked, load_raw, row_problems
from tests import test_dialects
from tests.conftest import SAMPLE_DIR
from tests.ingest_helpers import TEAMS
from tests.test_dialects import TABBED


def _fixture_texts() -> list[tuple[str, bytes]]:
    """Every CSV text used by the ingestion tests, plus the sample files."""
    texts = [(p.name, p.read_bytes()) for p in sorted(SAMPLE_DIR.glob("*.csv"))]
    texts += [("dialect-fr.csv", test_dialects.FRENCH.encode("cp1252")), ("dialect-tab.csv", TABBED.encode())]
    texts += [("teams-helper.csv", TEAMS.encode())]
    texts += [(f"rules-{i}.csv", t.encode()) for i, t in enumerate(RULE_FILES)]
    return texts


RULE_FILES = [
    "team_id,team_name,business_unit,team_kind,headcount,ai_staff\nB1,Cards,Retail,Business,100,0\n"
    "B2,Loans,Retail,shop,80,2\nB3,,Retail,business,-1,0\nB4,Ops,Retail,business,5,9\nB5,Risk,R,business,12.5,0\n"
    "B6,Risk,R,business,1,0,extra\n",
    "activity_id,date,champion_id,team_id,activity_type,hours,satisfaction\nA1,2026-03-31,C1,B1,survey,,5\n"
    "A2,2026-02-30,C1,B1,meetup,1,\nA3,2026-03-01,C1,B1,meetup,25,\nA4,2026-03-01,C1,B1,survey,,\n"
    "A5,2026-03-01,C1,B1,meetup,2,4\nA6,,,B1,Meetup,abc,9\n",
    "use_case_id,title,team_id,identified_date,qualified_date,rejected_date,tier\nU1,t,B1,2026-01-10,2026-01-09,,0\n"
    "U2,t,B1,2026-01-10,2026-02-01,2026-01-20,2\nU3,t,B1,2026-01-10,,2026-01-01,x\n",
    "poc_id,use_case_id,start_date,outcome,end_date,production_date,cost_eur\nP1,U1,2026-01-10,stopped,,,\n"
    "P2,U1,2026-01-10,running,2026-02-01,,-5\nP3,U1,2026-01-10,production,,2026-01-05,\nP4,U1,2026-01-10,won,,,\n",
    "poc_id,month,target_users,active_users\nP1,2026-03,10,12\nP1,04/2026,0,5\nP1,2026-13,1,-1\nP1,13/2026,1,1\n",
    "record_id,date,employee_id,team_id,program,format,hours,cost_eur,path,path_start_date,path_completed_date\n"
    "T1,2026-01-10,E1,B1,M,practice,10,0,devops_to_mlops,,\nT2,2026-01-10,E1,B1,M,practice,10,100,,,2026-02-01\n"
    "T3,2026-01-10,E1,B1,M,practice,10,100,analyst_to_ds,2026-03-01,2026-02-01\n",
    "employee_id,team_id,role,seniority,skill,level,assessed_date\nE1,HUB,data_scientist,mid,python,2,2026-01-10\n"
    "E2,HUB,chef,mid,python,5,\nE3,HUB,data_scientist,lead,python,1.5,2026-99-01\n",
    # Plausible dates (today is pinned to 2026-11-29) and bounded numbers (SPEC §1).
    "use_case_id,title,team_id,identified_date,qualified_date,rejected_date,tier,expected_value_eur\n"
    "U1,t,B1,9999-12-31,,,1,1000000000000\nU2,t,B1,1999-12-31,,,1,1000000000000.5\n"
    "U3,t,B1,2000-01-01,2026-11-30,,1,\nU4,t,B1,0001-01-01,2027-11-30,,1,\nU5,t,B1,2026-11-29,2027-11-29,,1,inf\n"
    f"U6,t,B1,31/12/2030,,,1,{'9' * 400}\nU7,t,B1,2026-01-10,2026-12-01,2026-01-01,1,-{'9' * 400}\n",
    "poc_id,month,target_users,active_users\nP1,1999-12,10,10000000\nP1,2000-01,10000001,1\n"
    "P1,2026-12,10,99999999999999999999\nP1,2027-12,1,1\nP1,12/2027,1,nan\nP1,2027-11,1,-99999999999999999999\n"
    "P1,2001-01,Infinity,-INF\nP1,2002-01,NaN,+inf\n",
    "team_id,team_name,business_unit,team_kind,headcount,ai_staff\nB1,Cards,Retail,business,10000000,10000000\n"
    "B2,Loans,Retail,business,10000001,0\nB3,Ops,Retail,business,5,123456789012345678901234567890\n",
    "record_id,date,employee_id,team_id,program,format,hours,cost_eur\nT1,2026-01-10,E1,B1,M,practice,10000,0\n"
    "T2,2026-01-10,E1,B1,M,practice,10000.01,1e3\nT3,2028-01-01,E1,B1,M,practice,1,1000000000001\n"
    "T4,2026-01-10,E1,B1,M,practice,1.5E+3,-2e-5\n",
    # Control characters in a value of any type (a file where they are few: row errors).
    "use_case_id,title,team_id,identified_date,tier,collaboration_pattern,expected_value_eur\n"
    "U1,\x1b[31mRed\x1b[0m,B1,2026-01-10,1,sprint,\nU2,t,B\x0b1,2026-01-10\x1a,2\x7f,sprint,\n"
    "U3,t\u0085,B1,2026-01-10,1,sprint\x0c,1\x1f\nU\x01,t,B1,2026-01-10 \x1b,1,,\n"
    "U5,\"\ttab\t and \"\"q\"\"\nline break\",B1,2026-01-10,1,,\n"
    + "U6,plain title,B1,2026-01-10,1,sprint,100\n" * 60,
]


@pytest.mark.parametrize(("name", "data"), _fixture_texts(), ids=lambda x: x if isinstance(x, str) else "")
def test_bulk_and_row_model_paths_agree(store, name, data):
    raw_file = prepare(data, name, store.upload_dir, 200)
    ds = detect_dataset(raw_file.header)
    layout = match_columns(raw_file.header, ds)
    with store.writing() as cur:
        load_raw(cur, raw_file, layout.n_fields)
        dialect = detect(cur, ds, {c: f"f{p}" for c, p in layout.positions.items()}, raw_file.encoding, "")
        build_checked(cur, layout, dialect)
        bulk = row_problems(cur, layout)
        by_model = check_rows(cur, layout)
    assert bulk == by_model
    if name.startswith("rules-"):
        assert bulk, "each rule fixture has problems"
