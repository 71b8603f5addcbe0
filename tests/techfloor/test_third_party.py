"""No page makes the visitor's browser fetch anything from another site (issue 6, item 6).

Scripts, styles, images, fonts and frames are all served by TechFloor itself: a third-party
request would tell another company who reads what, and the content security policy would block
it anyway. Links (``<a href>``) to other sites are fine: nothing is fetched until one is
followed. The Chromium journey ``tests/e2e/test_accessibility.py`` checks the same from inside
the browser, request by request.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts.models import Organisation
from startups.services.applications import application_create
from tests.factories import MembershipFactory, PublishedListingFactory
from tests.startups.factories import CallPageFactory

# <link rel=...> values that make the browser fetch the target; canonical and alternate do not.
FETCHED_LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
}
FETCHED_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),  # <input type=image>
}
CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+)["']?([^"')\s]+)""", re.IGNORECASE)


class FetchedUrls(HTMLParser):
    """Collects every URL in a page that the browser fetches by itself."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        names = FETCHED_ATTRIBUTES.get(tag, ())
        if tag == "link" and FETCHED_LINK_RELS & set(values.get("rel", "").lower().split()):
            names = ("href", "imagesrcset")
        for name in names:
            if name.endswith("srcset"):
                self.urls += [item.split()[0] for item in values.get(name, "").split(",") if item]
            elif values.get(name):
                self.urls.append(values[name])
        self.urls += CSS_URL.findall(values.get("style", ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += CSS_URL.findall(data)


def fetched_urls(html: str) -> list[str]:
    parser = FetchedUrls()
    parser.feed(html)
    return parser.urls


def third_party_urls(html: str, *, site_host: str) -> list[str]:
    """The fetched URLs of ``html`` that point at another origin than ``site_host``."""
    external = []
    for url in fetched_urls(html):
        parts = urlsplit(url.strip())
        if parts.scheme in {"http", "https", ""} and parts.netloc and parts.netloc != site_host:
            external.append(url)
    return external


def test_the_detector_finds_every_kind_of_fetched_third_party_url():
    html = """<html><head>
      <link rel="stylesheet" href="https://cdn.example.com/site.css">
      <link rel="canonical" href="https://elsewhere.example.com/page/">
      <link rel="preconnect" href="https://fonts.example.com">
      <script src="//cdn.example.com/app.js"></script>
      <style>@import "https://fonts.example.com/css"; p { background: url(/static/a.png) }</style>
      </head><body>
      <img src="/static/logo.png" srcset="/static/logo2x.png 2x, https://img.example.com/3x.png 3x">
      <iframe src="https://maps.example.com/embed"></iframe>
      <div style="background-image: url('https://img.example.com/bg.jpg')"></div>
      <a href="https://partner.example.com/">a partner</a>
      <script src="http://testserver/static/same-site.js"></script>
    </body></html>"""

    assert third_party_urls(html, site_host="testserver") == [
        "https://cdn.example.com/site.css",
        "https://fonts.example.com",
        "//cdn.example.com/app.js",
        "https://fonts.example.com/css",
        "https://img.example.com/3x.png",
        "https://maps.example.com/embed",
        "https://img.example.com/bg.jpg",
    ]


@pytest.mark.django_db
def test_the_main_pages_fetch_nothing_from_other_sites(client):
    listing = PublishedListingFactory(title="Máy sấy bơm nhiệt cho sầu riêng")
    call = CallPageFactory()
    applicant = MembershipFactory(
        organisation__verification_status=Organisation.Verification.VERIFIED,
        organisation__kind=Organisation.Kind.STARTUP,
    ).user
    application = application_create(
        call=call,
        organisation=applicant.memberships.get().organisation,
        actor=applicant,
        title="Cảm biến độ ẩm cho vườn sầu riêng",
    )
    public_pages = [
        "/vi/",
        "/en/",
        "/vi/san-giao-dich/",
        f"/vi/san-giao-dich/{listing.slug}/",
        call.get_url(),
    ]
    member_pages = [
        f"/vi/calls/{call.pk}/apply/",
        reverse("startups:application_edit", kwargs={"pk": application.pk}),
        "/vi/portal/",
    ]

    found = {}
    for url in public_pages + member_pages:
        if url == member_pages[0]:
            client.force_login(applicant)
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "/static/bootstrap/css/bootstrap.min.css" in fetched_urls(html), url
        found[url] = third_party_urls(html, site_host="testserver")

    assert found == {url: [] for url in public_pages + member_pages}
