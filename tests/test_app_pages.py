"""Hub & spoke, funnel, skills and glossary pages on the sample organization (AppTest)."""

from __future__ import annotations

import html
from pathlib import Path

import duckdb
import pytest
from app_support import all_text, cards, dataframes, figure, open_app, use_sample_store

from aiorg_metrics.kpi import KPIS


@pytest.fixture(autouse=True)
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


# --- hub & spoke ---------------------------------------------------------------------------


def test_hub_page_heat_map_structure_queue_and_advisor() -> None:
    at = open_app(page="pages/hub_spoke.py")
    heat = figure(at, "status-heatmap")["data"][0]
    assert "Retail Banking" in heat["x"] and "Active champions per business<br>team (per team)" in heat["y"]
    assert "✕ 1.3" in str(heat["text"])  # CIB's use cases per champion: symbol and value in the cell
    # the KPIs whose record names this page, in registry order (as on the review)
    assert list(cards(at)) == ["AI spokes staffed to size", "AI hub size", "Business teams with their own AI staff"]
    shadow = dataframes(at)[0]
    assert set(shadow["team_name"]) == {"Markets Analytics", "Credit Risk Modelling"}
    queue = figure(at, "queue")["data"][0]
    assert "AI Centre of Excellence" in queue["y"] and "✕ 4.0 months<br>54 waiting" in queue["text"]
    # the hub's queue quarter by quarter: its size and median wait, up to the quarter shown
    hub = [t for t in figure(at, "queue-trend")["data"] if t["name"] == "AI Centre of Excellence"]
    wait, size = hub
    assert wait["x"][-1] == "Q3<br>2026" and size["y"][-3:] == [33, 43, 54]
    assert [round(v, 1) for v in wait["y"][-3:]] == [2.5, 3.4, 4.0]
    text = all_text(at)
    assert "Recommended: **Hub & spoke**" in text and "Current: **Hub & spoke** (inferred)" in text
    assert "For information" in text and "Demand queue longer than 3 months" in text
    treemap = figure(at, "org-picture")["data"][0]
    # coloured by adoption by default: Insurance's teams below the target, with their values
    assert "Claims Management<br>✕ 40%" in treemap["labels"]


def test_hub_page_advisor_lights_the_diagnostics_of_hub_and_spoke() -> None:
    text = all_text(open_app(page="pages/hub_spoke.py"))
    advisor = text[text.index("Org-model advisor"):]
    # lit with their figures and the guide's words, before the greyed indicators
    assert "**Hub bottleneck**: AI Centre of Excellence: median wait 4.0 months, 54 of the 61 waiting items" in advisor
    assert "**Spoke inequality**" in advisor and "Inegalite entre spokes" in advisor
    assert "**Low adoption in a business unit**: below 50%: Insurance 42% (n = 16)" in advisor
    assert "Definir clairement les responsabilites hub vs spoke" in advisor  # the guide's good practices
    assert "Maturity is not set" in advisor and "debut de parcours IA" in advisor
    assert advisor.index("Hub bottleneck") < advisor.index("For information") < advisor.index("Demand queue longer")
    assert "hub_spoke" not in advisor


def test_hub_page_under_a_business_unit_compares_its_teams() -> None:
    at = open_app({"business_unit": "Insurance"}, page="pages/hub_spoke.py")
    text = all_text(at)
    assert "Status by team" in text and "The teams of Insurance side by side in 2026-Q3." in text
    heat = figure(at, "status-heatmap")["data"][0]
    assert "Claims<br>Management" in heat["x"] and "Retail Banking" not in heat["x"]
    # the spoke chart holds the unit's spokes only, as its card counts them (1 of 1 AI spoke)
    assert figure(at, "spokes")["data"][0]["y"] == ["Insurance AI Spoke"]
    assert '<div class="kpi-value">100<span class="kpi-unit">%' in cards(at)["AI spokes staffed to size"]
    assert "No business team of Insurance employs AI staff of its own." in text
    # what stays organization-wide says so
    assert "**Demand queue by AI team** in 2026-Q3 :gray-badge[:material/public: organization" in text
    assert "The advisor reads the whole organization :gray-badge" in text
    labels = figure(at, "org-picture")["data"][0]["labels"]
    assert "Claims Management<br>✕ 40%" in labels and not any(lab.startswith("Branch Network") for lab in labels)


def test_hub_page_with_a_team_shows_its_unit_and_marks_the_team() -> None:
    at = open_app({"team": "Claims Management"}, page="pages/hub_spoke.py")
    text = all_text(at)
    assert "the selected team, Claims Management, is marked ▼ and in bold" in text
    assert "<b>▼ Claims<br>Management</b>" in figure(at, "status-heatmap")["data"][0]["x"]
    assert figure(at, "spokes")["data"][0]["y"] == ["Insurance AI Spoke"]
    assert "**AI staff per spoke** against the model's band :gray-badge[:material/public: business" in text


def test_org_picture_colours_by_the_kpi_the_user_picks() -> None:
    at = open_app(page="pages/hub_spoke.py")
    at.selectbox(key="picture_kpi").select("Practice share of training hours").run()
    labels = figure(at, "org-picture")["data"][0]["labels"]
    assert not any("Not measured" in lab for lab in labels[1:] if "<br>" in lab)  # every team has a value
    assert "each team's status on “Practice share of training hours” in 2026-Q3" in all_text(at)


# --- funnel --------------------------------------------------------------------------------


def _stages(at) -> list[int]:
    return dataframes(at)[0]["Use cases"].tolist()


def test_funnel_counts_shares_and_times() -> None:
    at = open_app(page="pages/funnel.py")
    table = dataframes(at)[0]
    assert table["Use cases"].tolist() == [174, 137, 53, 11, 4]
    assert table["% of previous"].tolist() == ["–", "79%", "39%", "21%", "36%"]
    assert table["% of identified"].tolist()[-1] == "2%"
    assert table["Median days"].tolist()[1] == "20 days"
    assert list(cards(at)) == ["Use case → PoC conversion", "PoC → production conversion"]
    waiting = dataframes(at)[1]
    assert "⚠ over 3 months" in set(waiting["Flag"]) and waiting["Months waiting"].max() > 3
    flagged = waiting[waiting["Flag"] != ""]
    assert set(flagged["Waiting in"]) == {"Qualified"}  # the demand-waiting alert: not items in production
    assert (waiting.loc[waiting["Waiting in"] == "In production", "Months waiting"] > 3).any()
    assert waiting["Champion"].iloc[0] == "Nina Keller (CH-033)"  # named, as the pack names them


def test_funnel_filters_and_cohort_change_the_counts() -> None:
    insurance = open_app({"business_unit": "Insurance"}, page="pages/funnel.py")
    assert _stages(insurance)[0] == 44
    quarter_only = open_app({"cohort": "this quarter only"}, page="pages/funnel.py")
    assert _stages(quarter_only)[0] < 174
    assert "use cases identified in 2026-Q3" in all_text(quarter_only)


def test_champion_view_from_a_link() -> None:
    at = open_app({"champion": "Hugo Laurent (CH-001)"}, page="pages/funnel.py")
    assert not at.exception
    text = all_text(at)
    assert "Champion view: Hugo Laurent (CH-001)" in text
    assert _stages(at)[0] == 1
    own = [k.label for k in KPIS if "champion" in [s.value for s in k.scopes]]
    assert set(own) <= set(cards(at))
    use_cases = dataframes(at)[-1]
    assert set(use_cases["Use case"]) == {"UC-0125", "UC-0068"}


def test_picking_a_champion_opens_their_view() -> None:
    at = open_app(page="pages/funnel.py")
    at.selectbox(key="champion").select("Hugo Laurent (CH-001)").run()
    assert "Champion view: Hugo Laurent (CH-001)" in all_text(at)


INSURANCE_CHAMPIONS = {"CH-006", "CH-007", "CH-008", "CH-009", "CH-010", "CH-011", "CH-012", "CH-013", "CH-034",
                       "CH-040"}  # the team each represents in 2026-Q3 (latest activity) is an Insurance team


def _champion_ids(at) -> set[str]:
    return {label.rsplit("(", 1)[1].rstrip(")") for label in at.selectbox(key="champion").options[1:]}


def test_the_champion_list_follows_the_unit_and_team_filters() -> None:
    assert _champion_ids(open_app({"business_unit": "Insurance"}, page="pages/funnel.py")) == INSURANCE_CHAMPIONS
    claims = open_app({"business_unit": "Insurance", "team": "Claims Management"}, page="pages/funnel.py")
    assert _champion_ids(claims) == {"CH-009", "CH-010", "CH-011"}


def test_a_champion_link_outside_the_selection_says_so_and_shows_the_selection() -> None:
    at = open_app({"business_unit": "Insurance", "champion": "Hugo Laurent (CH-001)"}, page="pages/funnel.py")
    text = all_text(at)
    assert "**Hugo Laurent (CH-001)** represents Corporate Lending (Corporate & Investment Banking)" in text
    assert "outside this selection (business unit Insurance)" in text
    assert "Champion view" not in text and "No use case was identified" not in text
    assert _stages(at)[0] == 44  # Insurance's funnel, as with no champion


def test_narrowing_the_sidebar_after_picking_a_champion_says_why_the_view_closes() -> None:
    at = open_app(page="pages/funnel.py")
    at.selectbox(key="champion").select("Hugo Laurent (CH-001)").run()
    at.selectbox(key="business_unit").select("Insurance").run()
    text = all_text(at)
    assert "outside this selection (business unit Insurance)" in text and "Champion view" not in text
    assert at.selectbox(key="champion").value == "All champions" and _stages(at)[0] == 44


def test_a_champions_funnel_and_conversion_card_count_the_same_use_cases() -> None:
    at = open_app({"business_unit": "Insurance", "champion": "Chloé Weber (CH-013)"}, page="pages/funnel.py")
    identified, _, poc = _stages(at)[:3]
    card = cards(at)["Use case → PoC conversion"]
    assert f"{poc} of {identified} use cases identified in 12 months" in card
    assert "raised by **Chloé Weber (CH-013)** (in any team)" in all_text(at)


# --- skills & training ---------------------------------------------------------------------------


def test_skills_page_cards_gaps_and_charts() -> None:
    at = open_app(page="pages/skills.py")
    assert list(cards(at)) == ["Training spend per learner (12 months)", "Practice share of training hours",
                               "Reconversion paths on track", "Skills coverage"]
    gaps = figure(at, "gaps")["data"][0]
    assert "ai architect" in gaps["x"] and "software architecture" in gaps["y"]
    spof = dataframes(at)[0]
    assert spof.iloc[0]["Skill"] == "software architecture" and spof.iloc[0]["Who"] == "nobody"
    titles = [figure(at, key)["layout"]["xaxis"]["title"]["text"] for key in ("spend", "paths", "coverage")]
    assert titles[0].startswith("EUR per learner (12 months)") and "date" in titles
    assert "training spend per learner, last 12 months (EUR)" in titles
    assert len(figure(at, "paths")["data"][1]["y"]) == 21  # the sample's paths, every one drawn
    assert "Too many to draw" not in all_text(at)


def test_role_filter_narrows_the_gap_map() -> None:
    at = open_app({"role": "data engineer"}, page="pages/skills.py")  # the link reads as the list does
    assert figure(at, "gaps")["data"][0]["x"] == ["data engineer"]


# --- glossary ------------------------------------------------------------------------------------


def test_glossary_lists_every_kpi_with_target_source_and_scopes() -> None:
    text = all_text(open_app(page="pages/glossary.py"))
    for k in KPIS:
        assert f"`{k.id}`" in text
    assert "**Target:** ≥ 80% — product default" in text  # champion_programme_completion
    assert "Scopes: organization, business unit, team, champion" in text
    assert "Centralized (one AI centre of excellence): ≤ 15 people" in text


def test_an_override_in_the_settings_shows_as_the_organizations_target(sample_db: Path) -> None:
    (sample_db.parent / "aiorg.toml").write_text("[targets.use_case_to_poc_rate]\nmin = 0.35\n", encoding="utf-8")
    glossary = all_text(open_app(page="pages/glossary.py"))
    assert "**Target:** ≥ 35% — your organization's setting" in glossary
    card = cards(open_app())["Use case → PoC conversion"]
    assert "Target <b>≥ 35%</b> · your organization&#x27;s setting" in card and "Off target" in card


def test_an_invalid_settings_file_is_explained_and_defaults_apply(sample_db: Path) -> None:
    (sample_db.parent / "aiorg.toml").write_text("maturity = 9\n", encoding="utf-8")
    at = open_app()
    assert not at.exception
    assert "The settings file could not be used" in at.warning[0].value
    assert "Target <b>&gt; 30%</b>" in cards(at)["Use case → PoC conversion"]


def test_skills_page_under_a_team_uses_only_that_teams_rows() -> None:
    at = open_app({"business_unit": "Retail Banking", "team": "Retail Banking AI Spoke"}, page="pages/skills.py")
    for key in ("spend", "practice"):
        assert figure(at, key)["data"][0]["y"] == ["Retail Banking AI Spoke"]
    coverage = [name for trace in figure(at, "coverage")["data"] for name in trace.get("text", [])]
    assert coverage == ["Retail Banking AI Spoke"]
    assert set(figure(at, "gaps")["data"][0]["x"]) == {"data scientist", "ml engineer", "ai engineer"}
    assert at.selectbox(key="role").options == ["All roles", "ai engineer", "data scientist", "ml engineer"]
    text = all_text(at)
    assert "organization-wide" in text  # single points of failure: the organization's, tagged
    assert "Employees of Retail Banking AI Spoke" in text


def test_skills_empty_states_blame_the_selection_when_it_has_nobody_assessed() -> None:
    at = open_app({"business_unit": "Retail Banking", "team": "Cards & Payments"}, page="pages/skills.py")
    info = [html.unescape(i.value) for i in at.info]
    assert info.count("No employee of Cards & Payments is assessed.") == 2  # the gap map and coverage
    assert not any("is loaded yet" in text for text in info)


def test_skills_empty_states_say_when_no_assessment_is_loaded(sample_db: Path) -> None:
    with duckdb.connect(str(sample_db)) as con:
        con.execute("DELETE FROM skills")
    at = open_app({"business_unit": "Retail Banking"}, page="pages/skills.py")
    assert not at.exception
    info = [i.value for i in at.info]
    loaded = "No skills assessment is loaded yet — import `skills.csv` on the Data page."
    assert info.count(loaded) == 3  # the gap map, single points of failure, coverage
    assert not any("No employee of" in text for text in info)
    assert not dataframes(at)[0].empty  # the reconversion paths (training records) still show


def test_skills_page_under_a_business_unit_compares_its_teams() -> None:
    at = open_app({"business_unit": "Retail Banking"}, page="pages/skills.py")
    spend = figure(at, "spend")["data"][0]
    assert "Branch Network" in spend["y"] and "Claims Management" not in spend["y"]
    paths = dataframes(at)[-1]
    assert not paths.empty and set(paths["Team"]) <= {"Retail Banking AI Spoke", "Cards & Payments",
                                                      "Consumer Lending", "Digital Channels", "Branch Network",
                                                      "Mortgages", "Customer Service Centre"}
