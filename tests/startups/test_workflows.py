"""Workflows are data, checked at start-up: a broken file stops the site with a clear message."""

from __future__ import annotations

import copy
import json

import pytest

from startups.workflows import ENGINE_TRANSITIONS, WORKFLOW_DIR, check_workflows, parse_workflow

SHIPPED = json.loads((WORKFLOW_DIR / "startup_support.json").read_text(encoding="utf-8"))


def test_the_shipped_workflows_pass_the_start_up_check():
    assert check_workflows() == []


def test_phases_have_staff_and_applicant_names_in_both_languages():
    workflow = parse_workflow(SHIPPED)

    council = workflow.phase("council")
    assert (council.staff_names["vi"], council.applicant_names["vi"]) == (
        "Chờ hội đồng",
        "Đang xem xét",
    )
    assert council.on_council_agenda is True


def test_who_may_act_comes_from_the_data():
    workflow = parse_workflow(SHIPPED)

    assert [t.code for t in workflow.available(phase="submitted", role="staff")] == [
        "request_info",
        "mark_eligible",
        "mark_ineligible",
    ]
    assert [t.code for t in workflow.available(phase="submitted", role="applicant")] == ["withdraw"]
    assert workflow.available(phase="completed", role="staff") == []


def broken(change) -> list[str]:
    data = copy.deepcopy(SHIPPED)
    change(data)
    return list(parse_workflow(data).problems)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda data: data["transitions"][0].update({"to": "limbo"}),
            "transition “submit” names an unknown phase “limbo”",
        ),
        (
            lambda data: data["transitions"][0].update({"by": "anyone"}),
            "transition “submit” is taken by an unknown role “anyone”",
        ),
        (
            lambda data: data["phases"].append(
                {
                    "code": "orphan",
                    "staff": {"vi": "a", "en": "a"},
                    "applicant": {"vi": "a", "en": "a"},
                }
            ),
            "phases no transition reaches: orphan",
        ),
        (
            lambda data: data["phases"][0].update({"staff": {"vi": "Bản nháp"}}),
            "phase “draft” needs a Vietnamese and an English staff name",
        ),
        (
            lambda data: data["phases"][0].update({"editable": True}),
            "phase “draft” has unknown keys: editable",
        ),
        (
            lambda data: data.update({"initial": "nowhere"}),
            "the initial phase “nowhere” is not defined",
        ),
    ],
)
def test_mistakes_in_a_workflow_file_are_named(change, problem):
    assert problem in broken(change)


def test_a_workflow_without_a_transition_the_engine_needs_is_refused():
    def drop_complete(data):
        data["transitions"] = [t for t in data["transitions"] if t["code"] != "complete"]

    problems = broken(drop_complete)

    assert "transitions the engine needs are missing: complete" in problems
    assert "complete" in ENGINE_TRANSITIONS


def test_the_system_check_reports_each_problem(monkeypatch):
    from startups import workflows

    data = copy.deepcopy(SHIPPED)
    data["transitions"][0]["by"] = "anyone"
    monkeypatch.setattr(workflows, "workflows", lambda: {"startup_support": parse_workflow(data)})

    errors = workflows.check_workflows()

    assert [(error.id, error.msg) for error in errors] == [
        (
            "startups.E001",
            "Workflow “startup_support”: transition “submit” is taken by an unknown role “anyone”.",
        )
    ]
