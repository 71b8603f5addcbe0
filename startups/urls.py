from startups.views import applications, incubators, reviews

app_name = "startups"

urlpatterns = [
    *applications.urlpatterns,
    *reviews.urlpatterns,
    *incubators.urlpatterns,
]
