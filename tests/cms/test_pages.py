"""The home page's live blocks, standard pages, and the news, rendered over HTTP."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Locale

from cms import selectors
from cms.blocks import RICH_TEXT_FEATURES, CallToActionBlock, ImageBlock, StandardStreamBlock
from cms.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    NewsIndexPage,
    StandardPage,
    TradingFloorPage,
)
from market.models import Deal, Introduction, Listing
from tests.cms.eventkit import make_event
from tests.factories import IntroductionFactory, ListingFactory, PublishedListingFactory

pytestmark = pytest.mark.django_db


def home() -> HomePage:
    return HomePage.objects.get(depth=2, locale__language_code="vi")


def make_image(title: str = "Máy sấy bơm nhiệt", size: tuple[int, int] = (800, 500)) -> Image:
    buffer = BytesIO()
    PillowImage.new("RGB", size, (11, 85, 99)).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="anh.png"))


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def section(response, section_id: str) -> BeautifulSoup:
    assert response.status_code == 200
    found = BeautifulSoup(response.content, "html.parser").find(id=section_id)
    assert found is not None, section_id
    return found


def titles(response, section_id: str) -> list[str]:
    return [link.get_text(strip=True) for link in section(response, section_id).select("h3 a")]


def figures(response) -> dict[str, str]:
    return {
        item["data-figure"]: item.dd.get_text(strip=True)
        for item in section(response, "headline-figures").select("[data-figure]")
    }


# --- The home page's live blocks


def test_offers_show_featured_supply_first_then_the_newest_and_nothing_hidden(client):
    now = timezone.now()
    old_featured = PublishedListingFactory(
        title="Thiết bị nổi bật", kind=Listing.Kind.EQUIPMENT, featured=True
    )
    old_featured.published_at = now - datetime.timedelta(days=30)
    old_featured.save()
    PublishedListingFactory(title="Chào bán mới nhất")
    PublishedListingFactory(title="Dịch vụ hiệu chuẩn", kind=Listing.Kind.SERVICE)
    PublishedListingFactory(title="Chỉ cán bộ xem", visibility=Listing.Visibility.STAFF)
    ListingFactory(title="Bản nháp chưa duyệt")
    PublishedListingFactory(title="Đã rút", status=Listing.Status.WITHDRAWN)
    PublishedListingFactory(title="Nhu cầu không phải chào bán", kind=Listing.Kind.NEED)

    response = client.get("/vi/")

    assert titles(response, "featured-offers") == [
        "Thiết bị nổi bật",
        "Dịch vụ hiệu chuẩn",
        "Chào bán mới nhất",
    ]
    page = response.content.decode()
    assert "Chỉ cán bộ xem" not in page
    assert "Bản nháp chưa duyệt" not in page
    assert "Đã rút" not in page
    floor = TradingFloorPage.objects.get(locale__language_code="vi")
    link = section(response, "featured-offers").select_one("h3 a")["href"]
    assert link == f"{floor.url}{old_featured.slug}/"


def test_offers_and_needs_stop_at_six_newest_first(client):
    start = timezone.now() - datetime.timedelta(days=10)
    for number in range(8):
        for kind in (Listing.Kind.OFFER, Listing.Kind.NEED):
            listing = PublishedListingFactory(title=f"{kind} {number}", kind=kind)
            listing.published_at = start + datetime.timedelta(days=number)
            listing.save()

    response = client.get("/vi/")

    assert titles(response, "featured-offers") == [f"offer {n}" for n in range(7, 1, -1)]
    assert titles(response, "latest-needs") == [f"need {n}" for n in range(7, 1, -1)]


def test_a_summary_only_listing_shows_its_title_but_never_its_confidential_part(client):
    PublishedListingFactory(
        title="Chỉ công khai tóm tắt",
        visibility=Listing.Visibility.SUMMARY,
        confidential="Bí mật quy trình 45°C",
    )

    response = client.get("/vi/")

    assert titles(response, "featured-offers") == ["Chỉ công khai tóm tắt"]
    assert "Bí mật quy trình" not in response.content.decode()


def test_upcoming_events_show_the_next_three_in_the_page_language_and_no_past_one(client):
    now = timezone.now()
    for days, title in [(20, "Phiên thứ tư"), (3, "Phiên sớm nhất"), (9, "Phiên thứ hai")]:
        make_event(
            title=title,
            starts_at=now + datetime.timedelta(days=days),
            ends_at=now + datetime.timedelta(days=days, hours=4),
        )
    make_event(
        title="Đang diễn ra",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=3),
    )
    make_event(
        title="Hội chợ đã qua",
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=9),
    )
    draft = make_event(title="Chưa xuất bản", starts_at=now + datetime.timedelta(days=1))
    draft.unpublish()

    response = client.get("/vi/")

    assert titles(response, "upcoming-events") == [
        "Đang diễn ra",
        "Phiên sớm nhất",
        "Phiên thứ hai",
    ]


def test_a_language_without_event_pages_shows_the_default_languages_events():
    now = timezone.now()
    soon = make_event(title="Phiên sắp tới", starts_at=now + datetime.timedelta(days=2))
    english, _created = Locale.objects.get_or_create(language_code="en")

    assert selectors.home_upcoming_events(locale=english) == [soon]

    translation = soon.copy_for_translation(english, copy_parents=True)
    translation.title = "Upcoming session"
    translation.save_revision().publish()
    assert selectors.home_upcoming_events(locale=english) == [translation]


def test_empty_blocks_say_so_instead_of_showing_cards(client):
    response = client.get("/vi/")

    for section_id in ("featured-offers", "latest-needs", "upcoming-events"):
        block = section(response, section_id)
        assert block.select("h3 a") == []
        assert block.select("p.text-body-secondary"), section_id
    assert figures(response) == {"offers": "0", "needs": "0", "introductions": "0", "deals": "0"}


def test_headline_figures_count_this_year_and_are_cached_for_a_few_minutes(client):
    PublishedListingFactory()
    PublishedListingFactory(kind=Listing.Kind.EQUIPMENT)
    PublishedListingFactory(kind=Listing.Kind.NEED)
    PublishedListingFactory(visibility=Listing.Visibility.STAFF)  # not public: not counted
    now = timezone.now()
    approved = IntroductionFactory(status=Introduction.Status.APPROVED, curator_decided_at=now)
    IntroductionFactory(
        status=Introduction.Status.APPROVED,
        curator_decided_at=now.replace(year=now.year - 1),
    )
    Deal.objects.create(introduction=approved, stage=Deal.Stage.CLOSED_WON, closed_at=now)

    response = client.get("/vi/")

    # The introductions' listings are published offers too.
    assert figures(response) == {"offers": "4", "needs": "1", "introductions": "1", "deals": "1"}
    PublishedListingFactory(kind=Listing.Kind.NEED)
    assert figures(client.get("/vi/"))["needs"] == "1"
    cache.delete(selectors.HEADLINE_CACHE_KEY.format(year=timezone.localdate().year))
    assert figures(client.get("/vi/"))["needs"] == "2"


def test_the_home_page_queries_do_not_grow_with_what_it_shows(
    client, django_assert_max_num_queries
):
    PublishedListingFactory()
    make_event()
    client.get("/vi/")  # warm the caches of the navigation and the figures
    with django_assert_max_num_queries(30) as few:
        client.get("/vi/")
    baseline = len(few.captured_queries)
    for number in range(6):
        PublishedListingFactory(kind=Listing.Kind.NEED, title=f"Nhu cầu {number}")
        PublishedListingFactory(title=f"Chào bán {number}")
        make_event(title=f"Sự kiện {number}")

    with django_assert_max_num_queries(baseline):
        response = client.get("/vi/")

    assert len(titles(response, "latest-needs")) == 6
    assert len(titles(response, "upcoming-events")) == 3


def test_the_home_page_body_renders_its_blocks(client):
    page = home()
    page.body = [("heading", {"text": "Về Trung tâm", "level": "h2"})]
    page.save_revision().publish()

    response = client.get("/vi/")

    assert '<h2 class="mt-4">Về Trung tâm</h2>' in response.content.decode()


# --- Standard pages and their blocks


def test_a_standard_page_renders_every_block(client):
    image = make_image()
    document = Document.objects.create(
        title="Mẫu hợp đồng chuyển giao", file=ContentFile(b"%PDF-1.4 demo", name="mau.pdf")
    )
    floor = TradingFloorPage.objects.get(locale__language_code="vi")
    body = [
        {"type": "heading", "value": {"text": "Chúng tôi làm gì", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Kết nối <b>cung</b> và cầu.</p>"},
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Phòng thí nghiệm", "caption": "Năm 2026"},
        },
        {
            "type": "quote",
            "value": {"text": "Công nghệ phải đến được nhà máy.", "attribution": "Giám đốc"},
        },
        {"type": "call_to_action", "value": {"label": "Vào sàn", "page": floor.pk, "url": ""}},
        {
            "type": "call_to_action",
            "value": {"label": "Cổng quốc gia", "page": None, "url": "https://example.vn/"},
        },
        {
            "type": "table",
            "value": {
                "caption": "Phí dịch vụ",
                "columns": [
                    {"type": "text", "heading": "Dịch vụ"},
                    {"type": "number", "heading": "Giá"},
                ],
                "rows": [{"values": ["Hiệu chuẩn", "2500000"]}],
            },
        },
        {"type": "document", "value": {"document": document.pk, "label": ""}},
    ]
    page = publish(
        home(),
        StandardPage(
            title="Giới thiệu",
            slug="gioi-thieu",
            intro="Trung tâm Đổi mới sáng tạo tỉnh.",
            body=StandardStreamBlock().to_python(body),
        ),
    )

    response = client.get(page.url)
    soup = BeautifulSoup(response.content, "html.parser")

    assert response.status_code == 200
    assert soup.h1.get_text() == "Giới thiệu"
    assert soup.find("h2", string="Chúng tôi làm gì")
    assert "Kết nối <b>cung</b> và cầu." in response.content.decode()
    img = soup.select_one("figure img")
    assert img["alt"] == "Phòng thí nghiệm"
    assert (img["width"], img["height"]) == ("800", "500")
    assert soup.select_one("figure figcaption").get_text() == "Năm 2026"
    assert soup.select_one("blockquote").get_text(strip=True) == "Công nghệ phải đến được nhà máy."
    buttons = {a.get_text(): a["href"] for a in soup.select("a.btn-primary")}
    assert buttons["Vào sàn"] == floor.url
    assert buttons["Cổng quốc gia"] == "https://example.vn/"
    table = soup.select_one("table")
    assert table.caption.get_text() == "Phí dịch vụ"
    assert [th.get_text() for th in table.select("th[scope=col]")] == ["Dịch vụ", "Giá"]
    assert [td.get_text(strip=True) for td in table.select("td")] == ["Hiệu chuẩn", "2500000"]
    assert soup.find("a", string="Mẫu hợp đồng chuyển giao")["href"] == document.url
    assert not soup.find("iframe")


def test_a_standard_page_lists_its_live_sub_pages(client):
    about = publish(home(), StandardPage(title="Giới thiệu", slug="gioi-thieu"))
    publish(about, StandardPage(title="Lịch sử", slug="lich-su"))
    hidden = StandardPage(title="Bản nháp", slug="ban-nhap", live=False)
    about.add_child(instance=hidden)

    soup = BeautifulSoup(client.get(about.url).content, "html.parser")

    assert [a.get_text() for a in soup.select("nav ul li a") if "lich-su" in a["href"]] == [
        "Lịch sử"
    ]
    assert not soup.find("a", string="Bản nháp")


def test_blocks_refuse_an_image_without_alt_text_and_a_button_with_two_targets():
    with pytest.raises(StructBlockValidationError) as error:
        ImageBlock().clean(ImageBlock().to_python({"image": make_image().pk, "alt_text": ""}))
    assert "alt_text" in error.value.block_errors

    floor = TradingFloorPage.objects.get(locale__language_code="vi")
    block = CallToActionBlock()
    for page, url in [(floor.pk, "https://example.vn/"), (None, "")]:
        with pytest.raises(StructBlockValidationError) as error:
            block.clean(block.to_python({"label": "Đi", "page": page, "url": url}))
        assert set(error.value.block_errors) == {"page", "url"}


def test_no_block_or_rich_text_feature_can_embed_another_site():
    assert set(StandardStreamBlock.base_blocks) == {
        "heading",
        "paragraph",
        "image",
        "quote",
        "call_to_action",
        "table",
        "document",
    }
    assert not {"embed", "image"} & set(RICH_TEXT_FEATURES)
    stream = StandardStreamBlock().to_python([{"type": "embed", "value": "https://youtu.be/x"}])
    assert len(stream) == 0


# --- News


def news_index() -> NewsIndexPage:
    return NewsIndexPage.objects.first() or publish(
        home(), NewsIndexPage(title="Tin tức", slug="tin-tuc")
    )


def make_article(title: str, *, date: datetime.date | None = None, tags=(), **fields):
    article = ArticlePage(
        title=title,
        date=date or timezone.localdate(),
        intro=f"Tóm tắt: {title}",
        **fields,
    )
    article.tags.add(*tags)
    return publish(news_index(), article)


def test_an_article_shows_its_date_authors_image_and_tags_linking_to_the_index(client):
    lan = Author.objects.create(name="Nguyễn Thị Lan", role="Phóng viên", photo=make_image())
    minh = Author.objects.create(name="Trần Văn Minh", role="Biên tập")
    article = ArticlePage(
        title="Tỉnh ký 12 hợp đồng chuyển giao công nghệ",
        slug="ky-hop-dong",
        date=datetime.date(2026, 10, 5),
        intro="Phiên kết nối cung cầu tháng Mười.",
        main_image=make_image(size=(1600, 900)),
        main_image_alt="Lễ ký kết tại Trung tâm",
        body=[("paragraph", "<p>Mười hai hợp đồng đã được ký.</p>")],
    )
    article.tags.add("Chuyển giao công nghệ", "Nông nghiệp")
    article.article_authors = [ArticleAuthor(author=minh), ArticleAuthor(author=lan)]
    article = publish(news_index(), article)

    response = client.get(article.url)
    soup = BeautifulSoup(response.content, "html.parser")

    assert response.status_code == 200
    assert soup.select_one(".article-meta time")["datetime"] == "2026-10-05"
    authors = [strong.get_text() for strong in soup.select(".article-authors strong")]
    assert authors == ["Trần Văn Minh", "Nguyễn Thị Lan"]
    main = soup.select_one("figure img")
    assert main["alt"] == "Lễ ký kết tại Trung tâm"
    assert main["src"].startswith("/media/images/")
    assert (main["width"], main["height"]) == ("1200", "675")
    photo = soup.select_one(".article-authors img")
    assert (photo["width"], photo["height"], photo["alt"]) == ("48", "48", "")
    tag_links = {a.get_text(): a["href"] for a in soup.select(".article-tags a")}
    index = news_index().url
    assert tag_links == {
        "Chuyển giao công nghệ": f"{index}?tag=chuy%E1%BB%83n-giao-c%C3%B4ng-ngh%E1%BB%87",
        "Nông nghiệp": f"{index}?tag=n%C3%B4ng-nghi%E1%BB%87p",
    }
    assert "Mười hai hợp đồng đã được ký." in response.content.decode()


def test_an_article_with_an_image_needs_its_alt_text():
    article = ArticlePage(title="Tin", slug="tin", intro="Tóm tắt", main_image=make_image())

    with pytest.raises(ValidationError) as error:
        article.full_clean()

    assert "main_image_alt" in error.value.message_dict


def test_the_news_index_lists_newest_first_twelve_a_page(client):
    start = datetime.date(2026, 1, 1)
    for number in range(13):
        make_article(f"Tin số {number}", date=start + datetime.timedelta(days=number))
    url = news_index().url

    first = BeautifulSoup(client.get(url).content, "html.parser")
    second = BeautifulSoup(client.get(f"{url}?page=2").content, "html.parser")

    assert [h.get_text(strip=True) for h in first.select("article h2")] == [
        f"Tin số {n}" for n in range(12, 0, -1)
    ]
    assert [h.get_text(strip=True) for h in second.select("article h2")] == ["Tin số 0"]
    assert first.select_one("a[rel=next]")["href"] == "?page=2"


def test_the_news_index_narrows_to_one_tag_and_keeps_it_across_pages(client):
    for number in range(13):
        make_article(f"Nông nghiệp {number}", tags=["Nông nghiệp"])
    make_article("Tin khởi nghiệp", tags=["Khởi nghiệp"])
    draft = ArticlePage(title="Nháp khởi nghiệp", slug="nhap", intro="x", live=False)
    draft.tags.add("Khởi nghiệp")
    news_index().add_child(instance=draft)
    url = news_index().url

    response = client.get(url, {"tag": "khởi-nghiệp"})
    soup = BeautifulSoup(response.content, "html.parser")
    paged = BeautifulSoup(client.get(url, {"tag": "nông-nghiệp"}).content, "html.parser")

    assert [h.get_text(strip=True) for h in soup.select("article h2")] == ["Tin khởi nghiệp"]
    assert soup.select_one(".news-tags [aria-current=page]").get_text() == "Khởi nghiệp"
    assert paged.select_one("a[rel=next]")["href"] == "?tag=n%C3%B4ng-nghi%E1%BB%87p&page=2"
    unknown = BeautifulSoup(client.get(url, {"tag": "khong-co"}).content, "html.parser")
    assert unknown.select("article h2") == []


def test_articles_are_readable_in_the_page_api_with_tags_and_authors(client):
    author = Author.objects.create(name="Nguyễn Thị Lan")
    article = ArticlePage(
        title="Tin API", slug="tin-api", date=datetime.date(2026, 5, 1), intro="Tóm tắt"
    )
    article.tags.add("Khởi nghiệp")
    article.article_authors = [ArticleAuthor(author=author)]
    article = publish(news_index(), article)
    publish(home(), StandardPage(title="Giới thiệu", slug="gioi-thieu", intro="Về chúng tôi"))

    response = client.get(
        "/api/v2/pages/",
        {"type": "cms.ArticlePage", "fields": "date,intro,tags,author_names,body"},
    )
    standard = client.get("/api/v2/pages/", {"type": "cms.StandardPage", "fields": "intro"})

    assert response.status_code == 200, response.content
    [item] = response.json()["items"]
    assert item["id"] == article.pk
    assert (item["date"], item["intro"], item["tags"]) == ("2026-05-01", "Tóm tắt", ["Khởi nghiệp"])
    assert (item["author_names"], item["body"]) == (["Nguyễn Thị Lan"], [])
    assert [page["intro"] for page in standard.json()["items"]] == ["Về chúng tôi"]


def test_the_news_index_queries_do_not_grow_with_its_articles(
    client, django_assert_max_num_queries
):
    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            make_article(
                f"Tin {number}",
                tags=[f"Chủ đề {number % 3}"],
                main_image=make_image(),
                main_image_alt="Ảnh minh hoạ",
            )

    add(2, 0)
    url = news_index().url
    client.get(url)  # renditions are made on the first visit
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    baseline = len(few.captured_queries)  # the next request resets the query log
    add(10, 2)
    client.get(url)

    with django_assert_max_num_queries(baseline):
        response = client.get(url)

    assert len(BeautifulSoup(response.content, "html.parser").select("article img")) == 12
