"""What a service refused, said to the person in front of the form."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


def error_text(error: ValidationError | PermissionDenied) -> str:
    """One sentence, whatever a service raised."""
    return " ".join(getattr(error, "messages", [])) or str(error)


def add_service_error(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal beside the field it names, or above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error_text(error))
