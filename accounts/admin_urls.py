from django.urls import path

from accounts import admin_views

app_name = "accounts_admin"

urlpatterns = [
    path("", admin_views.VerificationQueueView.as_view(), name="verification_queue"),
    path("<int:pk>/", admin_views.VerificationDecideView.as_view(), name="verification_decide"),
]
