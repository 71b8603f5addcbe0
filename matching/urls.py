from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("portal/listings/<int:pk>/matches/", views.listing_matches, name="listing_matches"),
    path("portal/matches/<int:pk>/feedback/", views.match_feedback, name="match_feedback"),
]
