"""Accessibility, phone width and privacy of the pages people land on most (issue 6, item 6).

On the demo data, each page is checked three ways in Chromium:

- axe-core (from npm, ``make axe``) finds no serious or critical WCAG 2.1 A/AA violation;
- at phone width (390×844) nothing scrolls sideways, the menu folds into a toggler that opens,
  and the main heading is visible. The content security policy is enforced there, so the
  toggler opening also proves that the policy lets Bootstrap's script run;
- no request leaves the site: every URL the browser asks for is on the live server's host.

Problems are collected over every page and reported together, so one run lists them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import Organisation, User
from cms.management.commands.demo_data import DEMO_PASSWORD, MEMBERS, STARTUP_TAX_CODE
from market.models import Listing
from startups.models import CallPage
from startups.services.applications import application_create
from tests.e2e.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
LOCAL_SCHEMES = {"data", "blob"}
APPLICANT_EMAIL = next(
    email for email, *_, tax_code, _, _ in MEMBERS if tax_code == STARTUP_TAX_CODE
)

# The outermost elements that stick out past the right edge, named for the failure message.
OVERFLOWING_ELEMENTS = """() => {
  const edge = window.innerWidth + 1;
  const name = (element) => element.tagName.toLowerCase()
    + (element.id ? '#' + element.id : '')
    + [...element.classList].map((cls) => '.' + cls).join('');
  return [...document.body.querySelectorAll('*')]
    .filter((element) => element.getBoundingClientRect().right > edge)
    .filter((element) => element.parentElement.getBoundingClientRect().right <= edge)
    .slice(0, 5)
    .map(name);
}"""


@dataclass(frozen=True)
class Visit:
    """A page to check, and whether the demo startup's owner is logged in to see it."""

    name: str
    url: str
    is_applicant: bool = False


@pytest.fixture
def axe_script() -> Path:
    if not AXE_SCRIPT.exists():
        reason = (
            "axe-core is not installed: `make axe` (npm ci) installs it from package-lock.json."
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI needs npm for the accessibility checks. {reason}")
        pytest.skip(reason)
    return AXE_SCRIPT


@pytest.fixture
def visits(transactional_db) -> list[Visit]:
    """The demo data, a draft application of the demo startup, and the pages to check."""
    call_command("demo_data", verbosity=0)
    listing = Listing.objects.filter(status=Listing.Status.PUBLISHED).order_by("pk").first()
    call = CallPage.objects.live().get(call_type="startup_support")
    application = application_create(
        call=call,
        organisation=Organisation.objects.get(tax_code=STARTUP_TAX_CODE),
        actor=User.objects.get(email=APPLICANT_EMAIL),
        title="Cảm biến độ ẩm cho vườn sầu riêng",
    )
    with translation.override("vi"):
        return [
            Visit("home (vi)", "/vi/"),
            Visit("home (en)", "/en/"),
            Visit("trading floor", "/vi/san-giao-dich/"),
            Visit("listing", f"/vi/san-giao-dich/{listing.slug}/"),
            Visit("call", call.get_url()),
            Visit("starting an application", f"/vi/calls/{call.pk}/apply/", is_applicant=True),
            Visit(
                "application form",
                reverse("startups:application_edit", kwargs={"pk": application.pk}),
                is_applicant=True,
            ),
            Visit("member dashboard", reverse("accounts:dashboard"), is_applicant=True),
        ]


class Journey:
    """Browser contexts for the visitor and the applicant; records every request they make."""

    def __init__(self, browser, live_server) -> None:
        self.browser = browser
        self.base_url = live_server.url
        self.requested: list[str] = []
        self.policy_errors: list[str] = []

    @contextmanager
    def context(self, *, email: str | None, **options) -> Iterator:
        context = self.browser.new_context(base_url=self.base_url, locale="vi-VN", **options)
        context.set_default_timeout(15_000)
        context.on("request", lambda request: self.requested.append(request.url))
        context.on("console", self._record_policy_error)
        try:
            page = context.new_page()
            if email:
                log_in(page, email=email, password=DEMO_PASSWORD)
            yield page
        finally:
            context.close()

    def _record_policy_error(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.policy_errors.append(message.text)

    def third_party_requests(self) -> list[str]:
        site = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requested
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != site
        ]


def axe_violations(page, *, script: Path) -> list[str]:
    """Run axe-core on the open page; one line per serious or critical violation."""
    page.add_script_tag(path=str(script))
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def phone_problems(page) -> list[str]:
    """What goes wrong at phone width: sideways scrolling, the menu, the main heading."""
    problems = []
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        problems.append(
            "scrolls sideways; too wide: " + ", ".join(page.evaluate(OVERFLOWING_ELEMENTS))
        )
    if not page.locator("main h1").first.is_visible():
        problems.append("the main heading (main h1) is not visible")
    toggler = page.locator("header .navbar-toggler")
    menu = page.locator("header #site-menu")
    if not toggler.is_visible() or menu.is_visible():
        return [*problems, "the menu is not folded behind a visible toggler"]
    toggler.click()
    try:
        expect(menu).to_be_visible(timeout=5_000)
        expect(toggler).to_have_attribute("aria-expanded", "true")
    except AssertionError:
        problems.append("the menu's toggler does not open it")
    return problems


def test_pages_are_accessible_fit_a_phone_and_ask_nothing_of_third_parties(
    browser, live_server, axe_script, visits
):
    journey = Journey(browser, live_server)
    problems: dict[str, list[str]] = {}
    for email in (None, APPLICANT_EMAIL):
        pages = [visit for visit in visits if visit.is_applicant == bool(email)]
        # axe is added as an inline script, which the site's policy forbids: bypass it here only.
        with journey.context(email=email, bypass_csp=True) as page:
            for visit in pages:
                page.goto(visit.url)
                problems[f"{visit.name} {visit.url}, desktop"] = axe_violations(
                    page, script=axe_script
                )
        with journey.context(email=email, **PHONE) as page:
            for visit in pages:
                page.goto(visit.url)
                problems[f"{visit.name} {visit.url}, phone"] = phone_problems(page)

    assert len(problems) == 2 * len(visits)  # every page was checked both ways
    found = {where: lines for where, lines in problems.items() if lines}
    assert not found, "\n".join(
        f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items()
    )
    assert journey.policy_errors == []
    assert len(journey.requested) >= 3 * len(visits)  # each page, its styles and its scripts
    assert journey.third_party_requests() == []
