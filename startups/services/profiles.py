"""Startup profiles (once per organisation, across calls and years) and expert profiles."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Organisation, Sector, User
from accounts.selectors import membership_get
from startups.models import Expert, StartupProfile, TeamMember

PROFILE_UPDATE = register_action(
    "techfloor.startup_profile.update",
    gettext_lazy("Update startup profile"),
    gettext_lazy("Startup profile updated"),
)
EXPERT_UPDATE = register_action(
    "techfloor.expert.update",
    gettext_lazy("Update expert profile"),
    gettext_lazy("Expert profile updated"),
)


@transaction.atomic
def startup_profile_save(
    *,
    organisation: Organisation,
    actor: User,
    stage: str,
    pitch: str,
    traction: str = "",
    funding_raised: int = 0,
    funding_note: str = "",
    team: list[dict] | None = None,
) -> StartupProfile:
    """Create or update the organisation's one startup profile; ``team`` replaces the team."""
    membership = membership_get(user=actor, organisation=organisation)
    if membership is None or not membership.can_manage:
        raise PermissionDenied(_("Only the organisation's owners and administrators may do this."))
    profile = StartupProfile.objects.filter(organisation=organisation).first() or StartupProfile(
        organisation=organisation
    )
    profile.stage = stage
    profile.pitch = pitch.strip()
    profile.traction = traction.strip()
    profile.funding_raised = funding_raised
    profile.funding_note = funding_note.strip()
    profile.full_clean()
    profile.save()
    if team is not None:
        profile.team.all().delete()
        TeamMember.objects.bulk_create(
            TeamMember(profile=profile, position=position, **member)
            for position, member in enumerate(team)
        )
    audit(actor=actor, action=PROFILE_UPDATE, instance=organisation)
    return profile


@transaction.atomic
def expert_profile_save(
    *,
    actor: User,
    headline: str,
    expertise: str,
    sectors: list[Sector],
    is_mentor: bool,
    is_reviewer: bool,
    mentoring_hours_per_month: int,
    is_public: bool,
    field_of_science: str | None = None,
    academic_title: str | None = None,
    degrees: list[dict] | None = None,
    publications: list[dict] | None = None,
    patents: list[dict] | None = None,
    transfers: list[dict] | None = None,
    languages: list[str] | None = None,
    availability: str | None = None,
    orcid: str | None = None,
    visibility: dict[str, str] | None = None,
) -> Expert:
    """A person's own expert profile; they alone decide whether the directory shows it and to
    whom each section is shown. A part passed as ``None`` stays as it is."""
    expert = Expert.objects.filter(user=actor).first() or Expert(user=actor)
    expert.headline = headline.strip()
    expert.expertise = expertise.strip()
    expert.is_mentor = is_mentor
    expert.is_reviewer = is_reviewer
    expert.mentoring_hours_per_month = mentoring_hours_per_month
    expert.is_public = is_public
    changes = {
        "field_of_science": field_of_science,
        "academic_title": academic_title,
        "degrees": degrees,
        "publications": publications,
        "patents": patents,
        "transfers": transfers,
        "languages": languages,
        "availability": availability,
        "orcid": orcid.strip().upper() if orcid is not None else None,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(expert, name, value)
    if visibility is not None:
        # A section the form did not name stays with staff: closed unless opened.
        expert.visibility = {
            section: visibility.get(section, Expert.Audience.STAFF) for section in Expert.SECTIONS
        }
    expert.full_clean()
    expert.save()
    expert.sectors.set(sectors)
    audit(actor=actor, action=EXPERT_UPDATE, instance=expert)
    return expert
