"""Staff exports of listings and deals: the rows, written as CSV or XLSX by
``techfloor.spreadsheets``."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from market.models import Deal, Listing


def listing_rows(listings: QuerySet[Listing]) -> Iterator[list]:
    yield [
        _("ID"),
        _("Kind"),
        _("Status"),
        _("Title"),
        _("Organisation"),
        _("Province or city"),
        _("Language"),
        _("TRL"),
        _("Intellectual property"),
        _("Transfer modes"),
        _("Price from (VND)"),
        _("Price up to (VND)"),
        _("Deadline"),
        _("Published at"),
        _("Valid until"),
        _("Featured"),
    ]
    for listing in listings.select_related("organisation").iterator(chunk_size=500):
        yield [
            listing.pk,
            listing.get_kind_display(),
            listing.get_status_display(),
            listing.title,
            listing.organisation.legal_name,
            listing.get_province_display(),
            listing.language,
            listing.trl,
            listing.get_ip_status_display(),
            ", ".join(listing.transfer_modes),
            listing.price_min,
            listing.price_max,
            listing.deadline,
            listing.published_at.date() if listing.published_at else None,
            listing.valid_until,
            listing.featured,
        ]


def deal_rows(deals: QuerySet[Deal]) -> Iterator[list]:
    yield [
        _("ID"),
        _("Listing"),
        _("Owner"),
        _("Interested organisation"),
        _("Stage"),
        _("Transaction type"),
        _("Value (VND)"),
        _("Reason it was lost"),
        _("Closed at"),
        _("Updated at"),
    ]
    deals = deals.select_related("introduction__listing__organisation", "introduction__requester")
    for deal in deals.iterator(chunk_size=500):
        yield [
            deal.pk,
            deal.introduction.listing.title,
            deal.introduction.listing.organisation.legal_name,
            deal.introduction.requester.legal_name,
            deal.get_stage_display(),
            deal.get_transaction_type_display(),
            deal.value_vnd,
            deal.lost_reason,
            deal.closed_at.date() if deal.closed_at else None,
            deal.updated_at.date(),
        ]
