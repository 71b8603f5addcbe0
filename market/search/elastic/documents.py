"""What Elasticsearch stores: one ``Document`` per searchable model.

Each document class names its read alias (``Index.name``, e.g. "techfloor-listings"; the
versioned indices behind it and the "-write" alias are ``market.search.elastic.indices``'
business), says which objects belong in the index (``get_queryset``: prefetched for bulk
indexing; an object outside it is removed from the index) and turns one of them into a document
(``from_instance``: each field from ``prepare_<field>`` when the class has one, otherwise from the
attribute of the same name).

Text is normalised to NFC here because the analyzers fold only precomposed letters
(``market.search.elastic.analysis``).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any, Self

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.html import strip_tags
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Integer,
    Keyword,
    Long,
    Short,
    Text,
)

from accounts.selectors import organisation_list_public
from market.search.base import PRICE_BANDS
from market.search.elastic.analysis import vi_folded, vi_shingles, vi_text
from market.search.elastic.connection import index_prefix

# Replicas can be raised on a live index (docs/elasticsearch.md, "Scaling out"); a single node
# cannot hold a replica and would stay yellow.
INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def searchable_text(**kwargs: Any) -> Text:
    """Text read three more ways: folded, as syllable pairs, and as English."""
    return Text(
        analyzer=vi_text,
        fields={
            "folded": Text(analyzer=vi_folded),
            "shingles": Text(analyzer=vi_shingles),
            "english": Text(analyzer="english"),
        },
        **kwargs,
    )


def price_band(price_min: int | None, price_max: int | None) -> str:
    """The code of the band the lower price falls in (``PRICE_BANDS``); no price: negotiable."""
    price = price_min if price_min is not None else price_max
    if price is None:
        return "negotiable"
    for code, _label, low, high in PRICE_BANDS:
        if low is not None and price >= low and (high is None or price < high):
            return code
    return "negotiable"


def content_digest(values: dict[str, Any]) -> str:
    """A digest of a document's fields: equal digests, equal documents."""
    encoded = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


class ModelDocument(Document):
    """A document built from a Django model instance."""

    # Filled by ``copy_to`` inside Elasticsearch: never sent.
    COPY_TARGETS = ()  # no annotation: elasticsearch.dsl would map an annotated name

    # The digest of the other fields, read back from ``_source`` and never searched (so not
    # indexed): ``search_index --check --deep`` compares it with the database's to find drift
    # that ``updated_at`` does not show.
    digest = Keyword(index=False)

    # "app_label.ModelName" of the indexed model: named, not imported, because ``market``
    # never imports ``startups`` (docs/architecture.md).
    model_label = ""

    @classmethod
    def get_model(cls) -> type[Model]:
        return apps.get_model(cls.model_label)

    @classmethod
    def get_queryset(cls) -> QuerySet:
        raise NotImplementedError

    @classmethod
    def from_instance(cls, obj: Model) -> Self:
        values = {}
        for name in cls._doc_type.mapping:
            if name in cls.COPY_TARGETS or name == "digest":
                continue
            prepare = getattr(cls, f"prepare_{name}", None)
            values[name] = prepare(obj) if prepare else getattr(obj, name)
        return cls(meta={"id": obj.pk}, digest=content_digest(values), **values)


class ListingDocument(ModelDocument):
    """A published listing: what the floor searches, filters, counts, sorts and percolates.

    Only what the public may search is indexed: ``body`` is ``Listing.public_body()``, empty
    unless the listing is fully public, so details cannot be probed by searching.
    """

    COPY_TARGETS = ("search_text",)
    model_label = "market.Listing"

    id = Integer()
    kind = Keyword()
    status = Keyword()
    visibility = Keyword()
    language = Keyword()
    organisation_id = Integer()
    organisation_name = Text(analyzer=vi_text, fields={"raw": Keyword()})
    title = searchable_text(copy_to="search_text")
    summary = searchable_text(copy_to="search_text")
    keywords = searchable_text(copy_to="search_text")
    body = searchable_text(copy_to="search_text")
    # Every searchable word, folded: whether a listing matches at all (all words, or any).
    search_text = Text(analyzer=vi_folded)
    sectors = Keyword()  # the listing's sector codes and their parents' (the sector filter)
    top_sectors = Keyword()  # top-level codes only (the sector facet)
    province = Keyword()
    trl = Short()
    ip_status = Keyword()
    transfer_modes = Keyword()
    price_min = Long()
    price_max = Long()
    price_band = Keyword()
    featured = Boolean()
    published_at = Date()
    deadline = Date()
    updated_at = Date()

    class Index:
        name = f"{index_prefix()}-listings"
        settings = INDEX_SETTINGS

    @classmethod
    def get_queryset(cls) -> QuerySet:
        listing = cls.get_model()
        return (
            listing.objects.filter(status=listing.Status.PUBLISHED)
            .select_related("organisation")
            .prefetch_related("sectors__parent")
            .order_by("pk")
        )

    @staticmethod
    def prepare_organisation_name(listing) -> str:
        return nfc(listing.organisation.legal_name)

    @staticmethod
    def prepare_title(listing) -> str:
        return nfc(listing.title)

    @staticmethod
    def prepare_summary(listing) -> str:
        return nfc(listing.summary)

    @staticmethod
    def prepare_keywords(listing) -> list[str]:
        return [nfc(str(keyword)) for keyword in listing.keywords or []]

    @staticmethod
    def prepare_body(listing) -> str:
        return nfc(listing.public_body())

    @staticmethod
    def prepare_sectors(listing) -> list[str]:
        codes = set()
        for sector in listing.sectors.all():
            codes.add(sector.code)
            if sector.parent_id:
                codes.add(sector.parent.code)
        return sorted(codes)

    @staticmethod
    def prepare_top_sectors(listing) -> list[str]:
        return sorted(
            {
                sector.parent.code if sector.parent_id else sector.code
                for sector in listing.sectors.all()
            }
        )

    @staticmethod
    def prepare_transfer_modes(listing) -> list[str]:
        return list(listing.transfer_modes or [])

    @staticmethod
    def prepare_price_band(listing) -> str:
        return price_band(listing.price_min, listing.price_max)

    @staticmethod
    def prepare_province(listing) -> str | None:
        return listing.province or None


class OrganisationDocument(ModelDocument):
    """A verified organisation: one the public directory shows."""

    model_label = "accounts.Organisation"

    id = Integer()
    kind = Keyword()
    legal_name = searchable_text()
    description = searchable_text()
    province = Keyword()
    sectors = Keyword()
    verification_status = Keyword()
    updated_at = Date()

    class Index:
        name = f"{index_prefix()}-organisations"
        settings = INDEX_SETTINGS

    @classmethod
    def get_queryset(cls) -> QuerySet:
        # The public directory's organisations: one not yet verified stays out, and leaves the
        # index when it loses its verification.
        return organisation_list_public().prefetch_related("sectors__parent").order_by("pk")

    @staticmethod
    def prepare_legal_name(organisation) -> str:
        return nfc(organisation.legal_name)

    @staticmethod
    def prepare_description(organisation) -> str:
        return nfc(organisation.description)

    @staticmethod
    def prepare_sectors(organisation) -> list[str]:
        return ListingDocument.prepare_sectors(organisation)


class CallDocument(ModelDocument):
    """A live call for applications (a ``CallPage``) that the public may see: a call behind a
    view restriction (its own or an ancestor's) stays out of the index."""

    model_label = "startups.CallPage"

    id = Integer()
    title = searchable_text()
    intro = searchable_text()
    call_type = Keyword()
    opens_at = Date()
    closes_at = Date()
    eligible_kinds = Keyword()
    eligible_provinces = Keyword()
    url_path = Keyword()
    updated_at = Date()

    class Index:
        name = f"{index_prefix()}-calls"
        settings = INDEX_SETTINGS

    @classmethod
    def get_queryset(cls) -> QuerySet:
        return cls.get_model().objects.live().public().order_by("pk")

    @staticmethod
    def prepare_title(call) -> str:
        return nfc(call.title)

    @staticmethod
    def prepare_intro(call) -> str:
        return nfc(strip_tags(call.intro))

    @staticmethod
    def prepare_eligible_kinds(call) -> list[str]:
        return list(call.eligible_kinds or [])

    @staticmethod
    def prepare_eligible_provinces(call) -> list[str]:
        return list(call.eligible_provinces or [])

    @staticmethod
    def prepare_updated_at(call):
        """A page has no ``updated_at``: its last publication or revision stands in."""
        return call.last_published_at or call.latest_revision_created_at


DOCUMENTS: dict[str, type[ModelDocument]] = {
    "listings": ListingDocument,
    "organisations": OrganisationDocument,
    "calls": CallDocument,
}
