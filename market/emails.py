"""Notifications of the trading floor, each rendered in its recipient's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import selectors as account_selectors
from accounts.emails import CURATORS_GROUP, absolute_url, send_to_users
from accounts.models import Organisation, User
from market.models import Introduction, Listing, ServiceOrder


class Text:
    """A message with parameters, translated only when rendered for a recipient."""

    def __init__(self, message, **params) -> None:
        self.message, self.params = message, params

    def __str__(self) -> str:
        return str(self.message) % {name: str(value) for name, value in self.params.items()}


def _notify(*, users: Iterable[User], subject: Text, lines: list[Text], link: str = "") -> None:
    send_to_users(
        template="notification",
        users=users,
        context={"subject": subject, "lines": lines, "link": absolute_url(link) if link else ""},
    )


def _owners(listing: Listing) -> list[User]:
    users = {
        user.pk: user
        for user in account_selectors.user_list_managing(organisation=listing.organisation)
    }
    if listing.created_by and listing.created_by.is_active:
        users[listing.created_by.pk] = listing.created_by
    return list(users.values())


def _curators() -> Iterable[User]:
    return account_selectors.user_list_in_group(name=CURATORS_GROUP)


def _portal_link(listing: Listing) -> str:
    return reverse("market:listing_edit", kwargs={"pk": listing.pk})


def listing_submitted(*, listing: Listing) -> None:
    _notify(
        users=_curators(),
        subject=Text(_("Listing to review: %(title)s"), title=listing.title),
        lines=[
            Text(
                _("%(organisation)s submitted “%(title)s” for publication."),
                organisation=listing.organisation,
                title=listing.title,
            )
        ],
        link=reverse("market_admin:curation_review", kwargs={"pk": listing.pk}),
    )


def listing_decided(*, listing: Listing, reason: str = "") -> None:
    """Published, changes requested or rejected: tell the owners, with the curator's reason."""
    lines = [
        Text(
            _("Your listing “%(title)s” is now: %(status)s."),
            title=listing.title,
            status=listing.get_status_display(),
        )
    ]
    if reason:
        lines.append(Text(_("Curator's comment: %(reason)s"), reason=reason))
    _notify(
        users=_owners(listing),
        subject=Text(
            _("%(status)s: %(title)s"), status=listing.get_status_display(), title=listing.title
        ),
        lines=lines,
        link=_portal_link(listing),
    )


def listing_expiring(*, listing: Listing) -> None:
    _notify(
        users=_owners(listing),
        subject=Text(_("Renew your listing: %(title)s"), title=listing.title),
        lines=[
            Text(
                _("“%(title)s” leaves the floor on %(date)s unless you renew it."),
                title=listing.title,
                date=listing.valid_until.strftime("%d/%m/%Y"),
            )
        ],
        link=_portal_link(listing),
    )


def listing_expired(*, listing: Listing) -> None:
    _notify(
        users=_owners(listing),
        subject=Text(_("Expired: %(title)s"), title=listing.title),
        lines=[
            Text(
                _("“%(title)s” has expired and left the floor. Renew it to publish it again."),
                title=listing.title,
            )
        ],
        link=_portal_link(listing),
    )


def _introduction_link(introduction: Introduction) -> str:
    return reverse("market:introduction_detail", kwargs={"pk": introduction.pk})


def _members(organisation: Organisation) -> Iterable[User]:
    return account_selectors.user_list_members(organisation=organisation)


def introduction_requested(*, introduction: Introduction) -> None:
    _notify(
        users=_owners(introduction.listing),
        subject=Text(_("Interest in “%(title)s”"), title=introduction.listing.title),
        lines=[
            Text(
                _("%(organisation)s would like an introduction about “%(title)s”."),
                organisation=introduction.requester,
                title=introduction.listing.title,
            )
        ],
        link=_introduction_link(introduction),
    )


def introduction_accepted(*, introduction: Introduction) -> None:
    _notify(
        users=_curators(),
        subject=Text(_("Introduction to approve: %(title)s"), title=introduction.listing.title),
        lines=[
            Text(
                _("%(owner)s accepted the interest of %(requester)s."),
                owner=introduction.listing.organisation,
                requester=introduction.requester,
            )
        ],
        link=reverse("market_admin:introduction_review", kwargs={"pk": introduction.pk}),
    )


def introduction_decided(*, introduction: Introduction) -> None:
    """Approved: both parties. Declined or not approved: the interested organisation."""
    users = list(_members(introduction.requester))
    if introduction.is_approved:
        users += list(_members(introduction.listing.organisation))
    lines = [
        Text(
            _("The introduction about “%(title)s” is now: %(status)s."),
            title=introduction.listing.title,
            status=introduction.get_status_display(),
        )
    ]
    if introduction.is_approved:
        lines.append(Text(_("Contact details are now shared and a message thread is open.")))
    elif introduction.reason:
        lines.append(Text(_("Reason: %(reason)s"), reason=introduction.reason))
    _notify(
        users={user.pk: user for user in users}.values(),
        subject=Text(
            _("Introduction %(status)s: %(title)s"),
            status=introduction.get_status_display(),
            title=introduction.listing.title,
        ),
        lines=lines,
        link=_introduction_link(introduction),
    )


def message_posted(*, introduction: Introduction, author: User) -> None:
    users = [
        user
        for organisation in (introduction.requester, introduction.listing.organisation)
        for user in _members(organisation)
        if user.pk != author.pk
    ]
    _notify(
        users={user.pk: user for user in users}.values(),
        subject=Text(_("New message about “%(title)s”"), title=introduction.listing.title),
        lines=[Text(_("%(author)s wrote in the thread."), author=author.full_name or author.email)],
        link=_introduction_link(introduction),
    )


def service_order_paid(*, service_order: ServiceOrder) -> None:
    """A paid service order waits for staff to take it on."""
    _notify(
        users=_curators(),
        subject=Text(
            _("Service order to handle: %(service)s"), service=service_order.price_item.name
        ),
        lines=[
            Text(
                _("%(organisation)s paid for “%(service)s”. Preferred date: %(date)s."),
                organisation=service_order.organisation,
                service=service_order.price_item.name,
                date=service_order.preferred_date.strftime("%d/%m/%Y")
                if service_order.preferred_date
                else "—",
            ),
            Text(_("What they need: %(details)s"), details=service_order.details),
        ],
        link=reverse("market_admin:service_order_detail", kwargs={"pk": service_order.pk}),
    )


def service_order_done(*, service_order: ServiceOrder) -> None:
    """Tell the person who ordered the service (and the organisation's managers) it is done."""
    users = {
        user.pk: user
        for user in account_selectors.user_list_managing(organisation=service_order.organisation)
    }
    if service_order.requested_by.is_active:
        users[service_order.requested_by_id] = service_order.requested_by
    _notify(
        users=users.values(),
        subject=Text(_("Done: %(service)s"), service=service_order.price_item.name),
        lines=[
            Text(
                _("The Innovation Center has completed “%(service)s” for %(organisation)s."),
                service=service_order.price_item.name,
                organisation=service_order.organisation,
            ),
            Text(_("Note: %(note)s"), note=service_order.staff_note),
        ],
        link=reverse("market:service_list"),
    )
