"""What Elasticsearch is told to store, and how: analysis, mappings, and documents built from
the database. No server needed."""

import re
import unicodedata
import uuid

import pytest

from accounts.models import Organisation, Sector
from market.models import Listing
from market.search.elastic import percolator
from market.search.elastic.connection import get_client
from market.search.elastic.documents import (
    DOCUMENTS,
    CallDocument,
    ListingDocument,
    OrganisationDocument,
    price_band,
)
from market.search.elastic.percolator import saved_searches_index
from tests.factories import OrganisationFactory, PublishedListingFactory

ANALYSIS = {
    "analyzer": {
        "vi_text": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "vi_folding"],
        },
        "vi_folded": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding"],
        },
        "vi_shingles": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding", "vi_shingle"],
        },
    },
    "filter": {
        "vi_folding": {"type": "asciifolding", "preserve_original": True},
        "vi_shingle": {
            "type": "shingle",
            "min_shingle_size": 2,
            "max_shingle_size": 2,
            "output_unigrams": False,
        },
    },
}
SEARCHABLE_TEXT = {
    "type": "text",
    "analyzer": "vi_text",
    "copy_to": "search_text",
    "fields": {
        "folded": {"type": "text", "analyzer": "vi_folded"},
        "shingles": {"type": "text", "analyzer": "vi_shingles"},
        "english": {"type": "text", "analyzer": "english"},
    },
}


def test_every_document_names_its_read_alias_with_the_prefix():
    assert {kind: document._index._name for kind, document in DOCUMENTS.items()} == {
        "listings": "techfloor-test-listings",
        "organisations": "techfloor-test-organisations",
        "calls": "techfloor-test-calls",
    }


def test_listing_index_analyses_vietnamese_folded_in_pairs_and_english():
    body = ListingDocument._index.to_dict()

    assert body["settings"] == {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "analysis": ANALYSIS,
    }
    properties = body["mappings"]["properties"]
    for name in ("title", "summary", "keywords", "body"):
        assert properties[name] == SEARCHABLE_TEXT
    assert properties["search_text"] == {"type": "text", "analyzer": "vi_folded"}


def test_listing_filters_facets_and_sorts_read_exact_values():
    properties = ListingDocument._index.to_dict()["mappings"]["properties"]

    assert {
        name: spec["type"]
        for name, spec in properties.items()
        if "analyzer" not in spec and name != "digest"
    } == {
        "id": "integer",
        "kind": "keyword",
        "status": "keyword",
        "visibility": "keyword",
        "language": "keyword",
        "organisation_id": "integer",
        "sectors": "keyword",
        "top_sectors": "keyword",
        "province": "keyword",
        "trl": "short",
        "ip_status": "keyword",
        "transfer_modes": "keyword",
        "price_min": "long",
        "price_max": "long",
        "price_band": "keyword",
        "featured": "boolean",
        "published_at": "date",
        "deadline": "date",
        "updated_at": "date",
    }


@pytest.mark.django_db
def test_a_listing_document_holds_what_search_reads():
    coffee = Sector.objects.get(code="drying-preservation")  # under food-processing
    listing = PublishedListingFactory(
        # Decomposed (NFD) input, as some keyboards send it: stored composed.
        title=unicodedata.normalize("NFD", "Công nghệ sấy lạnh"),
        keywords=["sấy lạnh", "sầu riêng"],
        transfer_modes=["license", "assignment"],
        price_min=None,
        price_max=120_000_000,
        featured=True,
    )
    listing.sectors.set([coffee])
    loaded = ListingDocument.get_queryset().get(pk=listing.pk)

    document = ListingDocument.from_instance(loaded)

    assert document.meta.id == listing.pk
    source = document.to_dict()
    assert source["title"] == "Công nghệ sấy lạnh"
    assert unicodedata.is_normalized("NFC", source["title"])
    assert source["keywords"] == ["sấy lạnh", "sầu riêng"]
    assert source["sectors"] == ["drying-preservation", "food-processing"]
    assert source["top_sectors"] == ["food-processing"]
    assert source["transfer_modes"] == ["license", "assignment"]
    assert source["price_band"] == "100m-500m"
    assert source["status"] == "published"
    assert source["visibility"] == "public"
    assert source["organisation_id"] == listing.organisation_id
    assert source["featured"] is True
    assert "Hệ thống sấy bơm nhiệt" in source["body"]
    assert "search_text" not in source  # filled by copy_to inside Elasticsearch


@pytest.mark.django_db
def test_every_document_carries_a_digest_of_its_content_unindexed():
    listing = PublishedListingFactory(title="Công nghệ sấy lạnh")
    digest = ListingDocument.from_instance(listing).digest

    assert ListingDocument.from_instance(listing).digest == digest
    listing.title = "Công nghệ sấy thăng hoa"
    assert ListingDocument.from_instance(listing).digest != digest
    for document in DOCUMENTS.values():
        properties = document._index.to_dict()["mappings"]["properties"]
        assert properties["digest"] == {"type": "keyword", "index": False}


@pytest.mark.django_db
def test_details_shown_after_an_introduction_are_not_indexed():
    listing = PublishedListingFactory(visibility=Listing.Visibility.SUMMARY)

    source = ListingDocument.from_instance(listing).to_dict()

    assert source.get("body", "") == ""  # nothing to find by probing
    assert "confidential" not in source and "contact_email" not in source


@pytest.mark.django_db
def test_only_published_listings_belong_in_the_index():
    published = PublishedListingFactory()
    PublishedListingFactory(status=Listing.Status.DRAFT)
    PublishedListingFactory(status=Listing.Status.WITHDRAWN)

    assert list(ListingDocument.get_queryset().values_list("pk", flat=True)) == [published.pk]


@pytest.mark.parametrize(
    ("price_min", "price_max", "band"),
    [
        (None, None, "negotiable"),
        (0, None, "under-100m"),
        (99_999_999, None, "under-100m"),
        (100_000_000, 900_000_000, "100m-500m"),
        (None, 600_000_000, "500m-1b"),
        (1_000_000_000, None, "1b-5b"),
        (5_000_000_000, None, "over-5b"),
    ],
)
def test_price_band_is_the_band_of_the_lower_price(price_min, price_max, band):
    assert price_band(price_min, price_max) == band


@pytest.mark.django_db
def test_organisation_document():
    organisation = OrganisationFactory(legal_name="Viện Cơ điện Nông nghiệp")
    organisation.sectors.set([Sector.objects.get(code="drying-preservation")])

    source = OrganisationDocument.from_instance(organisation).to_dict()

    assert source["legal_name"] == "Viện Cơ điện Nông nghiệp"
    assert source["sectors"] == ["drying-preservation", "food-processing"]
    assert source["kind"] == organisation.kind
    mapping = OrganisationDocument._index.to_dict()["mappings"]["properties"]
    assert mapping["legal_name"]["fields"]["folded"] == {"type": "text", "analyzer": "vi_folded"}


@pytest.mark.django_db
def test_only_verified_organisations_belong_in_the_index():
    verified = OrganisationFactory(verification_status=Organisation.Verification.VERIFIED)
    for status in Organisation.Verification.values:
        if status != Organisation.Verification.VERIFIED:
            OrganisationFactory(verification_status=status)

    assert list(OrganisationDocument.get_queryset()) == [verified]


@pytest.mark.django_db
def test_call_document_reads_live_calls_only():
    from tests.startups.factories import CallPageFactory

    call = CallPageFactory(intro="<p>Hỗ trợ <b>khởi nghiệp</b></p>")
    draft = CallPageFactory()
    draft.live = False
    draft.save()

    assert list(CallDocument.get_queryset().values_list("pk", flat=True)) == [call.pk]
    source = CallDocument.from_instance(call).to_dict()
    assert source["intro"] == "Hỗ trợ khởi nghiệp"
    assert source["call_type"] == "startup_support"


def test_saved_searches_index_holds_the_listing_fields_and_a_percolator():
    body = saved_searches_index().to_dict()
    listing_body = ListingDocument._index.to_dict()

    assert re.fullmatch(r"techfloor-test-saved-searches-[0-9a-f]{12}", saved_searches_index()._name)
    assert body["settings"]["analysis"] == ANALYSIS
    properties = body["mappings"]["properties"]
    assert properties["query"] == {"type": "percolator"}
    assert properties["search_id"] == {"type": "integer"}
    assert properties["fingerprint"] == {"type": "keyword"}
    assert {name: properties[name] for name in listing_body["mappings"]["properties"]} == (
        listing_body["mappings"]["properties"]
    )


def test_the_analyzers_read_vietnamese_on_a_real_server(es_url):
    client = get_client()
    name = f"{ListingDocument._index._name}-analysis-{uuid.uuid4().hex[:8]}"
    body = ListingDocument._index.to_dict()
    client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])

    def tokens(analyzer: str, text: str) -> list[str]:
        answer = client.indices.analyze(index=name, analyzer=analyzer, text=text)
        return sorted(token["token"] for token in answer["tokens"])

    try:
        assert tokens("vi_folded", "Đương quy SẤY lạnh") == ["duong", "lanh", "quy", "say"]
        # The original beside the folded form, at the same position.
        assert tokens("vi_text", "Đương quy") == ["duong", "quy", "đương"]
        assert tokens("vi_shingles", "Công nghệ sấy") == ["cong nghe", "nghe say"]
        assert tokens("english", "The solar panels") == ["panel", "solar"]
    finally:
        client.indices.delete(index=name)


def test_the_saved_searches_index_is_named_after_its_mapping(monkeypatch):
    """Another mapping or analysis of the listings: another percolator index, never one that
    would analyse the percolated listing differently."""
    name = saved_searches_index()._name
    assert saved_searches_index()._name == name

    monkeypatch.setattr(
        percolator, "INDEX_SETTINGS", {"number_of_shards": 2, "number_of_replicas": 0}
    )

    assert saved_searches_index()._name != name
    assert saved_searches_index()._name.startswith("techfloor-test-saved-searches-")
