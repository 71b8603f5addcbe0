"""The trading floor's payables: a featuring period and an S&T service order. Registered with
payments in ``MarketConfig.ready()``; payments calls them by key and id, never importing market."""

from __future__ import annotations

from accounts.models import User
from market.models import Listing, ListingFeature, ServiceOrder
from market.services import featuring, service_orders
from payments.models import Order
from payments.payables import Description, register_payable


class FeaturedListingPayable:
    """A ``ListingFeature``: its plan's price; paying features the listing."""

    def describe(self, payable_id: int) -> Description:
        feature = ListingFeature.objects.select_related("listing", "price_item").get(pk=payable_id)
        return Description(
            f"{feature.price_item.name} · {feature.listing.title}", feature.price_item.amount
        )

    def is_payable(self, payable_id: int, user: User) -> bool:
        feature = (
            ListingFeature.objects.select_related("listing__organisation")
            .filter(pk=payable_id, status=ListingFeature.Status.AWAITING_PAYMENT)
            .first()
        )
        return (
            feature is not None
            and feature.listing.status == Listing.Status.PUBLISHED
            and featuring.may_order_feature(listing=feature.listing, user=user)
        )

    def fulfil(self, payable_id: int, order: Order) -> None:
        featuring.listing_feature_start(feature_id=payable_id, order=order)

    def revoke(self, payable_id: int, order: Order) -> None:
        featuring.listing_feature_revoke(feature_id=payable_id, order=order)


class ServiceOrderPayable:
    """A ``ServiceOrder``: its service's price; paying sends it to the staff."""

    def describe(self, payable_id: int) -> Description:
        service_order = ServiceOrder.objects.select_related("price_item").get(pk=payable_id)
        return Description(service_order.price_item.name, service_order.price_item.amount)

    def is_payable(self, payable_id: int, user: User) -> bool:
        service_order = (
            ServiceOrder.objects.select_related("organisation")
            .filter(pk=payable_id, status=ServiceOrder.Status.AWAITING_PAYMENT)
            .first()
        )
        return service_order is not None and service_orders.may_order_service(
            organisation=service_order.organisation, user=user
        )

    def fulfil(self, payable_id: int, order: Order) -> None:
        service_orders.service_order_start(service_order_id=payable_id, order=order)

    def revoke(self, payable_id: int, order: Order) -> None:
        service_orders.service_order_cancel(service_order_id=payable_id, order=order)


def register() -> None:
    register_payable(featuring.FEATURED_LISTING, FeaturedListingPayable())
    register_payable(service_orders.SERVICE_ORDER, ServiceOrderPayable())
