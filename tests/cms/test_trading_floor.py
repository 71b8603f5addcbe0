import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Sector
from tests.factories import PublishedListingFactory, VerifiedOrganisationFactory

pytestmark = pytest.mark.django_db
FLOOR = "/vi/san-giao-dich/"


def test_the_floor_lists_published_listings_with_facets(client):
    PublishedListingFactory(title="Máy sấy bơm nhiệt")
    PublishedListingFactory(title="Bản nháp", status="draft")

    content = client.get(FLOOR).content.decode()

    assert "Máy sấy bơm nhiệt" in content
    assert "Bản nháp" not in content
    assert "?kind=offer" in content  # a facet link
    assert "(1)" in content


def test_search_without_diacritics_from_the_page(client):
    PublishedListingFactory(title="Đóng gói sầu riêng đông lạnh")

    content = client.get(FLOOR, {"q": "dong goi sau rieng"}).content.decode()

    assert "Đóng gói sầu riêng đông lạnh" in content


def test_an_empty_result_says_what_to_do(client):
    content = client.get(FLOOR, {"q": "không có gì khớp"}).content.decode()

    assert "Sign up to post a need" in content or "Đăng ký để đăng nhu cầu" in content


def test_bad_filter_values_are_ignored_not_errors(client):
    assert client.get(FLOOR, {"trl": "99", "kind": "<script>", "page": "x"}).status_code == 200


# A search loads its page by id with only what the cards show (``CARD_FIELDS``): a card that
# reads another field would cost a query per listing.
@pytest.mark.parametrize("params", [{}, {"q": "sấy bơm nhiệt"}], ids=["floor", "search"])
def test_index_query_count_does_not_grow_with_results(client, params):
    sector = Sector.objects.get(code="coffee-processing")
    for _ in range(3):
        PublishedListingFactory().sectors.set([sector])
    client.get(FLOOR, params)  # warm caches (site, floor URL)
    with CaptureQueriesContext(connection) as few:
        client.get(FLOOR, params)
    for _ in range(15):
        PublishedListingFactory().sectors.set([sector])
    with CaptureQueriesContext(connection) as many:
        client.get(FLOOR, params)

    assert len(many) == len(few)
    assert len(many) <= 20


def test_detail_query_count_is_bounded(client):
    listing = PublishedListingFactory()
    listing.sectors.set(Sector.objects.exclude(parent=None)[:3])
    client.get(f"{FLOOR}{listing.slug}/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{FLOOR}{listing.slug}/")

    assert response.status_code == 200
    assert len(queries) <= 25


def test_detail_pages_describe_themselves_to_search_engines(client):
    listing = PublishedListingFactory(title="Máy sấy <b>", summary="Tiết kiệm điện")

    content = client.get(f"{FLOOR}{listing.slug}/").content.decode()

    assert '<meta property="og:title" content="Máy sấy &lt;b&gt;">' in content
    assert '<meta name="description" content="Tiết kiệm điện">' in content
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content).group(1)
    )
    assert data["@type"] == "Product"
    assert data["name"] == "Máy sấy <b>"
    assert data["offers"] == {
        "@type": "Offer",
        "priceCurrency": "VND",
        "price": 300_000_000,
        "url": data["url"],
    }
    assert "\\u003Cb\\u003E" in content  # no raw "<" inside the script block


def test_similar_listings_are_shown(client):
    listing = PublishedListingFactory(title="Sấy cà phê", keywords=["sấy", "cà phê"])
    PublishedListingFactory(title="Sấy ca cao", keywords=["sấy"])

    content = client.get(f"{FLOOR}{listing.slug}/").content.decode()

    assert "Sấy ca cao" in content


def test_the_sitemap_lists_public_listings(client):
    shown = PublishedListingFactory()
    hidden = PublishedListingFactory(visibility="staff")

    content = client.get("/sitemap.xml").content.decode()

    assert f"/vi/san-giao-dich/{shown.slug}/" in content
    assert hidden.slug not in content


def test_organisation_profiles_show_their_listings(client):
    organisation = VerifiedOrganisationFactory(legal_name="Viện Rau Quả")
    PublishedListingFactory(organisation=organisation, title="Giống dâu tây nuôi cấy mô")
    PublishedListingFactory(organisation=organisation, title="Nháp", status="draft")

    content = client.get(f"/vi/organisations/{organisation.slug}/").content.decode()

    assert "Giống dâu tây nuôi cấy mô" in content
    assert "Nháp" not in content
