"""One sentence for the person in front of the form, whatever a service raised."""

from django.core.exceptions import PermissionDenied, ValidationError


def error_text(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", [])) or str(error)
