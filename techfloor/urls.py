"""URLs: the admin and technical endpoints unprefixed; every public page under /vi/ or /en/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import api as cms_api
from cms import views as cms_views
from market import opendata
from payments import webhooks as payments_webhooks

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", cms_views.health, name="health"),
    path("sitemap.xml", sitemap),
    path("payments/stripe/webhook/", payments_webhooks.stripe_webhook, name="stripe_webhook"),
    # The REST API and open data: not language-prefixed (docs/open-data-and-api.md).
    path("api/", include("techfloor.api.urls")),
    path("open-data/listings.jsonl", opendata.listings_jsonl, name="open_data_listings_jsonl"),
    path("open-data/listings.csv", opendata.listings_csv, name="open_data_listings_csv"),
    path("open-data/kpi.json", cms_api.kpi_json, name="open_data_kpi_json"),
    path("open-data/kpi.csv", cms_api.kpi_csv, name="open_data_kpi_csv"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("market.urls")),
    path("", include("matching.urls")),
    path("", include("startups.urls")),
    path("", include("payments.urls")),
    path("", include("cms.events.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
