"""The shipped competency framework, required levels and reconversion paths (SPEC §2.7, §2.8)."""

from __future__ import annotations

import pytest

from aiorg_metrics.datasets.framework import (
    FRAMEWORK_FILE,
    REQUIRED_LEVELS_FILE,
    FrameworkError,
    known_skills,
    load_framework,
    path_durations,
    required_level,
    skills_for_role,
)
from aiorg_metrics.datasets.registry import ReconversionPath, Role, Seniority

SPEC_FRAMEWORK = {
    "data_scientist": ("statistics", "machine_learning", "python", "data_visualization", "communication",
                       "llm_techniques"),
    "ml_engineer": ("software_engineering", "mlops", "cloud_ml", "containers", "monitoring",
                    "performance_optimization", "llmops"),
    "ai_engineer": ("software_engineering", "llm_integration", "rag", "prompt_engineering", "llm_evaluation",
                    "ai_ux"),
    "ai_product_manager": ("product_management", "ai_literacy", "success_metrics", "stakeholder_management",
                           "ai_ethics", "experimentation"),
    "data_engineer": ("data_pipelines", "data_tools", "databases", "data_quality", "cloud_data"),
    "ai_architect": ("software_architecture", "ml_platform_design", "cloud_architecture", "ai_security",
                     "technology_selection"),
    "ai_governance": ("ai_regulation", "ai_ethics", "ai_risk_management", "audit_compliance", "communication"),
}


@pytest.mark.parametrize("role", list(SPEC_FRAMEWORK))
def test_shipped_framework_is_the_spec(role):
    assert skills_for_role(role) == SPEC_FRAMEWORK[role]


def test_every_role_of_the_taxonomy_has_skills():
    assert set(load_framework().skills_by_role) == {r.value for r in Role}


def test_known_skills_merge_shared_ids():
    skills = known_skills()
    assert len(skills) == 37  # 40 pairs; software_engineering, ai_ethics, communication are shared
    assert {"software_engineering", "ai_ethics", "communication", "llmops"} <= skills
    assert "quantum_stuff" not in skills


def test_required_levels_are_the_product_default():
    assert [required_level(s) for s in ("junior", "mid", "senior", "staff", "principal")] == [1, 2, 3, 4, 4]
    assert set(load_framework().required_levels) == {s.value for s in Seniority}
    assert load_framework().required_level_source == "product default"


def test_unknown_role_or_seniority():
    with pytest.raises(KeyError, match="unknown role 'wizard'"):
        skills_for_role("wizard")
    with pytest.raises(KeyError, match="unknown seniority 'intern'"):
        required_level("intern")


def test_path_durations_are_the_guide():
    paths = {p: (d.target_role, d.min_months, d.max_months) for p, d in path_durations().items()}
    assert paths == {
        "backend_to_mle": ("ml_engineer", 6, 12),
        "fullstack_to_ai_engineer": ("ai_engineer", 3, 6),
        "analyst_to_ds": ("data_scientist", 6, 12),
        "pm_to_ai_pm": ("ai_product_manager", 3, 6),
        "devops_to_mlops": ("ml_engineer", 3, 6),
    }
    assert set(paths) == {p.value for p in ReconversionPath}


LEVELS = "seniority,required_level\njunior,1\nmid,2\nsenior,3\nstaff,4\nprincipal,4\n"
SKILLS = "".join(f"{role.value},skill_{i}\n" for i, role in enumerate(Role))


def write(tmp_path, skills=SKILLS, levels=LEVELS, header="role,skill\n"):
    (tmp_path / FRAMEWORK_FILE).write_text(header + skills, encoding="utf-8")
    (tmp_path / REQUIRED_LEVELS_FILE).write_text(levels, encoding="utf-8")
    return tmp_path


def test_an_edited_framework_is_read(tmp_path):
    extra_skill = SKILLS + "data_scientist,causal_inference\n"
    folder = write(tmp_path, skills=extra_skill, levels=LEVELS.replace("mid,2", "mid,3"))
    framework = load_framework(folder)
    assert framework.skills_by_role["data_scientist"] == ("skill_0", "causal_inference")
    assert framework.required_levels["mid"] == 3


@pytest.mark.parametrize(("skills", "levels", "header", "message"), [
    (SKILLS + "wizard,magic\n", LEVELS, "role,skill\n", "line 9: unknown role 'wizard'"),
    (SKILLS + "data_scientist,Machine Learning\n", LEVELS, "role,skill\n", "must be lower-case"),
    (SKILLS + "data_scientist,skill_0\n", LEVELS, "role,skill\n", "listed twice"),
    ("data_scientist,python\n", LEVELS, "role,skill\n", "no skill listed for role"),
    (SKILLS, LEVELS, "role,competence\n", "missing column"),
    (SKILLS, LEVELS.replace("staff,4", "staff,5"), "role,skill\n", "whole number 0-4"),
    (SKILLS, LEVELS.replace("principal,4\n", ""), "role,skill\n", "no required level for principal"),
    (SKILLS, LEVELS + "junior,2\n", "role,skill\n", "repeated seniority 'junior'"),
])
def test_a_broken_file_is_refused_with_its_line(tmp_path, skills, levels, header, message):
    with pytest.raises(FrameworkError, match=message):
        load_framework(write(tmp_path, skills, levels, header))
