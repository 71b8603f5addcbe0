from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("portal/listings/<int:pk>/matches/", views.listing_matches, name="listing_matches"),
    path("portal/matches/<int:pk>/feedback/", views.match_feedback, name="match_feedback"),
    path("portal/startup-matches/", views.startup_matches, name="startup_matches"),
    path("portal/alerts/", views.alert_settings, name="alert_settings"),
    path("portal/alerts/searches/", views.saved_search_create, name="saved_search_create"),
    path("portal/alerts/searches/<int:pk>/", views.saved_search_update, name="saved_search_update"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
