from startups.views import incubators

app_name = "startups"

urlpatterns = [
    *incubators.urlpatterns,
]
