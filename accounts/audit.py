"""The audit trail: every state change a service makes is written to Wagtail's log.

Wagtail's ``ModelLogEntry`` already gives staff the "Site history" report and a history tab
per object; one helper keeps the action names in one place (see ``wagtail_hooks.py``).
"""

from typing import Any

from django.db.models import Model
from wagtail.log_actions import log

# action code → (label, message), registered with Wagtail in accounts/wagtail_hooks.py.
ACTIONS: dict[str, tuple[str, str]] = {}


def register_action(code: str, label: str, message: str) -> str:
    """Declare an audited action once, next to the service that performs it."""
    ACTIONS[code] = (label, message)
    return code


def audit(*, actor, action: str, instance: Model, data: dict[str, Any] | None = None) -> None:
    """Record that ``actor`` performed ``action`` on ``instance``."""
    log(instance=instance, action=action, user=actor, data=data or {})
