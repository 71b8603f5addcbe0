"""A reader switches language on a listing and stays on that listing."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from cms.management.commands.demo_data import ENGLISH_PAGES
from cms.translations import page_tree_translate
from tests.factories import PublishedListingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_switching_language_on_a_listing_lands_on_the_same_listing(new_page):
    english, _created = Locale.objects.get_or_create(language_code="en")
    page_tree_translate(locale=english, fields_by_slug=ENGLISH_PAGES)
    listing = PublishedListingFactory(title="Máy sấy bơm nhiệt cho sầu riêng cấp đông")

    # A reader opens the listing in Vietnamese…
    reader = new_page()
    reader.goto(f"/vi/san-giao-dich/{listing.slug}/")
    expect(reader.locator("html")).to_have_attribute("lang", "vi")
    expect(reader.get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()

    # …switches to English and reads the same listing, under the English floor's address.
    reader.locator(".language-switcher a[hreflang=en]").click()
    reader.wait_for_url(f"**/en/trading-floor/{listing.slug}/")
    expect(reader.locator("h1")).to_have_text(listing.title)
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    expect(reader.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(reader.locator(".language-switcher a[aria-current=true]")).to_have_attribute(
        "hreflang", "en"
    )

    # …and back to Vietnamese, on the same listing again.
    reader.locator(".language-switcher a[hreflang=vi]").click()
    reader.wait_for_url(f"**/vi/san-giao-dich/{listing.slug}/")
    expect(reader.locator("h1")).to_have_text(listing.title)
    expect(reader.locator("html")).to_have_attribute("lang", "vi")
