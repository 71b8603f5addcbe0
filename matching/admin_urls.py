from django.urls import path

from matching import admin_views

app_name = "matching_admin"

urlpatterns = [
    path("", admin_views.WorkbenchView.as_view(), name="workbench"),
    path("<int:pk>/introduce/", admin_views.introduce, name="introduce"),
]
