"""The bodies the Elasticsearch backend sends (facets, filters, sorts, highlighting,
candidates with more_like_this, percolation), and the client's round trips against a local
server that records them. No Elasticsearch needed."""

import pytest
from elasticsearch import BadRequestError

from accounts.models import Sector
from market.models import Listing
from market.search import SearchFilters
from market.search.elastic import queries
from market.search.elastic.backend import ElasticsearchBackend
from market.search.elastic.connection import get_client
from market.search.elastic.percolator import fingerprint, saved_searches_index
from tests.factories import PublishedListingFactory, StaffFactory
from tests.market.elastic.conftest import search_response
from tests.market.elastic.fake_server import error_response

# The percolator index of the listings' current mapping.
SAVED = f"/{saved_searches_index()._name}"
PUBLIC = [
    {"term": {"status": "published"}},
    {"bool": {"must_not": [{"term": {"visibility": "staff"}}]}},
]
AGGREGATIONS = {
    "kind": {"terms": {"field": "kind", "size": 4}},
    "language": {"terms": {"field": "language", "size": 2}},
    "ip_status": {"terms": {"field": "ip_status", "size": 8}},
    "province": {"terms": {"field": "province", "size": 100}},
    "trl": {"terms": {"field": "trl", "size": 9}},
    "transfer_mode": {"terms": {"field": "transfer_modes", "size": 7}},
    "price_band": {"terms": {"field": "price_band", "size": 10}},
    "sector": {"terms": {"field": "top_sectors", "size": 500}},
}


def body(**kwargs) -> dict:
    arguments = {
        "query": "",
        "terms": [],
        "filters": SearchFilters(),
        "sort": "relevance",
        "include_staff_only": False,
    }
    return queries.listing_search(**{**arguments, **kwargs}).to_dict()


def test_the_whole_floor_newest_first_with_every_facet():
    assert body() == {
        "query": {"bool": {"filter": PUBLIC}},
        "sort": [
            {"featured": {"order": "desc"}},
            {"published_at": {"order": "desc", "missing": "_last"}},
            {"id": {"order": "desc"}},
        ],
        "_source": False,
        "track_total_hits": True,
        "aggs": AGGREGATIONS,
    }


def test_curators_also_see_staff_only_listings():
    assert body(include_staff_only=True)["query"] == {
        "bool": {"filter": [{"term": {"status": "published"}}]}
    }


def test_words_must_all_match_the_last_as_a_prefix_and_rank_by_weighted_fields():
    query = body(query="Sấy lạnh", terms=["say", "lanh"])["query"]["bool"]

    assert query["must"] == [
        {"match_bool_prefix": {"search_text": {"query": "say lanh", "operator": "and"}}}
    ]
    assert query["should"] == [
        {
            "multi_match": {
                "query": "Sấy lạnh",
                "fields": ["title^10", "summary^5", "keywords^3", "body"],
                "type": "best_fields",
                "tie_breaker": 0.3,
            }
        },
        {
            "multi_match": {
                "query": "Sấy lạnh",
                "fields": [
                    "title.shingles^10",
                    "summary.shingles^5",
                    "keywords.shingles^3",
                    "body.shingles",
                ],
                "type": "best_fields",
            }
        },
        {
            "bool": {
                "filter": [{"term": {"language": "en"}}],
                "must": [
                    {
                        "multi_match": {
                            "query": "Sấy lạnh",
                            "fields": [
                                "title.english^10",
                                "summary.english^5",
                                "keywords.english^3",
                                "body.english",
                            ],
                            "type": "best_fields",
                        }
                    }
                ],
            }
        },
    ]


def test_any_terms_and_the_typo_fallback():
    any_terms = body(query="sấy solar", terms=["say", "solar"], any_terms=True)
    fuzzy = body(query="say lnah", terms=["say", "lnah"], fuzzy=True)

    assert any_terms["query"]["bool"]["must"] == [
        {"match": {"search_text": {"query": "say solar", "operator": "or"}}}
    ]
    assert fuzzy["query"]["bool"]["must"] == [
        {"match": {"title.folded": {"query": "say lnah", "fuzziness": "AUTO", "operator": "and"}}}
    ]
    assert "should" not in fuzzy["query"]["bool"]


def test_every_filter_on_its_indexed_field():
    filters = SearchFilters(
        kind="offer",
        sector="food-processing",
        province="lam-dong",
        trl=7,
        ip_status="patent",
        transfer_mode="license",
        price_band="100m-500m",
        language="vi",
        organisation_id=12,
        exclude_id=34,
    )

    assert body(filters=filters)["query"]["bool"]["filter"] == [
        *PUBLIC,
        {"term": {"kind": "offer"}},
        {"term": {"province": "lam-dong"}},
        {"term": {"trl": 7}},
        {"term": {"ip_status": "patent"}},
        {"term": {"language": "vi"}},
        {"term": {"organisation_id": 12}},
        {"term": {"sectors": "food-processing"}},
        {"term": {"transfer_modes": "license"}},
        {"term": {"price_band": "100m-500m"}},
        {"bool": {"must_not": [{"term": {"id": 34}}]}},
    ]


def test_an_unknown_transfer_mode_is_ignored_as_the_database_does():
    assert body(filters=SearchFilters(transfer_mode="barter"))["query"] == {
        "bool": {"filter": PUBLIC}
    }


@pytest.mark.parametrize(
    ("sort", "terms", "expected"),
    [
        (
            "relevance",
            ["say"],
            [{"featured": {"order": "desc"}}, "_score", {"id": {"order": "desc"}}],
        ),
        ("relevance", [], queries.NEWEST),
        ("bogus", ["say"], queries.SORTS["relevance"]),
        ("bogus", [], queries.NEWEST),
        (
            "price",
            ["say"],
            [{"price_min": {"order": "asc", "missing": "_last"}}, {"id": {"order": "desc"}}],
        ),
        (
            "deadline",
            [],
            [{"deadline": {"order": "asc", "missing": "_last"}}, {"id": {"order": "desc"}}],
        ),
    ],
)
def test_sorts_as_the_database(sort, terms, expected):
    assert body(sort=sort, terms=terms, query=" ".join(terms))["sort"] == expected


def test_highlighting_marks_the_folded_words_in_the_original_text():
    assert body(query="sấy", terms=["say"])["highlight"] == {
        "fields": {
            "title": {"number_of_fragments": 0},
            "summary": {"number_of_fragments": 0},
            "body": {"number_of_fragments": 0},
        },
        "require_field_match": False,
        "highlight_query": {
            "multi_match": {
                "query": "say",
                "type": "bool_prefix",
                "fields": ["title.folded", "summary.folded", "body.folded"],
            }
        },
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
    }


def test_candidates_are_a_function_score_over_multi_match_and_more_like_this():
    search = queries.candidates_search(
        terms=["say", "sau", "rieng"], kinds=["need"], exclude_organisation_id=5, limit=80
    )

    assert search.to_dict() == {
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "filter": [
                            {"term": {"status": "published"}},
                            {"terms": {"kind": ["need"]}},
                        ],
                        "must_not": [{"term": {"organisation_id": 5}}],
                        "must": [
                            {
                                "multi_match": {
                                    "query": "say sau rieng",
                                    "fields": [
                                        "title.folded^10",
                                        "summary.folded^5",
                                        "keywords.folded^3",
                                        "body.folded",
                                    ],
                                    "type": "most_fields",
                                }
                            }
                        ],
                        "should": [
                            {
                                "more_like_this": {
                                    "fields": [
                                        "title.folded",
                                        "summary.folded",
                                        "keywords.folded",
                                        "body.folded",
                                    ],
                                    "like": "say sau rieng",
                                    "min_term_freq": 1,
                                    "min_doc_freq": 1,
                                    "max_query_terms": 3,
                                    "minimum_should_match": "30%",
                                }
                            }
                        ],
                    }
                },
                "functions": [
                    {
                        "filter": {
                            "multi_match": {
                                "query": "say sau rieng",
                                "fields": ["title.folded", "keywords.folded"],
                            }
                        },
                        "weight": 2,
                    }
                ],
                "score_mode": "max",
                "boost_mode": "multiply",
            }
        },
        "sort": ["_score", {"id": {"order": "desc"}}],
        "_source": False,
        "size": 80,
        "track_total_hits": False,
    }


def test_a_saved_search_is_stored_as_the_public_search_without_ranking():
    stored = queries.percolator_query(query="Sấy lạnh", filters=SearchFilters(kind="offer"))

    assert stored == {
        "bool": {
            "filter": [*PUBLIC, {"term": {"kind": "offer"}}],
            "must": [
                {"match_bool_prefix": {"search_text": {"query": "say lanh", "operator": "and"}}}
            ],
        }
    }


def test_a_fingerprint_changes_with_the_query_or_the_filters():
    base = fingerprint(query="sấy", filters=SearchFilters())

    assert base == fingerprint(query="sấy", filters=SearchFilters())
    assert base != fingerprint(query="sấy lạnh", filters=SearchFilters())
    assert base != fingerprint(query="sấy", filters=SearchFilters(kind="need"))


# The client's round trips, against the recording server.


@pytest.fixture
def backend(es_server):
    return ElasticsearchBackend(client=get_client())


@pytest.mark.django_db
def test_a_search_reads_ids_counts_and_marks_from_elasticsearch(es_server, backend):
    food = Sector.objects.get(code="food-processing")
    first, second = PublishedListingFactory(), PublishedListingFactory()
    es_server.answer(
        "POST",
        "/techfloor-test-listings/_search",
        search_response(
            [second.pk, first.pk, 999_999],  # 999999: still indexed, gone from the database
            total=3,
            aggregations={
                "kind": {"offer": 3},
                "province": {"lam-dong": 3},
                "trl": {7: 2, 5: 1},
                "transfer_mode": {"license": 3},
                "price_band": {"100m-500m": 3},
                "language": {"vi": 3},
                "ip_status": {"patent": 3},
                "sector": {food.code: 2},
            },
            highlights={second.pk: {"title": ["<b>Công</b> nghệ <mark>sấy</mark>"]}},
        ),
    )

    results = backend.search(
        query="sấy",
        filters=SearchFilters(kind="offer", trl=4),
        page=1,
        per_page=20,
        sort="relevance",
        viewer=None,
        any_terms=False,
    )

    (sent,) = es_server.sent("POST", "/techfloor-test-listings/_search")
    assert sent.body["from"] == 0 and sent.body["size"] == 20
    assert sent.body["query"]["bool"]["filter"][2:] == [
        {"term": {"kind": "offer"}},
        {"term": {"trl": 4}},
    ]
    assert results.total == 3
    assert [listing.pk for listing in results.page.object_list] == [second.pk, first.pk]
    # Escaped, the marks kept: a card shows the title with the words marked, never raw HTML.
    assert results.page.object_list[0].search_highlights == {
        "title": "&lt;b&gt;Công&lt;/b&gt; nghệ <mark>sấy</mark>"
    }
    assert results.page.object_list[1].search_highlights == {}
    facets = {f.name: [(v.value, v.count, v.selected) for v in f.values] for f in results.facets}
    assert facets["kind"] == [("offer", 3, True)]
    # A selected value that nothing matches stays listed (count 0), as the database does.
    assert facets["trl"] == [("4", 0, True), ("5", 1, False), ("7", 2, False)]
    assert facets["sector"] == [("food-processing", 2, False)]
    assert [facet.name for facet in results.facets] == [
        "kind",
        "sector",
        "province",
        "trl",
        "ip_status",
        "transfer_mode",
        "price_band",
        "language",
    ]


@pytest.mark.django_db
def test_curators_search_with_staff_only_listings(es_server, backend):
    es_server.answer(
        "POST", "/techfloor-test-listings/_search", search_response([], aggregations={})
    )

    backend.search(
        query="",
        filters=SearchFilters(),
        page=1,
        per_page=20,
        sort="newest",
        viewer=StaffFactory(),
        any_terms=False,
    )

    (sent,) = es_server.sent("POST", "/techfloor-test-listings/_search")
    assert sent.body["query"] == {"bool": {"filter": [{"term": {"status": "published"}}]}}


@pytest.mark.django_db
def test_a_page_past_the_end_asks_again_for_the_last_page(es_server, backend):
    listings = [PublishedListingFactory() for _ in range(3)]

    def answer(request):
        if request.body["from"] == 0:
            return search_response([listings[0].pk, listings[1].pk], total=3, aggregations={})
        if request.body["from"] == 2:
            return search_response([listings[2].pk], total=3)
        return search_response([], total=3, aggregations={})

    es_server.answer("POST", "/techfloor-test-listings/_search", answer)

    results = backend.search(
        query="",
        filters=SearchFilters(),
        page=9,
        per_page=2,
        sort="newest",
        viewer=None,
        any_terms=False,
    )

    sent = es_server.sent("POST", "/techfloor-test-listings/_search")
    assert [(request.body["from"], request.body["size"]) for request in sent] == [(16, 2), (2, 1)]
    assert "aggs" in sent[0].body and "aggs" not in sent[1].body
    assert results.page.number == 2
    assert [listing.pk for listing in results.page.object_list] == [listings[2].pk]


@pytest.mark.django_db
def test_the_page_number_of_a_query_string_is_fetched_once(es_server, backend):
    listing = PublishedListingFactory()
    es_server.answer(
        "POST",
        "/techfloor-test-listings/_search",
        search_response([listing.pk], total=3, aggregations={"kind": {"offer": 3}}),
    )

    results = backend.search(
        query="",
        filters=SearchFilters(),
        page="2",
        per_page=2,
        sort="newest",
        viewer=None,
        any_terms=False,
    )

    (sent,) = es_server.sent("POST", "/techfloor-test-listings/_search")
    assert (sent.body["from"], sent.body["size"]) == (2, 2)
    assert results.page.number == 2


@pytest.mark.django_db
def test_pages_stop_at_elasticsearchs_result_window(es_server, backend):
    listing = PublishedListingFactory()

    def answer(request):
        assert request.body["from"] + request.body["size"] <= 10_000
        return search_response([listing.pk], total=25_000, aggregations={})

    es_server.answer("POST", "/techfloor-test-listings/_search", answer)

    results = backend.search(
        query="",
        filters=SearchFilters(),
        page="999999",
        per_page=20,
        sort="newest",
        viewer=None,
        any_terms=False,
    )

    (sent,) = es_server.sent("POST", "/techfloor-test-listings/_search")
    assert sent.body["from"] == 9_980
    assert results.page.number == results.page.paginator.num_pages == 500
    assert results.total == 25_000


@pytest.mark.django_db
def test_no_match_tries_titles_that_look_alike(es_server, backend):
    listing = PublishedListingFactory()

    def answer(request):
        if "match_bool_prefix" in str(request.body["query"]):
            return search_response([], aggregations={})
        return search_response([listing.pk], aggregations={"kind": {"offer": 1}})

    es_server.answer("POST", "/techfloor-test-listings/_search", answer)

    results = backend.search(
        query="cong nghee",
        filters=SearchFilters(),
        page=1,
        per_page=20,
        sort="relevance",
        viewer=None,
        any_terms=False,
    )

    sent = es_server.sent("POST", "/techfloor-test-listings/_search")
    assert len(sent) == 2
    assert sent[1].body["query"]["bool"]["must"][0]["match"]["title.folded"]["fuzziness"] == "AUTO"
    assert [item.pk for item in results.page.object_list] == [listing.pk]


def test_candidates_return_ids_best_first(es_server, backend):
    es_server.answer("POST", "/techfloor-test-listings/_search", search_response([7, 3, 5]))

    found = backend.candidates(terms=["say"], kinds=["need"], exclude_organisation_id=None, limit=3)

    assert found == [7, 3, 5]
    (sent,) = es_server.sent("POST", "/techfloor-test-listings/_search")
    assert "must_not" not in sent.body["query"]["function_score"]["query"]["bool"]


@pytest.mark.django_db
def test_percolation_stores_missing_or_changed_searches_then_asks_which_match(es_server, backend):
    listing = PublishedListingFactory(title="Công nghệ sấy lạnh")
    unchanged = (1, "sấy", SearchFilters())
    changed = (2, "sấy lạnh", SearchFilters(kind="offer"))
    missing = (3, "máy", SearchFilters())
    es_server.answer("HEAD", SAVED, {})
    es_server.answer(
        "POST",
        SAVED + "/_mget",
        {
            "docs": [
                {
                    "_id": "1",
                    "found": True,
                    "_source": {"fingerprint": fingerprint(query="sấy", filters=SearchFilters())},
                },
                {"_id": "2", "found": True, "_source": {"fingerprint": "old"}},
                {"_id": "3", "found": False},
            ]
        },
    )
    es_server.answer(
        "PUT",
        "/_bulk",
        {"took": 1, "errors": False, "items": [{"index": {"status": 200}}] * 2},
    )
    es_server.answer(
        "POST",
        SAVED + "/_search",
        search_response([2, 1]),
    )

    found = backend.percolate(listing_id=listing.pk, searches=[unchanged, changed, missing])

    assert found == [1, 2]  # in the order asked
    (mget,) = es_server.sent("POST", SAVED + "/_mget")
    assert mget.body == {"ids": ["1", "2", "3"]}
    assert mget.params["_source_includes"] == "fingerprint"
    (bulk,) = es_server.sent("PUT", "/_bulk")
    assert bulk.params["refresh"] == "true"
    assert bulk.body == [
        {"index": {"_index": saved_searches_index()._name, "_id": "2"}},
        {
            "search_id": 2,
            "fingerprint": fingerprint(query="sấy lạnh", filters=SearchFilters(kind="offer")),
            "query": queries.percolator_query(
                query="sấy lạnh", filters=SearchFilters(kind="offer")
            ),
        },
        {"index": {"_index": saved_searches_index()._name, "_id": "3"}},
        {
            "search_id": 3,
            "fingerprint": fingerprint(query="máy", filters=SearchFilters()),
            "query": queries.percolator_query(query="máy", filters=SearchFilters()),
        },
    ]
    (percolation,) = es_server.sent("POST", SAVED + "/_search")
    query = percolation.body["query"]["bool"]
    assert query["filter"] == [{"ids": {"values": ["1", "2", "3"]}}]
    document = query["must"][0]["percolate"]["document"]
    assert query["must"][0]["percolate"]["field"] == "query"
    assert document["title"] == "Công nghệ sấy lạnh"
    assert document["status"] == "published"
    assert document["id"] == listing.pk


@pytest.mark.django_db
def test_percolation_creates_the_saved_searches_index_once(es_server, backend):
    listing = PublishedListingFactory()
    es_server.answer("PUT", SAVED, {"acknowledged": True})
    es_server.answer("POST", SAVED + "/_mget", {"docs": [{"_id": "1", "found": False}]})
    es_server.answer("PUT", "/_bulk", {"errors": False, "items": [{"index": {"status": 201}}]})
    es_server.answer("POST", SAVED + "/_search", search_response([]))

    assert backend.percolate(listing_id=listing.pk, searches=[(1, "x", SearchFilters())]) == []

    (created,) = es_server.sent("PUT", SAVED)
    assert created.body["mappings"]["properties"]["query"] == {"type": "percolator"}


@pytest.mark.django_db
def test_percolation_goes_on_when_another_worker_created_the_index_first(es_server, backend):
    listing = PublishedListingFactory()
    exists = error_response("resource_already_exists_exception", "index exists", status=400)
    es_server.answer("PUT", SAVED, exists, status=400)
    es_server.answer("POST", SAVED + "/_mget", {"docs": [{"_id": "1", "found": False}]})
    es_server.answer("PUT", "/_bulk", {"errors": False, "items": [{"index": {"status": 201}}]})
    es_server.answer("POST", SAVED + "/_search", search_response([1]))

    assert backend.percolate(listing_id=listing.pk, searches=[(1, "", SearchFilters())]) == [1]


@pytest.mark.django_db
def test_another_refusal_to_create_the_index_is_raised(es_server, backend):
    listing = PublishedListingFactory()
    wrong = error_response("mapper_parsing_exception", "unknown parameter", status=400)
    es_server.answer("PUT", SAVED, wrong, status=400)

    with pytest.raises(BadRequestError, match="mapper_parsing_exception"):
        backend.percolate(listing_id=listing.pk, searches=[(1, "", SearchFilters())])


@pytest.mark.django_db
def test_a_listing_off_the_floor_is_not_percolated(es_server, backend):
    draft = PublishedListingFactory(status=Listing.Status.DRAFT)

    assert backend.percolate(listing_id=draft.pk, searches=[(1, "", SearchFilters())]) == []
    assert es_server.requests == []


@pytest.mark.django_db
def test_many_saved_searches_are_percolated_in_batches(es_server, backend, monkeypatch):
    monkeypatch.setattr("market.search.elastic.backend.PERCOLATE_BATCH", 2)
    listing = PublishedListingFactory()
    es_server.answer("HEAD", SAVED, {})
    es_server.answer(
        "POST",
        SAVED + "/_mget",
        lambda request: {"docs": [{"_id": pk, "found": False} for pk in request.body["ids"]]},
    )
    es_server.answer(
        "PUT",
        "/_bulk",
        lambda request: {"errors": False, "items": [{"index": {"status": 201}}] * 2},
    )
    es_server.answer(
        "POST",
        SAVED + "/_search",
        lambda request: search_response(
            [int(pk) for pk in request.body["query"]["bool"]["filter"][0]["ids"]["values"]][:1]
        ),
    )
    searches = [(pk, "", SearchFilters()) for pk in (11, 12, 13)]

    assert backend.percolate(listing_id=listing.pk, searches=searches) == [11, 13]

    asked = es_server.sent("POST", SAVED + "/_search")
    assert [r.body["query"]["bool"]["filter"][0]["ids"]["values"] for r in asked] == [
        ["11", "12"],
        ["13"],
    ]
    assert [r.body["size"] for r in asked] == [2, 1]
