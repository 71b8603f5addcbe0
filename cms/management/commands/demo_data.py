"""Fill an empty installation with believable data, safely and repeatedly.

Running it twice changes nothing the second time: every record is looked up by a natural
key (email, tax code, page slug) before it is created. Later rooms add their own sections.
"""

from __future__ import annotations

import json
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale, Page

from accounts import services as account_services
from accounts.models import Membership, Organisation, Sector, User
from accounts.provinces import Province
from cms import demo as pages_demo
from cms.events import demo as events_demo
from cms.kpi import Indicator
from cms.models import (
    DirectoryPage,
    HomePage,
    KpiTarget,
    NavigationSettings,
    SiteSearchPage,
    StatisticsPage,
)
from cms.translations import page_tree_translate
from market import demo as market_demo
from market import services as market_services
from market.importing import import_listings
from market.models import Deal, Introduction, Listing
from startups import demo as startup_demo

# This year's KPI targets: a province's plan for its science and technology market.
DEMO_KPI_TARGETS = {
    Indicator.TRANSACTIONS: 20,
    Indicator.TRADE_VALUE: 50_000_000_000,
    Indicator.IP_SHARE: 30,
    Indicator.NEEDS_CONNECTED: 15,
    Indicator.INTRODUCTIONS: 40,
    Indicator.STARTUPS_SUPPORTED: 10,
    Indicator.INCUBATORS_UPGRADED: 2,
    Indicator.LISTINGS_PUBLISHED: 150,
}
# The demo pages in English, by their Vietnamese slug; other pages become aliases.
ENGLISH_PAGES = {
    "home": {
        "title": "Technology and equipment trading floor",
        "hero_title": "Technology and equipment trading floor",
        "hero_text": (
            "Where research results, equipment and S&T services meet the innovation needs of "
            "enterprises, brokered by the Innovation Center."
        ),
    },
    "san-giao-dich": {
        "title": "Technology trading floor",
        "slug": "trading-floor",
        "intro": (
            "<p>Technology offers, technology needs, equipment and S&amp;T services from "
            "institutes, universities and enterprises.</p>"
        ),
    },
    "thong-ke": {
        "title": "Science and technology market statistics",
        "slug": "statistics",
        "intro": "<p>The province's targets and results, computed from the floor's data.</p>",
    },
}
DEMO_PASSWORD = "techfloor-demo"  # noqa: S105 - printed to the developer on purpose
STAFF_EMAIL = "staff@techfloor.local"

# (email, full name, organisation kind, legal name, tax code, province, sector codes)
STARTUP_TAX_CODE = "9960308246"
SME_TAX_CODE = "1860913904"
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
        SME_TAX_CODE,
        Province.DONG_THAP,
        ["fruit-processing", "drying-preservation"],
    ),
    (
        "khoinghiep@techfloor.local",
        "Phạm Thu Hà",
        Organisation.Kind.STARTUP,
        "Công ty Cổ phần AgriSense",
        STARTUP_TAX_CODE,
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


DEMO_LISTINGS_FILE = Path(__file__).resolve().parents[3] / "market" / "data" / "demo_listings.jsonl"
_VIEN = {"name": MEMBERS[0][3], "kind": "institute", "tax_code": MEMBERS[0][4]}
_CONTACT = {"name": MEMBERS[0][1], "email": MEMBERS[0][0], "phone": "0283 822 4567"}
OWN_LISTINGS = [
    {
        "external_id": f"own-vien-{number}",
        "kind": "offer",
        "title": title,
        "summary": summary,
        "description": f"<p>{summary}</p><p>Viện hỗ trợ lắp đặt, đào tạo vận hành và bảo hành.</p>",
        "language": "vi",
        "keywords": keywords,
        "sectors": ["drying-preservation"],
        "trl": 7,
        "ip_status": "utility_solution",
        "transfer_modes": ["license", "consulting"],
        "price": {"min": 250_000_000 * number, "max": 400_000_000 * number, "currency": "VND"},
        "province": "Hồ Chí Minh",
        "organisation": _VIEN,
        "visibility": "summary" if number % 2 else "public",
        "confidential": "Thông số quy trình: nhiệt độ sấy 42–48°C, thời gian 18 giờ, ẩm cuối 12%.",
        "contact": _CONTACT,
    }
    for number, (title, summary, keywords) in enumerate(
        [
            (
                "Máy sấy bơm nhiệt cho sầu riêng cấp đông",
                "Sấy nhiệt độ thấp giữ màu vàng và mùi đặc trưng của sầu riêng.",
                ["sấy bơm nhiệt", "sầu riêng"],
            ),
            (
                "Quy trình sấy thăng hoa xoài và mít",
                "Sản phẩm giòn xốp, giữ 90% vitamin C, bảo quản 12 tháng.",
                ["sấy thăng hoa", "xoài", "mít"],
            ),
            (
                "Công nghệ bảo quản thanh long bằng màng bao ăn được",
                "Kéo dài thời gian bảo quản thêm 14 ngày cho xuất khẩu đường biển.",
                ["bảo quản", "thanh long", "màng bao"],
            ),
            (
                "Hệ thống sấy cà phê nhân bằng năng lượng mặt trời",
                "Nhà sấy kính kết hợp bơm nhiệt, giảm 60% chi phí năng lượng.",
                ["sấy cà phê", "năng lượng mặt trời"],
            ),
            (
                "Chế phẩm vi sinh lên men vỏ cà phê làm phân bón",
                "Xử lý 10 tấn vỏ cà phê mỗi mẻ thành phân hữu cơ trong 30 ngày.",
                ["vi sinh", "vỏ cà phê", "phân hữu cơ"],
            ),
            (
                "Dây chuyền chiên chân không mít và chuối",
                "Chiên ở 85°C, giảm 35% dầu so với chiên thường.",
                ["chiên chân không", "mít"],
            ),
            (
                "Công nghệ cấp đông nhanh IQF cho trái cây cắt miếng",
                "Đông lạnh từng miếng trong 12 phút, giữ cấu trúc khi rã đông.",
                ["IQF", "cấp đông"],
            ),
            (
                "Bộ kit kiểm tra nhanh dư lượng thuốc bảo vệ thực vật",
                "Kết quả trong 15 phút tại vườn, đáp ứng yêu cầu truy xuất.",
                ["kiểm tra nhanh", "dư lượng"],
            ),
        ],
        start=1,
    )
]
# The step each demo introduction reaches, with its deal's details.
DEAL_STEPS = [
    ("requested", {}),
    ("accepted", {}),
    ("introduced", {}),
    ("negotiating", {"transaction_type": "license"}),
    ("agreement", {"transaction_type": "license", "value_vnd": 450_000_000}),
    ("contracted", {"transaction_type": "joint_development", "value_vnd": 1_200_000_000}),
    ("closed_won", {"transaction_type": "license", "value_vnd": 820_000_000}),
    ("closed_lost", {"transaction_type": "sale", "lost_reason": "Giá vượt ngân sách năm nay."}),
]


class Command(BaseCommand):
    help = "Create (or leave in place) demo users, organisations and pages."

    # Demo emails would flood the console; nobody reads them.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    @transaction.atomic
    def handle(self, *args, **options) -> None:
        staff = self._staff_user()
        for row in MEMBERS:
            self._member_with_organisation(*row)
        report = import_listings(lines=self._listing_lines(), publish=True)
        if not report.is_valid:
            raise CommandError("\n".join(report.errors))
        self._introductions_and_deals(staff)
        self._startup_support()
        self._statistics()
        self._events()
        market_demo.create_demo_price_list()  # featuring plans and S&T services on sale
        # Imported listings are published in bulk, without the per-listing refresh.
        call_command("rebuild_matches", stdout=self.stdout, stderr=self.stderr)
        self._pages()
        self._navigation()  # after the pages it links
        self._english_pages()  # last: it copies the pages created above
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data is in place: {Listing.objects.filter(status='published').count()} "
                f"published listings, {Deal.objects.count()} deals."
            )
        )
        self.stdout.write(
            f"  Staff login:   {STAFF_EMAIL} / {DEMO_PASSWORD}  (admin: /admin/; the first "
            "visit asks you to set up an authenticator app)\n"
            f"  Member logins: {', '.join(row[0] for row in MEMBERS)} / {DEMO_PASSWORD}"
        )

    def _startup_support(self) -> None:
        """Incubators, a programme with an open call, mentors, the demo startup's profile, and a
        technology survey answered by the SME and the startup."""
        startup_demo.create_demo_incubators()
        home = HomePage.objects.filter(depth=2, locale=Locale.get_default()).first()
        startup_demo.create_demo_programme(home=home)
        for email, full_name, *_profile in startup_demo.DEMO_MENTORS:
            self._verified_user(email=email, full_name=full_name)
        startup_demo.create_demo_mentors()
        startup_demo.enrich_demo_experts()
        startup_demo.create_demo_startup_profile(tax_code=STARTUP_TAX_CODE)
        startup_demo.create_demo_survey(respondent_tax_codes=[SME_TAX_CODE, STARTUP_TAX_CODE])
        startup_demo.create_demo_challenge(home=home, actor=self._staff_user())

    # --- Connection events (docs/events.md)

    def _events(self) -> None:
        """An events page with a paid connection session (with meeting slots) and a free fair."""
        home = HomePage.objects.filter(depth=2, locale=Locale.get_default()).first()
        if home is not None:
            events_demo.create_demo_events(home=home)

    # --- end of connection events

    def _statistics(self) -> None:
        """This year's KPI targets (docs/kpi-dashboard.md) and the public statistics page."""
        for indicator, target in DEMO_KPI_TARGETS.items():
            KpiTarget.objects.get_or_create(
                year=timezone.localdate().year,
                indicator=indicator,
                defaults={"target": target, "note": "Kế hoạch phát triển thị trường KH&CN"},
            )
        home = HomePage.objects.filter(depth=2, locale=Locale.get_default()).first()
        if home is None or StatisticsPage.objects.child_of(home).exists():
            return
        page = StatisticsPage(
            title="Thống kê thị trường KH&CN",
            slug="thong-ke",
            intro="<p>Chỉ tiêu của tỉnh và kết quả thực hiện, tính từ dữ liệu của sàn.</p>",
        )
        home.add_child(instance=page)
        page.save_revision().publish()

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
        staff.groups.add(
            *Group.objects.filter(name__in=["Curators", "Reviewers", "Finance", "Programme staff"])
        )
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

    def _listing_lines(self) -> list[str]:
        """The shipped listings, plus a few of the demo members' own organisations."""
        lines = DEMO_LISTINGS_FILE.read_text(encoding="utf-8").splitlines()
        return lines + [json.dumps(row, ensure_ascii=False) for row in OWN_LISTINGS]

    def _introductions_and_deals(self, staff: User) -> None:
        """One introduction at each step, so that every screen has something to show."""
        requester = User.objects.get(email="doanhnghiep@techfloor.local")
        requester_org = requester.memberships.get().organisation
        owner = User.objects.get(email="vien@techfloor.local")
        targets = Listing.objects.filter(external_id__startswith="own-vien-").order_by(
            "external_id"
        )
        for listing, (step, extra) in zip(targets, DEAL_STEPS, strict=False):
            if Introduction.objects.filter(listing=listing, requester=requester_org).exists():
                continue
            introduction = market_services.introduction_request(
                listing=listing,
                actor=requester,
                organisation=requester_org,
                message="Chúng tôi muốn ứng dụng công nghệ này tại nhà máy ở Đồng Tháp.",
                intended_use="Sơ chế và sấy trái cây xuất khẩu.",
            )
            if step == "requested":
                continue
            introduction = market_services.introduction_owner_accept(
                introduction=introduction, actor=owner, accept_nda=True
            )
            if step == "accepted":
                continue
            introduction = market_services.introduction_approve(
                introduction=introduction, actor=staff
            )
            market_services.message_post(
                introduction=introduction,
                actor=owner,
                body="Xin chào, chúng tôi gửi kèm hồ sơ kỹ thuật và lịch khảo sát.",
            )
            market_services.deal_update(deal=introduction.deal, actor=staff, stage=step, **extra)

    def _pages(self) -> None:
        """The "about" page and the news with a few articles (docs/pages.md)."""
        home = HomePage.objects.filter(depth=2, locale=Locale.get_default()).first()
        if home is not None:
            pages_demo.create_demo_pages(home=home)

    def _english_pages(self) -> None:
        """Every page of the Vietnamese tree gets its English page (docs/languages.md): those
        of ``ENGLISH_PAGES`` translated, any other an alias of the Vietnamese until an editor
        translates it. Runs last, so that it sees the pages every section above created."""
        english, _created = Locale.objects.get_or_create(language_code="en")
        page_tree_translate(locale=english, fields_by_slug=ENGLISH_PAGES)

    # --- Navigation, directory pages and site search (docs/navigation-and-search.md)

    def _navigation(self) -> None:
        """The three directory pages and the search page, and a menu and footer that link
        them; left as they are once an editor has configured the menu."""
        home = HomePage.objects.filter(depth=2, locale=Locale.get_default()).first()
        if home is None:
            return
        pages = {}
        for slug, page_class, fields in NAVIGATION_DEMO_PAGES:
            page = page_class.objects.child_of(home).filter(slug=slug).first()
            if page is None:
                page = page_class(slug=slug, **fields)
                home.add_child(instance=page)
                page.save_revision().publish()
            pages[slug] = page
        settings = NavigationSettings.for_site(home.get_site())
        if settings.main_menu.raw_data:
            return

        def page(slug: str) -> dict:
            return {"page": pages[slug].pk, "destination": "", "url": "", "label": {}}

        def named(slug: str, **label: str) -> dict | None:
            found = Page.objects.live().filter(locale=home.locale, slug=slug).first()
            return (
                {"page": found.pk, "destination": "", "url": "", "label": label} if found else None
            )

        # Events stay in one language (ADR 10): English readers get an English label.
        events = named("su-kien", en="Events")
        floor, statistics = named("san-giao-dich"), named("thong-ke")
        news, about = named("tin-tuc"), named("gioi-thieu")
        menu = [floor, events, page("to-chuc"), page("vuon-uom"), page("chuyen-gia"), news]
        settings.main_menu = [{"type": "link", "value": link} for link in menu if link]
        settings.footer_columns = [
            {
                "type": "column",
                "value": {
                    "heading": {"vi": "Sàn giao dịch", "en": "Trading floor"},
                    "links": [
                        link
                        for link in (floor, page("to-chuc"), statistics, page("tim-kiem"))
                        if link
                    ],
                },
            },
            {
                "type": "column",
                "value": {
                    "heading": {"vi": "Khởi nghiệp", "en": "Startups"},
                    "links": [
                        link for link in (page("vuon-uom"), page("chuyen-gia"), events) if link
                    ],
                },
            },
            {
                "type": "column",
                "value": {
                    "heading": {"vi": "Trung tâm", "en": "The Center"},
                    "links": [link for link in (about, news) if link],
                },
            },
        ]
        settings.footer_text = [
            {
                "type": "text",
                "value": {
                    "vi": "Sàn giao dịch công nghệ và thiết bị của tỉnh, do Trung tâm Đổi mới "
                    "sáng tạo vận hành.",
                    "en": "The province's technology and equipment trading floor, run by the "
                    "Innovation Center.",
                },
            }
        ]
        settings.contact_address = "Trung tâm Đổi mới sáng tạo\nSố 1 Trần Hưng Đạo, Đà Lạt"
        settings.phone = "0263 3822 000"
        settings.email = "doimoisangtao@example.gov.vn"
        settings.save()


# (Vietnamese slug, page type, fields) of the navigation's demo pages; their English versions
# come from ENGLISH_PAGES, which _english_pages copies.
NAVIGATION_DEMO_PAGES = [
    (
        "to-chuc",
        DirectoryPage,
        {
            "title": "Tổ chức khoa học và công nghệ",
            "directory": "organisations",
            "intro": "<p>Viện, trường, doanh nghiệp đã được Trung tâm xác minh.</p>",
        },
    ),
    (
        "vuon-uom",
        DirectoryPage,
        {
            "title": "Vườn ươm và không gian làm việc chung",
            "directory": "incubators",
            "intro": "<p>Chỗ còn trống, lĩnh vực ưu tiên và dịch vụ hỗ trợ khởi nghiệp.</p>",
        },
    ),
    (
        "chuyen-gia",
        DirectoryPage,
        {
            "title": "Chuyên gia và cố vấn",
            "directory": "experts",
            "intro": "<p>Chuyên gia tư vấn, phản biện và cố vấn khởi nghiệp của tỉnh.</p>",
        },
    ),
    ("tim-kiem", SiteSearchPage, {"title": "Tìm kiếm"}),
]
ENGLISH_PAGES |= {
    "to-chuc": {
        "title": "Science and technology organisations",
        "slug": "organisation-directory",
        "intro": "<p>Institutes, universities and enterprises verified by the Center.</p>",
    },
    "vuon-uom": {
        "title": "Incubators and co-working spaces",
        "slug": "incubator-directory",
        "intro": "<p>Free places, focus sectors and the support each one offers.</p>",
    },
    "chuyen-gia": {
        "title": "Experts and mentors",
        "slug": "expert-directory",
        "intro": "<p>The province's consultants, reviewers and startup mentors.</p>",
    },
    "tim-kiem": {"title": "Search", "slug": "search"},
}
ENGLISH_PAGES |= pages_demo.ENGLISH_PAGES  # the about page and the news index
