from startups.views import applications, incubators, profiles, reviews, surveys, tasks

app_name = "startups"

urlpatterns = [
    *applications.urlpatterns,
    *reviews.urlpatterns,
    *incubators.urlpatterns,
    *profiles.urlpatterns,
    *surveys.urlpatterns,
    *tasks.urlpatterns,
]
