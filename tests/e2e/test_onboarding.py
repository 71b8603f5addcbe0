"""The first journey of every organisation: sign up, confirm, create, get verified."""

import re

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import Organisation
from tests.factories import PASSWORD, PDF_BYTES, StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_up_to_verified_organisation(new_page, mailoutbox):
    member = new_page()

    # Sign up, in Vietnamese, and get told to check the mailbox.
    member.goto("/vi/accounts/signup/")
    member.fill("input[name=full_name]", "Nguyễn Thị Lan")
    member.fill("input[name=email]", "lan@vien-sinh-hoc.vn")
    member.fill("input[name=password1]", PASSWORD)
    member.fill("input[name=password2]", PASSWORD)
    member.locator("form").filter(has=member.locator("input[name=password2]")).locator(
        "button[type=submit]"
    ).click()
    member.wait_for_url("**/vi/accounts/confirm-email/")

    # Open the link from the captured email and confirm.
    link = re.search(r"https?://[^/\s]+(/vi/accounts/confirm-email/\S+/)", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    member.goto(link.group(1))
    member.locator("main button[type=submit]").click()
    member.wait_for_url("**/vi/accounts/login/")

    # Log in and create the organisation; a wrong tax code is caught first.
    member.fill("input[name=login]", "lan@vien-sinh-hoc.vn")
    member.fill("input[name=password]", PASSWORD)
    member.locator("main button[type=submit]").first.click()
    member.wait_for_url("**/vi/portal/")
    member.goto("/vi/portal/organisations/new/")
    member.select_option("select[name=kind]", "institute")
    member.fill("input[name=legal_name]", "Viện Sinh học Nhiệt đới")
    member.fill("input[name=tax_code]", "0100109107")
    member.select_option("select[name=province]", "ho-chi-minh")
    member.locator("main button[type=submit]").click()
    error = member.locator("#id_tax_code_error")
    assert "chữ số kiểm tra không khớp" in error.inner_text()
    assert member.locator("#id_tax_code").get_attribute("aria-invalid") == "true"
    member.fill("input[name=tax_code]", "0100109106")
    member.locator("main button[type=submit]").click()
    member.wait_for_url("**/verification/")

    # Send the business registration as evidence.
    member.set_input_files(
        "input[name=evidence]",
        {"name": "dang-ky-kinh-doanh.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )
    member.locator("main button[type=submit]").click()
    member.wait_for_url("**/members/")
    organisation = Organisation.objects.get(tax_code="0100109106")
    assert organisation.verification_status == Organisation.Verification.PENDING

    # A curator with TOTP logs in, finds it in the admin queue and verifies it.
    secret = pyotp.random_base32()
    curator = StaffFactory(email="canbo@ttdmst.vn")
    TOTP.activate(curator, secret)
    staff = new_page()
    staff.goto("/admin/verification/")
    staff.wait_for_url("**/accounts/login/**")
    staff.fill("input[name=login]", curator.email)
    staff.fill("input[name=password]", PASSWORD)
    staff.locator("main button[type=submit]").first.click()
    staff.wait_for_url("**/accounts/2fa/authenticate/**")
    staff.fill("input[name=code]", pyotp.TOTP(secret).now())
    staff.locator("main button[type=submit]").first.click()
    staff.wait_for_url("**/admin/verification/")
    staff.get_by_role("link", name="Viện Sinh học Nhiệt đới").click()
    staff.locator("input[name=decision][value=verify]").check()
    staff.locator("button[type=submit].button").click()
    staff.wait_for_url("**/admin/verification/")
    assert "Viện Sinh học Nhiệt đới" in staff.locator(".messages").inner_text()

    organisation.refresh_from_db()
    assert organisation.is_verified
    member.goto(organisation.get_absolute_url())
    assert member.get_by_role("heading", name="Viện Sinh học Nhiệt đới").is_visible()
