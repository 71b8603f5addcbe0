from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("portal/orders/<str:reference>/", views.order_detail, name="order_detail"),
    path(
        "portal/orders/<str:reference>/pay-by-card/",
        views.order_pay_by_card,
        name="order_pay_by_card",
    ),
    path("portal/orders/<str:reference>/cancel/", views.order_cancel, name="order_cancel"),
    path("portal/orders/<str:reference>/receipt.pdf", views.order_receipt, name="order_receipt"),
]
