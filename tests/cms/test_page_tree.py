"""Page-tree rules: where each page type may stand and what it may hold, so that editors
cannot put an article under the home page or an event under the trading floor."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from wagtail.models import Page, get_page_models
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    ArticlePage,
    DirectoryPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    SiteSearchPage,
    StandardPage,
    StatisticsPage,
    TradingFloorPage,
)
from startups.models import CallPage, ChallengeIndexPage, ChallengePage, ProgrammePage
from tests.conftest import login_with_totp
from tests.factories import StaffFactory

# Each page type: (where it may stand, what it may hold).
TREE: dict[type[Page], tuple[set[type[Page]], set[type[Page]]]] = {
    HomePage: (
        {Page},
        {
            TradingFloorPage,
            EventIndexPage,
            StatisticsPage,
            NewsIndexPage,
            StandardPage,
            DirectoryPage,
            SiteSearchPage,
            ProgrammePage,
            ChallengeIndexPage,
        },
    ),
    TradingFloorPage: ({HomePage}, set()),
    EventIndexPage: ({HomePage}, {EventPage}),
    EventPage: ({EventIndexPage}, set()),
    StatisticsPage: ({HomePage}, set()),
    NewsIndexPage: ({HomePage}, {ArticlePage}),
    ArticlePage: ({NewsIndexPage}, set()),
    StandardPage: ({HomePage, StandardPage}, {StandardPage}),
    DirectoryPage: ({HomePage}, set()),
    SiteSearchPage: ({HomePage}, set()),
    ProgrammePage: ({HomePage}, {CallPage}),
    CallPage: ({ProgrammePage}, set()),
    ChallengeIndexPage: ({HomePage}, {ChallengePage}),
    ChallengePage: ({ChallengeIndexPage}, set()),
}
OUR_APPS = {"cms", "startups"}


def our_page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if model._meta.app_label in OUR_APPS]


class PageTreeTests(WagtailPageTestCase):
    def test_every_page_type_of_ours_is_in_the_table_above(self):
        self.assertEqual(set(our_page_models()), set(TREE))

    def test_every_page_type_declares_both_rules_itself(self):
        for model in our_page_models():
            with self.subTest(model=model.__name__):
                self.assertIn("parent_page_types", model.__dict__)
                self.assertIn("subpage_types", model.__dict__)

    def test_allowed_parents(self):
        for model, (parents, _children) in TREE.items():
            with self.subTest(model=model.__name__):
                self.assertAllowedParentPageTypes(model, parents)

    def test_allowed_children(self):
        for model, (_parents, children) in TREE.items():
            with self.subTest(model=model.__name__):
                self.assertAllowedSubpageTypes(model, children)

    def test_each_type_can_be_created_where_the_table_says_and_nowhere_else(self):
        for child, (parents, _children) in TREE.items():
            for parent in parents:
                self.assertCanCreateAt(parent, child)
            for parent in [*TREE, Page]:
                if parent not in parents:
                    with self.subTest(parent=parent.__name__, child=child.__name__):
                        self.assertCanNotCreateAt(parent, child)

    def test_the_editors_usual_mistakes_are_refused(self):
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(NewsIndexPage, StandardPage)
        self.assertCanNotCreateAt(ArticlePage, ArticlePage)
        self.assertCanNotCreateAt(TradingFloorPage, EventPage)
        self.assertCanNotCreateAt(StandardPage, NewsIndexPage)
        self.assertCanNotCreateAt(Page, StandardPage)


@pytest.mark.django_db
def test_one_news_index_per_home_page_and_articles_only_under_it():
    home = HomePage.objects.get(depth=2, locale__language_code="vi")
    assert NewsIndexPage.can_create_at(home)
    news = home.add_child(instance=NewsIndexPage(title="Tin tức", slug="tin-tuc"))
    about = home.add_child(instance=StandardPage(title="Giới thiệu", slug="gioi-thieu"))

    assert not NewsIndexPage.can_create_at(home)
    assert ArticlePage.can_create_at(news)
    assert not ArticlePage.can_create_at(home)
    assert not ArticlePage.can_create_at(about)
    assert StandardPage.can_create_at(about)
    assert not HomePage.can_create_at(home)


@pytest.mark.django_db
def test_the_admin_offers_only_the_allowed_types_and_refuses_the_others(client, staff_totp_secret):
    editor = StaffFactory(is_superuser=True)
    TOTP.activate(editor, staff_totp_secret)
    login_with_totp(client, user=editor, secret=staff_totp_secret)
    home = HomePage.objects.get(depth=2, locale__language_code="vi")
    news = home.add_child(instance=NewsIndexPage(title="Tin tức", slug="tin-tuc"))

    def add_url(model: type[Page], parent: Page) -> str:
        return reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )

    choices = client.get(reverse("wagtailadmin_pages:add_subpage", args=[home.pk]))
    assert choices.status_code == 200
    assert add_url(StandardPage, home) in choices.content.decode()
    assert add_url(ArticlePage, home) not in choices.content.decode()
    assert client.get(add_url(ArticlePage, news)).status_code == 200
    # Wagtail turns the refusal into a redirect to the dashboard, with a message.
    for model, parent in [(ArticlePage, home), (EventPage, news)]:
        refused = client.get(add_url(model, parent))
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    title = "Đặt nhầm chỗ"
    response = client.post(add_url(ArticlePage, home), {"title": title, "slug": "dat-nham"})
    assert response.status_code == 302
    assert not Page.objects.filter(title=title).exists()
