"""Experts for a published technology need, for the curators who broker it: the same parties,
features and reasons as a startup's recommendations (``matching.startups``), read from the
need's fields as the listing matcher weighs them and from the expert's whole record —
headline, expertise, field of science and the titles of publications, patents and past
transfers. Staff see this ranking, so it may read sections the expert keeps from the public.

There are tens or hundreds of experts, so every available one is a candidate and nothing is
stored; the ranking is made when a curator opens the page.
"""

from __future__ import annotations

from django.db.models import Prefetch

from accounts.models import Sector
from market.models import Listing
from matching.engine import Ranked
from matching.listings import FIELD_WEIGHTS, Vocabulary, _fields, load_space
from matching.startups import AVAILABILITY_FIT, _party, _ranked, expert_party
from startups.models import Expert


def _sectors() -> Prefetch:
    return Prefetch("sectors", queryset=Sector.objects.select_related("parent"))


def experts_for_need(*, listing: Listing) -> list[Ranked]:
    """The best experts for a need, best first: words and concepts shared with the need,
    sector fit, then availability (limited counts half; the unavailable are left out). The
    order is stable: equal scores keep the experts' ids in order."""
    if listing.kind != Listing.Kind.NEED:
        return []
    listing = Listing.objects.prefetch_related(_sectors()).get(pk=listing.pk)
    _row, space = load_space()
    idf = Vocabulary(space).idf
    fields = _fields(listing)
    source = _party(
        ("need", listing.pk),
        listing,
        texts=[(fields[name], weight) for name, weight in FIELD_WEIGHTS],
        province=listing.province,
        sectors=listing.sectors.all(),
        idf=idf,
    )
    experts = [
        expert_party(expert, idf=idf, key=("expert", expert.pk), with_record=True)
        for expert in Expert.objects.filter(user__is_active=True)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .select_related("user")
        .prefetch_related(_sectors())
    ]

    def availability_fit(expert: Expert):
        return AVAILABILITY_FIT.get(expert.availability, 0.0), None

    return _ranked(source, experts, availability_fit)
