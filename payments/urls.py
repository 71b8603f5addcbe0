from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("portal/orders/<str:reference>/", views.order_detail, name="order_detail"),
]
