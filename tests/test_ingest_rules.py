"""Per dataset: valid rows stored, invalid rows reported with their exact messages."""

from __future__ import annotations

from aiorg_metrics.ingestion.import_report import Outcome
from tests.ingest_helpers import TEAMS, load, messages, table


def test_teams_valid_file_is_stored(store):
    report = load(store, TEAMS, "teams.csv")
    assert report.outcome is Outcome.STORED
    assert (report.rows_in_file, report.valid, report.invalid, report.inserted) == (4, 4, 0, 4)
    assert table(store, "teams")[0][:6] == ("B1", "Cards", "Retail", "business", 100, 0)


def test_teams_invalid_values_are_each_explained(store):
    text = (
        "team_id,team_name,business_unit,team_kind,headcount,ai_staff\n"
        "B1,Cards,Retail,Business,100,0\n"
        "B2,Loans,Retail,shop,80,2\n"
        "B3,,Retail,business,-1,0\n"
        "B4,Ops,Retail,business,5,9\n"
        "B5,Risk,Retail,business,12.5,0\n"
    )
    report = load(store, text, "teams.csv")
    assert report.outcome is Outcome.REJECTED
    assert (report.rows_in_file, report.valid, report.invalid) == (5, 1, 4)
    assert messages(report) == [
        "ERROR line 3, column team_kind, value 'shop': This value is not allowed. "
        "Use one of: business, ai_hub, ai_spoke (any letter case).",
        "ERROR line 4, column team_name: A value is required here. Fill in this cell.",
        "ERROR line 4, column headcount, value '-1': The value must be between 0 and 10 000 000. Correct the value.",
        "ERROR line 5, column ai_staff, value '9': ai_staff is larger than headcount. Make ai_staff at most headcount.",
        "ERROR line 6, column headcount, value '12.5': This is not a whole number. "
        "Write a whole number such as 12 (no decimals).",
    ]
    assert table(store, "teams") == []


def test_champion_activity_rules(store):
    load(store, TEAMS, "teams.csv")
    text = (
        "activity_id,date,champion_id,team_id,activity_type,hours,satisfaction\n"
        "A1,2026-03-31,C1,B1,survey,,5\n"
        "A2,2026-02-30,C1,B1,meetup,1,\n"
        "A3,2026-03-01,C1,B1,meetup,25,\n"
        "A4,2026-03-01,C1,B1,survey,,\n"
        "A5,2026-03-01,C1,B1,meetup,2,4\n"
        "A6,2026-03-01,C1,ZZ,meetup,2,\n"
        "A7,2026-03-01,C2,HUB,meetup,2,\n"
    )
    report = load(store, text, "activity.csv")
    assert report.outcome is Outcome.REJECTED
    assert messages(report) == [
        "ERROR line 3, column date, value '2026-02-30': This is not a valid date. "
        "Write a real date as 2026-03-31 or 31/03/2026.",
        "ERROR line 4, column hours, value '25': The value must be between 0 and 24. Correct the value.",
        "ERROR line 5, column satisfaction: satisfaction is required when activity_type is survey. "
        "Fill in satisfaction, or correct activity_type.",
        "ERROR line 6, column satisfaction, value '4': satisfaction must be empty unless activity_type is survey. "
        "Empty satisfaction, or correct activity_type.",
        "ERROR line 7, column team_id, value 'ZZ': No teams row has team_id 'ZZ'. "
        "Correct the value, or import the missing teams row first.",
        "WARNING line 8, column team_id, value 'HUB': Team 'HUB' is of kind ai_hub; team_id should point to a "
        "business team. Check the team; the row is stored.",
    ]


def test_use_case_dates_and_ai_team(store):
    load(store, TEAMS, "teams.csv")
    text = (
        "use_case_id,title,team_id,ai_team_id,identified_date,qualified_date,rejected_date\n"
        "U1,=cmd(),B1,HUB,2026-01-10,2026-01-09,\n"
        "U2,Churn,B1,B2,2026-01-10,,\n"
        "U3,Chat,B1,SP1,2026-01-10,2026-02-01,2026-01-20\n"
    )
    report = load(store, text, "uc.csv")
    assert messages(report) == [
        "ERROR line 2, column qualified_date, value '2026-01-09': qualified_date is before identified_date. "
        "Use a qualified_date on or after identified_date.",
        "ERROR line 3, column ai_team_id, value 'B2': Team 'B2' is of kind business; ai_team_id should point to a "
        "ai_hub or ai_spoke team. Point ai_team_id to a team of kind ai_hub or ai_spoke.",
        "WARNING line 4, column rejected_date, value '2026-01-20': rejected_date is before qualified_date. "
        "Check both dates; the row is stored as it is.",
    ]


def test_poc_outcome_dates(store):
    text = (
        "poc_id,use_case_id,start_date,outcome,end_date,production_date\n"
        "P1,U1,2026-01-10,stopped,,\n"
        "P2,U1,2026-01-10,running,2026-02-01,\n"
        "P3,U1,2026-01-10,production,,2026-01-05\n"
        "P4,U1,2026-01-10,production,,2026-03-05\n"
    )
    report = load(store, text, "poc.csv")
    assert messages(report)[:3] == [
        "ERROR line 2, column end_date: end_date is required when outcome is stopped. "
        "Fill in end_date, or correct outcome.",
        "ERROR line 3, column end_date, value '2026-02-01': end_date must be empty unless outcome is stopped. "
        "Empty end_date, or correct outcome.",
        "ERROR line 4, column production_date, value '2026-01-05': production_date is before start_date. "
        "Use a production_date on or after start_date.",
    ]
    assert report.invalid == 3


def test_adoption_month_variants_and_bounds(store):
    text = (
        "poc_id,month,target_users,active_users\n"
        "P1,2026-03,10,12\n"
        "P1,04/2026,10,5\n"
        "P1,2026-05-17,10,5\n"
        "P1,2026-13,0,5\n"
    )
    report = load(store, text, "adoption.csv")
    assert [p.as_text() for p in report.errors] == [
        "ERROR line 5, column month, value '2026-13': This is not a valid month. Write a month as 2026-03 or 03/2026.",
        "ERROR line 5, column target_users, value '0': The value must be greater than 0 and at most 10 000 000. "
        "Correct the value.",
    ]
    report = load(store, text.rsplit("P1,2026-13", 1)[0], "adoption.csv")
    assert report.outcome is Outcome.STORED
    months = [str(r[1]) for r in table(store, "adoption", "month")]
    assert months == ["2026-03-01", "2026-04-01", "2026-05-01"]


def test_training_paths(store):
    load(store, TEAMS, "teams.csv")
    text = (
        "record_id,date,employee_id,team_id,program,format,hours,cost_eur,path,path_start_date,path_completed_date\n"
        "T1,2026-01-10,E1,B1,MLOps,practice,10,0,devops_to_mlops,,\n"
        "T2,2026-01-10,E1,B1,MLOps,practice,10,100,,,2026-02-01\n"
        "T3,2026-01-10,E1,NOPE,MLOps,Theory,10,100,,,\n"
    )
    report = load(store, text, "training.csv")
    assert messages(report) == [
        "ERROR line 2, column path_start_date: path_start_date is required when path is filled. "
        "Fill in path_start_date, or correct path.",
        "ERROR line 3, column path_completed_date, value '2026-02-01': path_completed_date must be empty unless "
        "path is filled. Empty path_completed_date, or correct path.",
        "WARNING line 4, column team_id, value 'NOPE': No teams row has team_id 'NOPE'. "
        "The row is stored; add the team to teams.csv to include it in breakdowns.",
    ]


def test_skills_unknown_skill_and_inconsistent_roles_warn(store):
    load(store, TEAMS, "teams.csv")
    text = (
        "employee_id,team_id,role,seniority,skill,level,assessed_date\n"
        "E1,HUB,data_scientist,mid,python,2,2026-01-10\n"
        "E1,HUB,ml_engineer,mid,statistics,3,2026-03-10\n"
        "E2,HUB,data_scientist,senior,juggling,4,\n"
        "E3,HUB,data_scientist,senior,python,5,\n"
    )
    report = load(store, text, "skills.csv")
    assert [p.as_text() for p in report.errors] == [
        "ERROR line 5, column level, value '5': The value must be between 0 and 4. Correct the value."
    ]
    report = load(store, text.rsplit("E3,", 1)[0], "skills.csv")
    assert report.outcome is Outcome.STORED
    assert messages(report) == [
        "WARNING line 2, column employee_id, value 'E1': Role, seniority or team differ from the employee's latest "
        "assessment (ml_engineer, mid, HUB), which is the one used. Make the employee's rows agree.",
        "WARNING line 4, column skill, value 'juggling': This skill is not in the competency framework; it is "
        "stored but used in no required pair. Use a skill id of the framework, or add the skill to the framework "
        "file.",
    ]


def test_duplicate_keys_in_one_file_are_all_invalid(store):
    text = "team_id,team_name,business_unit,team_kind,headcount,ai_staff\nB1,a,R,business,1,0\nB1,b,R,business,1,0\n"
    report = load(store, text, "teams.csv")
    assert messages(report) == [
        "ERROR line 2, column team_id, value 'B1': The same key appears on line(s) 3 of this file. "
        "Keep one row per key: remove or correct the duplicates.",
        "ERROR line 3, column team_id, value 'B1': The same key appears on line(s) 2 of this file. "
        "Keep one row per key: remove or correct the duplicates.",
    ]
