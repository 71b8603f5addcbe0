"""Template context about the signed-in person."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.selectors import membership_list_for_user, organisation_acting_for


def acting_organisation(request: HttpRequest) -> dict:
    """The organisation the user acts for and their memberships, computed only when used."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "acting_organisation": SimpleLazyObject(lambda: organisation_acting_for(user=user)),
        "my_memberships": SimpleLazyObject(lambda: list(membership_list_for_user(user=user))),
    }
