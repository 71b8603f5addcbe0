"""Site-wide views outside the page tree: health check and error pages."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker compose: the process answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request: HttpRequest, exception=None):
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest):
    return render(request, "500.html", status=500)
