"""The API's addresses: /api/v1/ (our rooms' viewsets, the OpenAPI schema and its docs page)
and /api/v2/ (Wagtail's page API)."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from accounts.api import OrganisationViewSet
from cms.api import KpiView
from cms.events.api import EventViewSet
from market.api import ListingViewSet
from startups.api import CallViewSet
from techfloor.api import LanguageMixin


class PagesViewSet(LanguageMixin, PagesAPIViewSet):
    """Wagtail's page API: live, public pages only (Wagtail's own rule)."""


router = routers.DefaultRouter()
router.register("listings", ListingViewSet, basename="listing")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("calls", CallViewSet, basename="call")
router.register("events", EventViewSet, basename="event")


pages_router = WagtailAPIRouter("wagtailapi")
pages_router.register_endpoint("pages", PagesViewSet)

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/kpi/", KpiView.as_view(), name="api-kpi"),
    path("v1/", include((router.urls, "api"), namespace="api")),
    path("v2/", pages_router.urls),
]
