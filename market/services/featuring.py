"""Featured listings bought from the Innovation Center: the owner orders a period, payment
features the listing until its end (a second period follows the first), Celery beat takes it
down when the time is up, and a refund or the listing leaving the floor ends it early."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit, register_action
from accounts.models import Membership, User
from accounts.selectors import membership_get
from market.models import Listing, ListingFeature
from payments.models import Order, PriceItem
from payments.services import order_create

FEATURED_LISTING = "featured_listing"

FEATURE_ORDER = register_action(
    "techfloor.listing.feature_order",
    gettext_lazy("Order featuring"),
    gettext_lazy("Featuring ordered"),
)
FEATURE_START = register_action(
    "techfloor.listing.feature_start",
    gettext_lazy("Start paid featuring"),
    gettext_lazy("Paid featuring started"),
)
FEATURE_END = register_action(
    "techfloor.listing.feature_end",
    gettext_lazy("End featuring"),
    gettext_lazy("Featuring ended"),
)
FEATURE_REVOKE = register_action(
    "techfloor.listing.feature_revoke",
    gettext_lazy("Revoke featuring"),
    gettext_lazy("Featuring revoked on refund"),
)


def may_order_feature(*, listing: Listing, user: User) -> bool:
    """Owners and administrators of the listing's organisation buy featuring for it."""
    membership = membership_get(user=user, organisation=listing.organisation)
    return membership is not None and membership.role in (
        Membership.Role.OWNER,
        Membership.Role.ADMIN,
    )


@transaction.atomic
def listing_feature_order(
    *, listing: Listing, actor: User, price_item: PriceItem
) -> ListingFeature:
    """Record the featuring the owner chose and place its order; it awaits payment."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if not may_order_feature(listing=listing, user=actor):
        raise PermissionDenied(
            _("Only owners and administrators of %(name)s may feature its listings.")
            % {"name": listing.organisation}
        )
    if listing.status != Listing.Status.PUBLISHED:
        raise ValidationError(
            _("Only a listing on the floor can be featured; this one is “%(status)s”.")
            % {"status": listing.get_status_display()},
            code="wrong_status",
        )
    if not (
        price_item.is_active
        and price_item.kind == PriceItem.Kind.FEATURED_LISTING
        and price_item.duration_days
    ):
        raise ValidationError(
            {"price_item": _("Choose one of the featuring plans on sale.")}, code="invalid"
        )
    feature = ListingFeature.objects.create(
        listing=listing, price_item=price_item, days=price_item.duration_days, ordered_by=actor
    )
    feature.order = order_create(
        payer=actor,
        organisation=listing.organisation,
        items=[(FEATURED_LISTING, feature.pk, 1)],
    )
    feature.save(update_fields=["order"])
    audit(
        actor=actor,
        action=FEATURE_ORDER,
        instance=listing,
        data={"days": feature.days, "order": feature.order.reference},
    )
    return feature


def listing_feature_start(*, feature_id: int, order: Order) -> ListingFeature:
    """Payment arrived: feature the listing for the period bought, after any period already
    running. Runs inside the payment's transaction (``market.payables``)."""
    feature = ListingFeature.objects.select_for_update().get(pk=feature_id)
    if feature.status != ListingFeature.Status.AWAITING_PAYMENT:
        return feature
    listing = Listing.objects.select_for_update().get(pk=feature.listing_id)
    if listing.status != Listing.Status.PUBLISHED:
        # Paid for after the listing left the floor: nothing to feature; finance refund it.
        feature.status = ListingFeature.Status.CANCELLED
        feature.save(update_fields=["status"])
        audit(
            actor=None,
            action=FEATURE_END,
            instance=listing,
            data={"order": order.reference, "reason": "not_published"},
        )
        return feature
    now = timezone.now()
    start = max(now, listing.featured_until or now)
    feature.status = ListingFeature.Status.ACTIVE
    feature.starts_at = start
    feature.ends_at = start + datetime.timedelta(days=feature.days)
    feature.save(update_fields=["status", "starts_at", "ends_at"])
    listing.featured = True
    listing.featured_until = feature.ends_at
    listing.save(update_fields=["featured", "featured_until", "updated_at"])
    audit(
        actor=None,
        action=FEATURE_START,
        instance=listing,
        data={"order": order.reference, "featured_until": feature.ends_at.isoformat()},
    )
    return feature


def listing_feature_revoke(*, feature_id: int, order: Order) -> ListingFeature:
    """The order was refunded: cancel the period; the listing stays featured only as long as
    its other paid periods run. Runs inside the refund's transaction."""
    feature = ListingFeature.objects.select_for_update().get(pk=feature_id)
    if feature.status == ListingFeature.Status.CANCELLED:
        return feature
    listing = Listing.objects.select_for_update().get(pk=feature.listing_id)
    feature.status = ListingFeature.Status.CANCELLED
    feature.save(update_fields=["status"])
    remaining = (
        listing.features.filter(status=ListingFeature.Status.ACTIVE)
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    if listing.featured_until is not None:
        listing.featured = remaining is not None
        listing.featured_until = remaining
        listing.save(update_fields=["featured", "featured_until", "updated_at"])
    audit(
        actor=None,
        action=FEATURE_REVOKE,
        instance=listing,
        data={"order": order.reference, "featured_until": _iso(remaining)},
    )
    return feature


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def listing_feature_stop(*, listing: Listing, actor: User | None) -> None:
    """End every paid period of a listing that left the floor (withdrawn, closed, expired) or
    that curators stopped featuring; call within the transaction that changes the listing,
    with its row locked."""
    running = listing.features.filter(status=ListingFeature.Status.ACTIVE)
    if not (running.exists() or listing.featured_until):
        return
    now = timezone.now()
    # A period queued after the current one never ran: it is cancelled, not ended.
    running.filter(starts_at__gt=now).update(status=ListingFeature.Status.CANCELLED)
    running.update(status=ListingFeature.Status.ENDED, ends_at=now)
    listing.featured = False
    listing.featured_until = None
    listing.save(update_fields=["featured", "featured_until", "updated_at"])
    audit(actor=actor, action=FEATURE_END, instance=listing, data={"reason": listing.status})


def listing_feature_end_due(*, now: datetime.datetime | None = None) -> int:
    """Take down listings whose paid featuring ran out; each in its own transaction, safe to
    run twice. Returns how many listings stopped being featured."""
    now = now or timezone.now()
    # Periods that ran out while a later one keeps the listing featured.
    ListingFeature.objects.filter(status=ListingFeature.Status.ACTIVE, ends_at__lte=now).update(
        status=ListingFeature.Status.ENDED
    )
    ended = 0
    due = Listing.objects.filter(featured_until__lte=now)
    for listing_id in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            listing = Listing.objects.select_for_update().get(pk=listing_id)
            if listing.featured_until is None or listing.featured_until > now:
                continue  # prolonged or ended meanwhile
            listing.featured = False
            listing.featured_until = None
            listing.save(update_fields=["featured", "featured_until", "updated_at"])
            audit(actor=None, action=FEATURE_END, instance=listing, data={"reason": "time_up"})
            ended += 1
    return ended
