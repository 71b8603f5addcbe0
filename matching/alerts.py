"""Alerts: saved searches and new matches, by email, at once or as a daily or weekly digest.

Publishing a listing queues ``Alert`` rows (a saved search that finds it; members whose
listings gain it as a match); unique constraints make sure nobody hears of the same listing
twice for the same reason. ``send_alerts`` claims what is due under a row lock and sends one
email per person; a listing taken off the floor in the meantime is dropped silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.emails import absolute_url, send_templated
from accounts.models import User
from accounts.selectors import user_list_members
from market.links import listing_url
from market.models import Listing
from market.search import SearchFilters, percolate
from matching.models import Alert, AlertPreference, Frequency, SavedSearch

UNSUBSCRIBE_SALT = "matching.unsubscribe"
FILTER_NAMES = tuple(field.name for field in fields(SearchFilters))


def search_filters(saved: SavedSearch) -> SearchFilters:
    """The saved filters, ignoring names a later version no longer knows."""
    return SearchFilters(**{k: v for k, v in saved.filters.items() if k in FILTER_NAMES})


MAX_SAVED_SEARCHES = 50


@transaction.atomic
def saved_search_create(
    *, user: User, name: str, query: str, filters: SearchFilters, frequency: str
) -> SavedSearch:
    """Keep a member's search; they hear of listings published from now on."""
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You have %(count)d saved searches already; delete one first.")
            % {"count": MAX_SAVED_SEARCHES}
        )
    active = {name: value for name, value in filters.__dict__.items() if value not in ("", None)}
    if not query.strip() and not active:
        raise ValidationError(_("Type some words or choose a filter before saving a search."))
    return SavedSearch.objects.create(
        user=user,
        name=(name.strip() or query.strip() or _("My search"))[:200],
        query=query.strip(),
        filters=active,
        frequency=frequency,
    )


def saved_search_set_frequency(*, saved: SavedSearch, frequency: str) -> SavedSearch:
    saved.frequency = frequency
    saved.save(update_fields=["frequency"])
    return saved


def saved_search_delete(*, saved: SavedSearch) -> None:
    """Forget the search and whatever it had queued."""
    saved.delete()


def alert_preference_set(*, user: User, match_frequency: str) -> AlertPreference:
    preference, _created = AlertPreference.objects.update_or_create(
        user=user, defaults={"match_frequency": match_frequency}
    )
    return preference


def match_frequency(user: User) -> str:
    preference = AlertPreference.objects.filter(user=user).first()
    return preference.match_frequency if preference else Frequency.DAILY


def queue_search_alerts(*, listing: Listing) -> int:
    """Saved searches of other organisations' members that find this newly public listing."""
    if not listing.is_public:
        return 0
    searches = list(
        SavedSearch.objects.exclude(frequency=Frequency.OFF)
        .exclude(user__memberships__organisation=listing.organisation_id)
        .filter(user__is_active=True)
    )
    found = set(
        percolate(
            listing_id=listing.pk,
            searches=[(saved.pk, saved.query, search_filters(saved)) for saved in searches],
        )
    )
    alerts = [
        Alert(
            user_id=saved.user_id,
            kind=Alert.Kind.SEARCH,
            saved_search=saved,
            found=listing,
            frequency=saved.frequency,
        )
        for saved in searches
        if saved.pk in found
    ]
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)


def queue_match_alerts(*, pairs: list[tuple[Listing, int]]) -> int:
    """Tell the members of each listing about a counterpart it newly matches, once. Members
    are read once per organisation and their preferences in one query."""
    organisations = {listing.organisation_id: listing.organisation for listing, _found in pairs}
    members = {
        organisation_id: list(user_list_members(organisation=organisation))
        for organisation_id, organisation in organisations.items()
    }
    frequencies = dict(
        AlertPreference.objects.filter(
            user__in=[user for users in members.values() for user in users]
        ).values_list("user_id", "match_frequency")
    )
    alerts = [
        Alert(
            user=user,
            kind=Alert.Kind.MATCH,
            listing=listing,
            found_id=found_id,
            frequency=frequencies.get(user.pk, Frequency.DAILY),
        )
        for listing, found_id in pairs
        for user in members[listing.organisation_id]
        if frequencies.get(user.pk, Frequency.DAILY) != Frequency.OFF
    ]
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)


def unsubscribe_token(*, user: User, saved_search: SavedSearch | None = None) -> str:
    return signing.dumps(
        {"user": user.pk, "search": saved_search.pk if saved_search else None},
        salt=UNSUBSCRIBE_SALT,
    )


def unsubscribe(*, token: str) -> tuple[User, SavedSearch | None]:
    """Stop what the token names: one saved search, or the new-match alerts. Raises
    ``signing.BadSignature`` for a forged or damaged token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    user = User.objects.get(pk=data["user"])
    with transaction.atomic():
        if data["search"]:
            saved = SavedSearch.objects.filter(pk=data["search"], user=user).first()
            if saved:
                saved.frequency = Frequency.OFF
                saved.save(update_fields=["frequency"])
            Alert.objects.filter(saved_search_id=data["search"], sent_at__isnull=True).delete()
            return user, saved
        AlertPreference.objects.update_or_create(
            user=user, defaults={"match_frequency": Frequency.OFF}
        )
        Alert.objects.filter(user=user, kind=Alert.Kind.MATCH, sent_at__isnull=True).delete()
        return user, None


def _unsubscribe_link(user: User, saved: SavedSearch | None, language: str) -> str:
    with translation.override(language):
        path = reverse(
            "matching:unsubscribe", args=[unsubscribe_token(user=user, saved_search=saved)]
        )
    return absolute_url(path)


@transaction.atomic
def send_alerts(*, frequency: str) -> int:
    """Send what is due at this frequency, one email per person; returns emails sent.
    Safe to run twice at once: rows are claimed under a lock and marked sent before the
    emails leave (after commit)."""
    due = (
        Alert.objects.filter(sent_at__isnull=True, frequency=frequency)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("user", "found__organisation", "listing", "saved_search")
        .order_by("user_id", "pk")
    )
    by_user: dict[User, list[Alert]] = defaultdict(list)
    for alert in due:
        by_user[alert.user].append(alert)
    if not by_user:
        return 0
    Alert.objects.filter(
        pk__in=[alert.pk for alerts in by_user.values() for alert in alerts]
    ).update(sent_at=timezone.now())
    sent = 0
    for user, alerts in by_user.items():
        shown = [alert for alert in alerts if alert.found.is_public and user.is_active]
        if shown:
            _send_digest(user=user, alerts=shown)
            sent += 1
    return sent


def _send_digest(*, user: User, alerts: list[Alert]) -> None:
    language = user.preferred_language
    searches: dict[SavedSearch, list[Listing]] = defaultdict(list)
    matches: dict[Listing, list[Listing]] = defaultdict(list)
    for alert in alerts:
        if alert.kind == Alert.Kind.SEARCH:
            searches[alert.saved_search].append(alert.found)
        else:
            matches[alert.listing].append(alert.found)

    def linked(listings: list[Listing]) -> list[tuple[Listing, str]]:
        return [
            (listing, absolute_url(listing_url(listing, language=language))) for listing in listings
        ]

    with translation.override(language):
        context = {
            "recipient": user,
            "searches": [
                (saved, linked(found), _unsubscribe_link(user, saved, language))
                for saved, found in searches.items()
            ],
            "matches": [
                (
                    listing,
                    linked(found),
                    absolute_url(reverse("matching:listing_matches", args=[listing.pk])),
                )
                for listing, found in matches.items()
            ],
            "match_unsubscribe": _unsubscribe_link(user, None, language) if matches else "",
            "settings_link": absolute_url(reverse("matching:alert_settings")),
        }
    # One-click unsubscribe (RFC 8058) from the mail client: new-match alerts, else the search.
    unsubscribe_link = context["match_unsubscribe"] or context["searches"][0][2]
    send_templated(
        template="alerts",
        to=user.email,
        context=context,
        language=language,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
