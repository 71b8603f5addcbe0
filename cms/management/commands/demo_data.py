"""Fill an empty installation with believable data, safely and repeatedly.

Running it twice changes nothing the second time: every record is looked up by a natural
key (email, tax code, page slug) before it is created. Later rooms add their own sections.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from accounts import services as account_services
from accounts.models import Membership, Organisation, Sector, User
from accounts.provinces import Province
from cms.models import HomePage

DEMO_PASSWORD = "techfloor-demo"  # noqa: S105 - printed to the developer on purpose
STAFF_EMAIL = "staff@techfloor.local"

# (email, full name, organisation kind, legal name, tax code, province, sector codes)
MEMBERS = [
    (
        "vien@techfloor.local",
        "TS. Nguyễn Thị Lan",
        Organisation.Kind.INSTITUTE,
        "Viện Công nghệ Sinh học và Thực phẩm miền Nam",
        "5260181597",
        Province.HO_CHI_MINH,
        ["food-processing", "biotechnology"],
    ),
    (
        "daihoc@techfloor.local",
        "PGS.TS. Trần Văn Minh",
        Organisation.Kind.UNIVERSITY,
        "Trường Đại học Bách khoa Đà Nẵng",
        "0830166139",
        Province.DA_NANG,
        ["machinery", "energy-efficiency"],
    ),
    (
        "doanhnghiep@techfloor.local",
        "Lê Hoàng Nam",
        Organisation.Kind.SME,
        "Công ty TNHH Chế biến Nông sản Đồng Tháp",
        "1860913904",
        Province.DONG_THAP,
        ["fruit-processing", "drying-preservation"],
    ),
    (
        "khoinghiep@techfloor.local",
        "Phạm Thu Hà",
        Organisation.Kind.STARTUP,
        "Công ty Cổ phần AgriSense",
        "9960308246",
        Province.CAN_THO,
        ["iot-automation", "high-tech-agriculture"],
    ),
    (
        "ttdmst@techfloor.local",
        "Võ Minh Tuấn",
        Organisation.Kind.CENTER,
        "Trung tâm Đổi mới sáng tạo tỉnh Đồng Tháp",
        "6281948214",
        Province.DONG_THAP,
        [],
    ),
]


class Command(BaseCommand):
    help = "Create (or leave in place) demo users, organisations and pages."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        self._staff_user()
        for row in MEMBERS:
            self._member_with_organisation(*row)
        self._english_home_page()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(
            f"  Staff login:   {STAFF_EMAIL} / {DEMO_PASSWORD}  (admin: /admin/; the first "
            "visit asks you to set up an authenticator app)\n"
            f"  Member logins: {', '.join(row[0] for row in MEMBERS)} / {DEMO_PASSWORD}"
        )

    def _verified_user(self, *, email: str, full_name: str, **fields) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, **fields)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _staff_user(self) -> User:
        staff = self._verified_user(
            email=STAFF_EMAIL, full_name="Cán bộ Trung tâm ĐMST", is_staff=True, is_superuser=True
        )
        staff.groups.add(*Group.objects.filter(name__in=["Curators", "Reviewers", "Finance"]))
        return staff

    def _member_with_organisation(
        self, email, full_name, kind, legal_name, tax_code, province, sector_codes
    ) -> Organisation:
        user = self._verified_user(email=email, full_name=full_name)
        organisation = Organisation.objects.filter(tax_code=tax_code).first()
        if organisation is None:
            organisation = account_services.organisation_create(
                actor=user,
                kind=kind,
                legal_name=legal_name,
                province=province,
                tax_code=tax_code,
                sectors=list(Sector.objects.filter(code__in=sector_codes)),
            )
        elif not Membership.objects.filter(user=user, organisation=organisation).exists():
            Membership.objects.create(
                user=user, organisation=organisation, role=Membership.Role.OWNER
            )
        if not organisation.is_verified:
            # Demo organisations skip the evidence step that real ones go through.
            organisation.verification_status = Organisation.Verification.VERIFIED
            organisation.verified_at = timezone.now()
            organisation.save(update_fields=["verification_status", "verified_at"])
        return organisation

    def _english_home_page(self) -> None:
        home = HomePage.objects.filter(depth=2, locale=Locale.get_default()).first()
        english, _created = Locale.objects.get_or_create(language_code="en")
        if (
            home is None
            or Page.objects.filter(translation_key=home.translation_key, locale=english).exists()
        ):
            return
        translation = home.copy_for_translation(english)
        translation.title = "Technology and equipment trading floor"
        translation.hero_title = translation.title
        translation.hero_text = (
            "Where research results, equipment and S&T services meet the innovation needs of "
            "enterprises, brokered by the Innovation Center."
        )
        translation.save_revision().publish()
