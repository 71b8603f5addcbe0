"""The REST API's shared parts: pagination, rate limits, errors and the answer's language.
Each room keeps its serializers and viewsets in its own ``api.py``; ``techfloor.api.urls``
assembles them under /api/. docs/open-data-and-api.md.

DRF imports this module while it builds its own views (the throttle classes are settings), so
nothing here may import ``rest_framework.views`` at import time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils import translation
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class Pagination(PageNumberPagination):
    """20 to a page unless ``page_size`` asks for up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100


class AnonThrottle(AnonRateThrottle):
    """Reads the rate when asked, so a settings change (a test's, an operator's) applies."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


def exception_handler(exc, context):
    """Services raise Django's ValidationError; answer it as a 400 naming the fields."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)


def request_language(request: HttpRequest) -> str:
    """``?lang=vi|en`` when given, else what the browser asks for (Accept-Language), else
    Vietnamese: labels and messages are written in that language."""
    language = request.GET.get("lang", "")
    if language in LANGUAGE_CODES:
        return language
    return translation.get_language_from_request(request)


class LanguageMixin:
    """Answers in the request's language and says which one (Content-Language)."""

    def dispatch(self, request, *args, **kwargs):
        language = request_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = language
        return response


def only_version_one(endpoints):
    """The OpenAPI schema describes /api/v1/; Wagtail documents its own page API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
