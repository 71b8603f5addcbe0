"""Staff downloads of a call's applications and reviews as CSV or XLSX, for the Wagtail admin.

Mounted by ``wagtail_hooks`` under the admin; the staff check here holds wherever they are
mounted."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import pgettext

from startups import exports
from startups.admin_views.base import forbidden
from startups.models import CallPage
from startups.selectors.access import is_programme_staff
from techfloor import spreadsheets

FORMATS = ("csv", "xlsx")


def _export(
    request: HttpRequest,
    *,
    call_id: int,
    file_format: str,
    dataset: str,
    rows: Callable[..., Iterator[list]],
    title: str,
) -> HttpResponse:
    if not is_programme_staff(request.user):
        return forbidden(request)
    if file_format not in FORMATS:
        raise Http404
    call = get_object_or_404(CallPage, pk=call_id)
    stamp = timezone.localdate().isoformat()
    return spreadsheets.spreadsheet_response(
        rows(call=call),
        file_format=file_format,
        # ASCII only: call slugs may be Vietnamese, which a plain filename cannot carry.
        filename=f"techfloor-call-{call.pk}-{dataset}-{stamp}",
        title=title,
    )


def call_export_applications(request: HttpRequest, call_id: int, format: str) -> HttpResponse:
    """A call's applications with their phase, eligibility, score and decision."""
    return _export(
        request,
        call_id=call_id,
        file_format=format,
        dataset="applications",
        rows=exports.applications_rows,
        title=pgettext("spreadsheet", "Applications"),
    )


def call_export_reviews(request: HttpRequest, call_id: int, format: str) -> HttpResponse:
    """A call's reviews, one column per rubric criterion, with each weighted score."""
    return _export(
        request,
        call_id=call_id,
        file_format=format,
        dataset="reviews",
        rows=exports.reviews_rows,
        title=pgettext("spreadsheet", "Reviews"),
    )


urlpatterns = [
    path(
        "calls/<int:call_id>/export/applications.<str:format>",
        call_export_applications,
        name="call_export_applications",
    ),
    path(
        "calls/<int:call_id>/export/reviews.<str:format>",
        call_export_reviews,
        name="call_export_reviews",
    ),
]
