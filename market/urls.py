from django.urls import path, re_path

from market import purchase_views, views

app_name = "market"

urlpatterns = [
    path("portal/listings/", views.listing_list, name="listing_list"),
    path("portal/listings/new/", views.listing_create, name="listing_create"),
    path("portal/listings/<int:pk>/", views.listing_edit, name="listing_edit"),
    path("portal/listings/<int:pk>/autosave/", views.listing_autosave, name="listing_autosave"),
    path("portal/listings/<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path(
        "portal/listings/<int:pk>/feature/",
        purchase_views.listing_feature,
        name="listing_feature",
    ),
    # Only the actions it knows: other rooms add their own pages under a listing (``market.tabs``).
    re_path(
        rf"^portal/listings/(?P<pk>[0-9]+)/(?P<action>{'|'.join(views.LISTING_ACTIONS)})/$",
        views.listing_action,
        name="listing_action",
    ),
    path("portal/files/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("portal/interest/<int:pk>/", views.introduction_request, name="introduction_request"),
    path("portal/introductions/", views.introduction_list, name="introduction_list"),
    path("portal/services/", purchase_views.service_list, name="service_list"),
    path(
        "portal/services/<int:pk>/order/",
        purchase_views.service_order_create,
        name="service_order_create",
    ),
    path(
        "portal/introductions/<int:pk>/",
        views.introduction_detail,
        name="introduction_detail",
    ),
]
