from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("portal/", views.dashboard, name="dashboard"),
    path("portal/profile/", views.profile_edit, name="profile_edit"),
    path("portal/api-token/", views.api_token, name="api_token"),
    path("portal/organisations/new/", views.organisation_create, name="organisation_create"),
    path("portal/organisations/switch/", views.organisation_switch, name="organisation_switch"),
    path(
        "portal/organisations/<slug:slug>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "portal/organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path(
        "portal/organisations/<slug:slug>/verification/",
        views.verification_submit,
        name="verification_submit",
    ),
    path(
        "portal/verification/<int:pk>/evidence/",
        views.verification_evidence,
        name="verification_evidence",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisations/", views.organisation_directory, name="organisation_directory"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
