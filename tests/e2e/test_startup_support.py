"""Startup support from end to end: staff create a call in the page editor → a startup applies
→ staff screen it and assign a reviewer → the reviewer declares no conflict and scores → a
council approves → an agreement's milestone is reported, accepted and disbursed."""

import datetime
import re

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from wagtail.models import Page

from accounts.models import Membership, Organisation
from startups.models import Application, CallPage, Milestone, ProgrammePage, ReviewAssignment
from tests.e2e.conftest import log_in
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)

# Where Wagtail sends the editor of a page just published: its parent's page listing.
EXPLORER = re.compile(r"/admin/pages/\d+/$")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def submit(page, selector: str) -> None:
    """Click a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.locator(selector).click()


def publish(page) -> None:
    """Wagtail's editor footer: open the actions menu, then "Publish"; then wait for the
    explorer Wagtail sends a published page's editor to, and its word that it is published.

    Not ``expect_navigation``: Wagtail's autosave (every 500 ms while typing) rewrites the
    address in place once it has saved a draft, and Playwright takes that for the navigation,
    so the test read the database before the page existed (it failed so, once, in CI)."""
    page.locator("footer [data-w-dropdown-target=toggle]").click()
    page.locator("button[name=action-publish]").click()
    try:
        page.wait_for_url(EXPLORER)
    except PlaywrightTimeoutError:
        refused = page.locator(".messages li.error, .error-message").all_inner_texts()
        raise AssertionError(f"Not published ({page.url}): {refused}") from None
    expect(page.locator(".messages li.success")).to_be_visible()


def staff_member(email: str, groups: list[str]):
    user = StaffFactory(email=email, full_name=email.split("@")[0], groups=groups)
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return user, secret


def milestone_status(status: Milestone.Status) -> str:
    with translation.override("vi"):
        return str(status.label)


def test_call_to_disbursed_milestone(new_page):
    officer, officer_secret = staff_member("canbo.khoinghiep@ttdmst.vn", ["Programme staff"])
    accountant, accountant_secret = staff_member("ketoan@ttdmst.vn", ["Finance"])
    reviewer = UserFactory(email="chuyengia@dhct.edu.vn", full_name="PGS.TS. Trần Thị Bình")
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    founder = MembershipFactory(
        user__email="an@saurieng.vn",
        organisation__legal_name="Công ty TNHH Sầu Riêng Thông Minh",
        organisation__kind=Organisation.Kind.STARTUP,
        organisation__verification_status=Organisation.Verification.VERIFIED,
        role=Membership.Role.OWNER,
    ).user
    home = Page.objects.get(depth=2, slug="home")
    now = timezone.localtime()

    # Staff create the programme and its call in Wagtail's page editor, and publish both.
    staff = new_page()
    log_in(
        staff,
        email=officer.email,
        password=PASSWORD,
        totp_secret=officer_secret,
        next_url="/admin/",
    )
    staff.wait_for_url("**/admin/")
    staff.goto(f"/admin/pages/add/startups/programmepage/{home.pk}/")
    staff.fill("#id_title", "Đề án hỗ trợ khởi nghiệp Đồng Tháp 2026–2030")
    staff.fill("#id_starts_in", "2026")
    staff.fill("#id_ends_in", "2030")
    publish(staff)
    programme = ProgrammePage.objects.get()
    staff.goto(f"/admin/pages/add/startups/callpage/{programme.pk}/")
    staff.fill("#id_title", "Kêu gọi hỗ trợ dự án khởi nghiệp 2026")
    staff.fill("#id_opens_at", (now - datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"))
    staff.keyboard.press("Escape")
    staff.fill("#id_closes_at", (now + datetime.timedelta(days=30)).strftime("%Y-%m-%d %H:%M"))
    staff.keyboard.press("Escape")
    staff.fill("#id_quota", "5")
    # The form builder: one long-text question (the second block type offered).
    staff.locator("#panel-child-content-application_form-content button.c-sf-add-button").click()
    staff.locator("[role=option]").nth(1).click()
    staff.fill("input[name='application_form-0-value-label']", "Mô tả dự án")
    staff.fill("#id_criteria-0-name", "Tính đổi mới")
    staff.fill("#id_criteria-0-weight", "2")
    staff.fill("#id_reviewers_per_application", "1")
    publish(staff)
    call = CallPage.objects.get()
    assert call.live
    assert [(q["type"], q["label"]) for q in call.form_definition()] == [
        ("long_text", "Mô tả dự án")
    ]
    criterion = call.criteria.get()

    # The startup applies on the portal and submits.
    startup = new_page()
    log_in(startup, email=founder.email, password=PASSWORD)
    startup.goto(f"/vi/calls/{call.pk}/apply/")
    startup.fill("input[name=title]", "Cảm biến độ ẩm cho vườn sầu riêng")
    submit(startup, "main form button[type=submit]")
    application = Application.objects.get()
    question = call.form_definition()[0]["id"]
    startup.fill(f"textarea[name='{question}']", "Mạng cảm biến LoRa báo tưới theo độ ẩm đất.")
    submit(startup, "button[name=action][value=submit]")
    expect(startup.get_by_test_id("phase")).to_have_text("Đã nộp")

    # Staff find it in the call's table, screen it eligible and assign the reviewer by hand.
    staff.goto("/admin/startups/calls/")
    staff.get_by_role("link", name="Kêu gọi hỗ trợ dự án khởi nghiệp 2026").click()
    expect(staff.get_by_test_id("applications")).to_contain_text(
        "Công ty TNHH Sầu Riêng Thông Minh"
    )
    staff.get_by_role("link", name=application.reference).click()
    expect(staff.get_by_test_id("phase")).to_have_text("Chờ sàng lọc")
    staff.check("input[name=screen-eligible][value=yes]")
    submit(staff, "[data-testid=screen-form] button[type=submit]")
    expect(staff.get_by_test_id("phase")).to_have_text("Đang thẩm định")
    staff.select_option("select[name=assign_reviewer-reviewer]", str(reviewer.pk))
    submit(staff, "[data-testid=assign-reviewer-form] button[type=submit]")
    expect(staff.get_by_test_id("reviews")).to_contain_text("PGS.TS. Trần Thị Bình")

    # The reviewer declares no conflict of interest, then scores.
    expert = new_page()
    log_in(expert, email=reviewer.email, password=PASSWORD)
    expert.goto("/vi/portal/reviews/")
    expert.get_by_role("link", name=application.reference).click()
    expect(expert.locator("main")).not_to_contain_text("Mạng cảm biến LoRa")
    expert.check("input[name=has_conflict][value=no]")
    submit(expert, "main form button")
    expect(expert.locator("main")).to_contain_text("Mạng cảm biến LoRa báo tưới theo độ ẩm đất.")
    expert.select_option(f"select[name=score_{criterion.pk}]", "8")
    submit(expert, "button[name=action][value=submit]")
    expect(expert.locator("main .alert-success").first).to_be_visible()
    assert ReviewAssignment.objects.get().submitted_at is not None

    # Staff see the score, send the application to a council and convene it.
    staff.reload()
    expect(staff.get_by_test_id("reviews")).to_contain_text("80,00")
    submit(staff, "[data-testid=send-to-council-form] button[type=submit]")
    expect(staff.get_by_test_id("phase")).to_have_text("Chờ hội đồng")
    staff.goto(f"/admin/startups/calls/{call.pk}/councils/new/")
    staff.fill("input[name=council-title]", "Hội đồng xét duyệt đợt 1/2026")
    staff.fill(
        "input[name=council-meets_at]",
        (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT09:00"),
    )
    staff.fill("input[name=council-place]", "Phòng họp Sở Khoa học và Công nghệ")
    staff.fill("input[name=council-quorum]", "1")
    staff.select_option("select[name=council-chair]", str(officer.pk))
    expect(staff.locator(f"input[name=council-agenda][value='{application.pk}']")).to_be_checked()
    submit(staff, "[data-testid=council-form] button[type=submit]")
    expect(staff.locator("main")).to_contain_text("Hội đồng xét duyệt đợt 1/2026")

    # Attendance, then the approval.
    staff.check(f"input[name=attendance-present][value='{officer.pk}']")
    submit(staff, "[data-testid=attendance-form] button[type=submit]")
    expect(staff.get_by_test_id("quorum")).to_contain_text("1")
    staff.check(f"input[name=decide-{application.pk}-outcome][value=approve]")
    staff.fill(
        f"textarea[name=decide-{application.pk}-reason]", "Giải pháp khả thi, thị trường rõ."
    )
    submit(staff, f"[data-testid=decision-form-{application.pk}] button[type=submit]")
    expect(staff.get_by_test_id(f"decision-{application.pk}")).to_contain_text(
        "Giải pháp khả thi, thị trường rõ."
    )

    # The startup reads the decision and finds its letter.
    startup.goto(f"/vi/portal/applications/{application.pk}/")
    expect(startup.get_by_test_id("phase")).to_have_text("Được chấp thuận")
    letter = startup.locator("a[href*='/portal/decisions/']")
    expect(letter).to_be_visible()

    # Staff sign the agreement with one milestone.
    staff.goto(f"/admin/startups/applications/{application.pk}/")
    staff.locator(f"a[href='/admin/startups/applications/{application.pk}/agreement/new/']").click()
    staff.fill("input[name=agreement-number]", "01/2026/HĐHT-TTĐMST")
    staff.fill("input[name=agreement-signed_on]", now.strftime("%Y-%m-%d"))
    staff.fill("input[name=agreement-grant_total]", "150000000")
    staff.fill("input[name=milestones-0-title]", "Lắp đặt thử tại 5 vườn")
    staff.fill(
        "input[name=milestones-0-due_on]",
        (now + datetime.timedelta(days=90)).strftime("%Y-%m-%d"),
    )
    staff.fill("input[name=milestones-0-amount]", "150000000")
    submit(staff, "[data-testid=agreement-form] button[type=submit]")
    milestone = Milestone.objects.get()
    expect(staff.get_by_test_id("milestones")).to_contain_text("Lắp đặt thử tại 5 vườn")

    # The startup reports on the milestone.
    startup.reload()
    startup.locator(f"a[href='/vi/portal/milestones/{milestone.pk}/report/']").click()
    startup.fill("textarea[name=report]", "Đã lắp 5 bộ cảm biến, số liệu gửi về hằng giờ.")
    submit(startup, "main form button")
    expect(startup.locator("main")).to_contain_text(milestone_status(Milestone.Status.REPORTED))

    # Staff accept the report; staff see no disburse button.
    staff.reload()
    expect(staff.get_by_test_id("milestones")).to_contain_text("Đã lắp 5 bộ cảm biến")
    staff.check(f"input[name=review-{milestone.pk}-accept][value=yes]")
    submit(staff, f"[data-testid=review-form-{milestone.pk}] button[type=submit]")
    expect(staff.get_by_test_id(f"milestone-status-{milestone.pk}")).to_contain_text(
        milestone_status(Milestone.Status.ACCEPTED)
    )
    expect(staff.get_by_test_id(f"disburse-form-{milestone.pk}")).to_have_count(0)

    # Finance releases the money.
    finance = new_page()
    log_in(
        finance,
        email=accountant.email,
        password=PASSWORD,
        totp_secret=accountant_secret,
        next_url="/admin/startups/agreements/",
    )
    finance.wait_for_url("**/admin/startups/agreements/")
    finance.get_by_role("link", name="01/2026/HĐHT-TTĐMST").click()
    finance.fill(f"input[name=disburse-{milestone.pk}-reference]", "UNC 0425/2026")
    submit(finance, f"[data-testid=disburse-form-{milestone.pk}] button[type=submit]")
    expect(finance.get_by_test_id(f"milestone-status-{milestone.pk}")).to_contain_text(
        "UNC 0425/2026"
    )

    # The startup's page shows the milestone as disbursed.
    startup.goto(f"/vi/portal/applications/{application.pk}/")
    expect(startup.locator("main table").first).to_contain_text(
        milestone_status(Milestone.Status.DISBURSED)
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DISBURSED
    assert milestone.disbursement.amount == 150_000_000
