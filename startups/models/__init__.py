"""Startup support's models, one module per part of the journey of an application."""

from startups.models.agreements import Disbursement, Milestone, SupportAgreement
from startups.models.applications import Application, ApplicationFile, PhaseChange
from startups.models.challenges import ChallengeIndexPage, ChallengeNeed, ChallengePage
from startups.models.councils import (
    CouncilMember,
    CouncilScore,
    CouncilSession,
    Decision,
    Outcome,
)
from startups.models.incubators import Incubator, IncubatorUpgrade, SeatAllocation, Space
from startups.models.profiles import Expert, StartupProfile, TeamMember
from startups.models.programmes import (
    CallPage,
    Indicator,
    ProgrammePage,
    ProgrammeTarget,
    RubricCriterion,
    SizeClass,
)
from startups.models.reviews import ReviewAssignment, Score
from startups.models.surveys import Survey, SurveyInvitation, SurveyNeed, SurveyResponse
from startups.models.tasks import TaskOrder, TaskResult

__all__ = [
    "Application",
    "ApplicationFile",
    "CallPage",
    "ChallengeIndexPage",
    "ChallengeNeed",
    "ChallengePage",
    "CouncilMember",
    "CouncilScore",
    "CouncilSession",
    "Decision",
    "Disbursement",
    "Expert",
    "Incubator",
    "IncubatorUpgrade",
    "Indicator",
    "Milestone",
    "Outcome",
    "PhaseChange",
    "ProgrammePage",
    "ProgrammeTarget",
    "ReviewAssignment",
    "RubricCriterion",
    "Score",
    "SeatAllocation",
    "SizeClass",
    "Space",
    "StartupProfile",
    "SupportAgreement",
    "Survey",
    "SurveyInvitation",
    "SurveyNeed",
    "SurveyResponse",
    "TaskOrder",
    "TaskResult",
    "TeamMember",
]
