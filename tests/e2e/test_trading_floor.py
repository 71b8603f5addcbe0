"""The floor's main journey: offer → curation → search → interest → introduction → deal."""

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from market.models import Deal, Listing
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_offer_to_closed_deal(new_page):
    researcher = MembershipFactory(
        user__email="lan@vien.vn",
        organisation__legal_name="Viện Sinh học Tây Nguyên",
        organisation__verification_status="verified",
        organisation__kind="institute",
    ).user
    enterprise = MembershipFactory(
        user__email="nam@nongsan.vn",
        organisation__legal_name="Công ty Nông sản Đồng Tháp",
        organisation__verification_status="verified",
    ).user
    secret = pyotp.random_base32()
    curator = StaffFactory(email="canbo@ttdmst.vn")
    TOTP.activate(curator, secret)

    # The researcher lists an offer and submits it.
    owner = new_page()
    log_in(owner, email=researcher.email, password=PASSWORD)
    owner.goto("/vi/portal/listings/new/")
    owner.check("input[name=kind][value=offer]")
    owner.fill("input[name=title]", "Công nghệ sấy lạnh đông trùng hạ thảo")
    owner.locator("main button[type=submit]").click()
    owner.wait_for_url("**/portal/listings/*/")
    owner.fill("textarea[name=summary]", "Sấy ở 40°C giữ hoạt chất cordycepin.")
    owner.fill("textarea[name=description]", "<p>Buồng sấy bơm nhiệt hai cấp.</p>")
    owner.select_option("select[name=province]", "lam-dong")
    owner.fill("input[name=contact_name]", "TS. Lan")
    owner.fill("input[name=contact_email]", "lan.lienhe@vien.vn")
    owner.fill("textarea[name=problem]", "Sấy nóng làm mất hoạt chất.")
    owner.fill("input[name=trl]", "7")
    owner.fill("textarea[name=confidential]", "Chế độ sấy: 40°C trong 20 giờ.")
    owner.check("input[name=transfer_modes][value=license]")
    owner.locator("button[name=action][value=submit]").click()
    owner.wait_for_url("**/portal/listings/")
    listing = Listing.objects.get(title="Công nghệ sấy lạnh đông trùng hạ thảo")
    assert listing.status == "submitted"

    # A curator with TOTP publishes it from the admin queue.
    staff = new_page()
    log_in(
        staff,
        email=curator.email,
        password=PASSWORD,
        totp_secret=secret,
        next_url="/admin/floor/curation/",
    )
    staff.wait_for_url("**/admin/floor/curation/")
    staff.get_by_role("link", name="Công nghệ sấy lạnh đông trùng hạ thảo").click()
    staff.check("input[name=decision][value=approve]")
    staff.locator("form button[type=submit].button").click()
    staff.wait_for_url("**/admin/floor/curation/")

    # The enterprise finds it without diacritics and expresses interest.
    buyer = new_page()
    log_in(buyer, email=enterprise.email, password=PASSWORD)
    buyer.goto("/vi/san-giao-dich/?q=say+lanh+dong+trung")
    buyer.get_by_role("link", name="Công nghệ sấy lạnh đông trùng hạ thảo").click()
    assert "40°C trong 20 giờ" not in buyer.content()
    buyer.locator("a[href*='/portal/interest/']").click()
    buyer.fill("textarea[name=message]", "Chúng tôi muốn chuyển giao công nghệ.")
    buyer.fill("textarea[name=intended_use]", "Sấy nấm dược liệu xuất khẩu.")
    buyer.locator("main button").click()
    buyer.wait_for_url("**/portal/introductions/*/")
    introduction_url = buyer.url

    # The owner accepts under the NDA; the curator approves the introduction.
    owner.goto(introduction_url)
    owner.check("input[name=decision][value=accept]")
    owner.check("input[name=accept_nda]")
    owner.locator("form:has(input[name=answer]) button").click()
    owner.wait_for_load_state()
    staff.goto("/admin/floor/introductions/")
    staff.get_by_role("link", name="Công nghệ sấy lạnh đông trùng hạ thảo").click()
    staff.check("input[name=decision][value=approve]")
    staff.locator("form button[type=submit].button").click()
    staff.wait_for_url("**/admin/floor/introductions/")

    # Both parties now see contacts and confidential details.
    buyer.goto(introduction_url)
    assert "lan.lienhe@vien.vn" in buyer.content()
    assert "40°C trong 20 giờ" in buyer.content()
    owner.goto(introduction_url)
    assert enterprise.email in owner.content()

    # The deal closes with a value.
    buyer.select_option("select[name=stage]", "closed_won")
    buyer.select_option("select[name=transaction_type]", "license")
    buyer.fill("input[name=value_vnd]", "850000000")
    buyer.locator("form:has(input[name=deal]) button").click()
    buyer.wait_for_load_state()
    assert "850.000.000" in buyer.content()
    deal = Deal.objects.get(introduction__listing=listing)
    assert (deal.stage, deal.value_vnd, deal.transaction_type) == (
        "closed_won",
        850_000_000,
        "license",
    )
