"""API tokens: one per person, created and revoked in the portal (``/portal/api-token/``).

Django REST framework's own token model (``rest_framework.authtoken``): a reviewed component
with its migration, checked by its ``TokenAuthentication``. It keeps the key as it is (no hash),
so the portal shows a key only once, right after it is made; revoking deletes it at once.
docs/open-data-and-api.md says why this and not a hashed model of our own.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import Token

from accounts.audit import audit, register_action
from accounts.models import User

API_TOKEN_CREATE = register_action(
    "techfloor.api_token.create",
    gettext_lazy("Create API token"),
    gettext_lazy("API token created"),
)
API_TOKEN_REVOKE = register_action(
    "techfloor.api_token.revoke",
    gettext_lazy("Revoke API token"),
    gettext_lazy("API token revoked"),
)


def api_token_get(*, user: User) -> Token | None:
    """The person's token, or None."""
    return Token.objects.filter(user=user).first()


@transaction.atomic
def api_token_create(*, actor: User) -> Token:
    """A new token for the actor; one they had before stops working."""
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    # The person is recorded, never the key: the audit trail is readable by staff.
    audit(actor=actor, action=API_TOKEN_CREATE, instance=actor)
    return token


@transaction.atomic
def api_token_revoke(*, actor: User) -> bool:
    """Delete the actor's token; False when they had none."""
    deleted, _rows = Token.objects.filter(user=actor).delete()
    if deleted:
        audit(actor=actor, action=API_TOKEN_REVOKE, instance=actor)
    return bool(deleted)
