"""Sections that higher rooms add to an organisation's public profile.

``accounts`` may not import ``market``; instead ``market`` registers a function that renders
the organisation's listings, and the profile view shows whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from accounts.models import Organisation

ProfileSection = Callable[[HttpRequest, Organisation], str]
PROFILE_SECTIONS: list[ProfileSection] = []


def register_profile_section(section: ProfileSection) -> ProfileSection:
    if section not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append(section)
    return section


def render_profile_sections(request: HttpRequest, organisation: Organisation) -> list[str]:
    return [section(request, organisation) for section in PROFILE_SECTIONS]
