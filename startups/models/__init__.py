"""Startup support's models, one module per part of the journey of an application."""

from startups.models.agreements import Disbursement, Milestone, SupportAgreement
from startups.models.applications import Application, ApplicationFile, PhaseChange
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

__all__ = [
    "Application",
    "ApplicationFile",
    "CallPage",
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
    "TeamMember",
]
