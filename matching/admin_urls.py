from django.urls import path

from matching import admin_challenges, admin_views

app_name = "matching_admin"

urlpatterns = [
    path("", admin_views.WorkbenchView.as_view(), name="workbench"),
    path("<int:pk>/introduce/", admin_views.introduce, name="introduce"),
    path("needs/<int:pk>/experts/", admin_views.NeedExpertsView.as_view(), name="need_experts"),
    *admin_challenges.urlpatterns,
]
