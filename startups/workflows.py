"""Application workflows as data: phases, transitions and who may act, one file per call type.

Hypha keys behaviour on phase names; here a phase carries flags (``applicant_edits``,
``open_to_reviewers``…) and services ask for a transition by its code, so a new call type is
a new JSON file in ``startups/data/workflows/``, validated by a system check at start-up.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core import checks
from django.utils.translation import get_language

WORKFLOW_DIR = Path(__file__).resolve().parent / "data" / "workflows"

ROLES = frozenset({"applicant", "staff", "reviewer", "council"})
PHASE_FLAGS = (
    "applicant_edits",
    "open_to_reviewers",
    "on_council_agenda",
    "awaits_agreement",
    "awaits_results",
    "results_accepted",
)
# The transitions the engine's services perform; every call type must define each one.
ENGINE_TRANSITIONS = frozenset(
    {
        "submit",
        "resubmit",
        "withdraw",
        "request_info",
        "mark_eligible",
        "mark_ineligible",
        "send_to_council",
        "approve",
        "waitlist",
        "reject",
        "start_support",
        "complete",
    }
)
# Transitions of the acceptance of results, for call types whose awardees deliver results
# (ordered S&T tasks): a workflow defines all of them or none.
RESULT_TRANSITIONS = frozenset({"submit_results", "accept_results", "reject_results"})


def _localised(names: dict[str, str]) -> str:
    language = (get_language() or "vi")[:2]
    return names.get(language) or names.get("vi") or next(iter(names.values()))


@dataclass(frozen=True)
class Phase:
    code: str
    staff_names: dict[str, str]
    applicant_names: dict[str, str]
    applicant_edits: bool = False
    open_to_reviewers: bool = False
    on_council_agenda: bool = False
    awaits_agreement: bool = False
    awaits_results: bool = False
    results_accepted: bool = False

    @property
    def staff_name(self) -> str:
        return _localised(self.staff_names)

    @property
    def applicant_name(self) -> str:
        return _localised(self.applicant_names)


@dataclass(frozen=True)
class Transition:
    code: str
    sources: tuple[str, ...]
    target: str
    role: str
    names: dict[str, str]
    needs_reason: bool = False
    within_window: bool = False

    @property
    def name(self) -> str:
        return _localised(self.names)


@dataclass(frozen=True)
class Workflow:
    code: str
    names: dict[str, str]
    initial: str
    phases: dict[str, Phase]
    transitions: dict[str, Transition]
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        return _localised(self.names)

    def phase(self, code: str) -> Phase:
        return self.phases[code]

    def transition(self, code: str) -> Transition:
        return self.transitions[code]

    def available(self, *, phase: str, role: str) -> list[Transition]:
        """The transitions someone in ``role`` may take from ``phase``, in file order."""
        return [t for t in self.transitions.values() if phase in t.sources and t.role == role]

    def phases_where(self, flag: str) -> list[str]:
        return [code for code, phase in self.phases.items() if getattr(phase, flag)]

    @property
    def has_results(self) -> bool:
        """Whether awardees of this call type deliver results that staff accept."""
        return set(self.transitions) >= RESULT_TRANSITIONS


def parse_workflow(data: dict) -> Workflow:
    """Build a workflow from its JSON form and list what is wrong with it (not raising, so a
    system check can report every problem of every file at once)."""
    problems: list[str] = []
    phases: dict[str, Phase] = {}
    for item in data.get("phases", []):
        code = item.get("code", "")
        if code in phases:
            problems.append(f"phase “{code}” is defined twice")
        unknown = set(item) - {"code", "staff", "applicant", *PHASE_FLAGS}
        if unknown:
            problems.append(f"phase “{code}” has unknown keys: {', '.join(sorted(unknown))}")
        for audience in ("staff", "applicant"):
            if not {"vi", "en"} <= set(item.get(audience, {})):
                problems.append(f"phase “{code}” needs a Vietnamese and an English {audience} name")
        phases[code] = Phase(
            code=code,
            staff_names=item.get("staff", {}),
            applicant_names=item.get("applicant", {}),
            **{flag: bool(item.get(flag, False)) for flag in PHASE_FLAGS},
        )
    transitions: dict[str, Transition] = {}
    for item in data.get("transitions", []):
        code = item.get("code", "")
        if code in transitions:
            problems.append(f"transition “{code}” is defined twice")
        transition = Transition(
            code=code,
            sources=tuple(item.get("from", [])),
            target=item.get("to", ""),
            role=item.get("by", ""),
            names=item.get("name", {}),
            needs_reason=bool(item.get("needs_reason", False)),
            within_window=bool(item.get("within_window", False)),
        )
        transitions[code] = transition
        for phase in (*transition.sources, transition.target):
            if phase not in phases:
                problems.append(f"transition “{code}” names an unknown phase “{phase}”")
        if transition.role not in ROLES:
            problems.append(f"transition “{code}” is taken by an unknown role “{transition.role}”")
        if not {"vi", "en"} <= set(transition.names):
            problems.append(f"transition “{code}” needs a Vietnamese and an English name")
    missing = ENGINE_TRANSITIONS - set(transitions)
    if missing:
        problems.append(f"transitions the engine needs are missing: {', '.join(sorted(missing))}")
    problems.extend(_result_problems(phases, transitions))
    initial = data.get("initial", "")
    if initial not in phases:
        problems.append(f"the initial phase “{initial}” is not defined")
    else:
        unreachable = set(phases) - _reachable(initial, transitions.values())
        if unreachable:
            problems.append(f"phases no transition reaches: {', '.join(sorted(unreachable))}")
    return Workflow(
        code=data.get("code", ""),
        names=data.get("name", {}),
        initial=initial,
        phases=phases,
        transitions=transitions,
        problems=tuple(problems),
    )


def _result_problems(phases: dict[str, Phase], transitions: dict[str, Transition]) -> list[str]:
    """Results are delivered in phases flagged ``awaits_results`` and accepted into one flagged
    ``results_accepted``; the three result transitions come together or not at all."""
    defined = RESULT_TRANSITIONS & set(transitions)
    awaiting = {code for code, phase in phases.items() if phase.awaits_results}
    if not defined and not awaiting:
        return []
    if defined != RESULT_TRANSITIONS:
        missing = ", ".join(sorted(RESULT_TRANSITIONS - defined))
        return [f"a workflow with results needs every result transition; missing: {missing}"]
    problems = []
    if set(transitions["submit_results"].sources) != awaiting:
        problems.append("“submit_results” must start from exactly the phases awaiting results")
    accepted = phases.get(transitions["accept_results"].target)
    if accepted is None or not accepted.results_accepted:
        problems.append("“accept_results” must lead to a phase flagged results_accepted")
    rejected = phases.get(transitions["reject_results"].target)
    if rejected is None or not rejected.awaits_results:
        problems.append("“reject_results” must lead back to a phase awaiting results")
    return problems


def _reachable(initial: str, transitions) -> set[str]:
    seen, queue = {initial}, deque([initial])
    while queue:
        phase = queue.popleft()
        for transition in transitions:
            if phase in transition.sources and transition.target not in seen:
                seen.add(transition.target)
                queue.append(transition.target)
    return seen


@cache
def workflows() -> dict[str, Workflow]:
    """Every call type's workflow, read once per process."""
    loaded = {}
    for path in sorted(WORKFLOW_DIR.glob("*.json")):
        workflow = parse_workflow(json.loads(path.read_text(encoding="utf-8")))
        loaded[workflow.code or path.stem] = workflow
    return loaded


def workflow_for(call_type: str) -> Workflow:
    return workflows()[call_type]


def call_type_choices() -> list[tuple[str, str]]:
    return [(code, workflow.name) for code, workflow in workflows().items()]


@checks.register()
def check_workflows(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse to start with a workflow file that names unknown phases, roles or is incomplete."""
    errors: list[checks.CheckMessage] = []
    for code, workflow in workflows().items():
        errors.extend(
            checks.Error(f"Workflow “{code}”: {problem}.", id="startups.E001")
            for problem in workflow.problems
        )
    return errors
