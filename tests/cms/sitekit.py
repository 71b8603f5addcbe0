"""Pages for the navigation, directory and site search tests: the two language trees."""

from __future__ import annotations

from wagtail.models import Locale, Page

from cms.models import HomePage, TradingFloorPage


def vietnamese_home() -> HomePage:
    return HomePage.objects.get(depth=2, locale__language_code="vi")


def english_home() -> HomePage:
    """The English home page, a published translation of the Vietnamese one."""
    english, _created = Locale.objects.get_or_create(language_code="en")
    home = vietnamese_home()
    existing = HomePage.objects.filter(translation_key=home.translation_key, locale=english).first()
    if existing:
        return existing
    translation = home.copy_for_translation(english)
    translation.title = "Technology and equipment trading floor"
    translation.save_revision().publish()
    return translation


def english_floor() -> TradingFloorPage:
    """The trading floor's English translation, at /en/trading-floor/."""
    english_home()
    floor = TradingFloorPage.objects.get(locale__language_code="vi")
    translation = floor.copy_for_translation(Locale.objects.get(language_code="en"))
    translation.title = "Technology trading floor"
    translation.slug = "trading-floor"
    translation.save_revision().publish()
    return translation


def add_page(parent: Page, page: Page, *, publish: bool = True) -> Page:
    """Add ``page`` under ``parent``, published or as a draft that was never live."""
    page.live = publish
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page
