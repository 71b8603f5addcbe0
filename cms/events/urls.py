from cms.events import views

app_name = "events"

urlpatterns = views.urlpatterns
