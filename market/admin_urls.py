from django.urls import path

from market import admin_views

app_name = "market_admin"

urlpatterns = [
    path("curation/", admin_views.CurationQueueView.as_view(), name="curation_queue"),
    path("curation/<int:pk>/", admin_views.CurationReviewView.as_view(), name="curation_review"),
    path("introductions/", admin_views.IntroductionQueueView.as_view(), name="introduction_queue"),
    path(
        "introductions/<int:pk>/",
        admin_views.IntroductionReviewView.as_view(),
        name="introduction_review",
    ),
    path("deals/", admin_views.DealBoardView.as_view(), name="deal_board"),
    path("services/", admin_views.ServiceOrderQueueView.as_view(), name="service_order_queue"),
    path(
        "services/<int:pk>/",
        admin_views.ServiceOrderDetailView.as_view(),
        name="service_order_detail",
    ),
    path("export/<str:dataset>.<str:file_format>", admin_views.export, name="export"),
]
