"""URLs of finance's screens, mounted under the Wagtail admin by wagtail_hooks."""

from django.urls import path

from payments import admin_views

app_name = "payments_admin"

urlpatterns = [
    path("transfers/", admin_views.ReconciliationView.as_view(), name="reconciliation"),
    path("refunds/", admin_views.RefundView.as_view(), name="refunds"),
]
