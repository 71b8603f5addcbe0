"""Demo startup support for ``manage.py demo_data``: incubators and co-working spaces, a
programme with an open call, mentors, and a technology survey with two responses. Safe to run
again."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Sector, User
from accounts.provinces import Province
from market.models import Listing
from startups.models import (
    CallPage,
    ChallengeIndexPage,
    ChallengePage,
    Expert,
    Incubator,
    ProgrammePage,
    ProgrammeTarget,
    RubricCriterion,
    Space,
    StartupProfile,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)
from startups.services.challenges import challenge_create, challenge_publish
from startups.services.tasks import task_order_from_challenge

# The Đồng Tháp Innovation Center of demo_data (ttdmst@techfloor.local) runs the first one, so
# its demo login reaches the occupancy page; the others bring their own organisations.
INNOVATION_CENTER_TAX_CODE = "6281948214"

DEMO_INCUBATORS = [
    {
        "slug": "vuon-uom-khcn-dong-thap",
        "kind": Incubator.Kind.INCUBATOR,
        "name": "Vườn ươm Doanh nghiệp Khoa học và Công nghệ Đồng Tháp",
        "organisation": {
            "slug": "trung-tam-doi-moi-sang-tao-dong-thap",
            "tax_code": INNOVATION_CENTER_TAX_CODE,
            "legal_name": "Trung tâm Đổi mới sáng tạo tỉnh Đồng Tháp",
            "kind": Organisation.Kind.CENTER,
        },
        "province": Province.DONG_THAP,
        "address": "Số 12 Tôn Đức Thắng, phường Cao Lãnh",
        "description": (
            "Vườn ươm của Trung tâm Đổi mới sáng tạo tỉnh, hỗ trợ các dự án khởi nghiệp trong "
            "nông nghiệp công nghệ cao và chế biến trái cây từ ý tưởng đến sản phẩm đầu tiên."
        ),
        "facilities": (
            "Khu làm việc mở 30 chỗ ngồi\nPhòng họp 12 người có máy chiếu\n"
            "Phòng thí nghiệm sấy lạnh và bảo quản sau thu hoạch\nInternet cáp quang, bãi xe"
        ),
        "services": (
            "Ươm tạo 12–24 tháng\nCố vấn khởi nghiệp hằng tuần\n"
            "Hỗ trợ đăng ký sở hữu trí tuệ\nKết nối nhà đầu tư và doanh nghiệp đầu chuỗi"
        ),
        "contact_email": "vuonuom@dmst.dongthap.gov.vn",
        "contact_phone": "0277 385 1234",
        "website": "https://dmst.dongthap.gov.vn",
        "sectors": ["high-tech-agriculture", "fruit-processing", "drying-preservation"],
        "spaces": {Space.Kind.DESK: (30, 18), Space.Kind.OFFICE: (8, 5), Space.Kind.LAB: (2, 1)},
    },
    {
        "slug": "khong-gian-lam-viec-chung-ninh-kieu",
        "kind": Incubator.Kind.COWORKING,
        "name": "Không gian làm việc chung Ninh Kiều",
        "organisation": {
            "slug": "cong-ty-tnhh-khong-gian-sang-tao-can-tho",
            "legal_name": "Công ty TNHH Không gian Sáng tạo Cần Thơ",
            "kind": Organisation.Kind.INCUBATOR,
        },
        "province": Province.CAN_THO,
        "address": "Số 45 Hai Bà Trưng, phường Ninh Kiều",
        "description": (
            "Không gian làm việc chung bên bến Ninh Kiều cho nhóm khởi nghiệp công nghệ số, "
            "thuê theo ngày, theo tháng hoặc theo văn phòng riêng."
        ),
        "facilities": (
            "40 chỗ ngồi linh hoạt\n6 văn phòng riêng 4–6 người\n"
            "Phòng họp, phòng gọi video, góc cà phê\nMở cửa 7:00–22:00, thẻ từ 24/7"
        ),
        "services": (
            "Địa chỉ đăng ký kinh doanh\nLễ tân, nhận thư\nSự kiện kết nối hằng tháng\n"
            "Ưu đãi cho dự án được Đề án hỗ trợ khởi nghiệp giới thiệu"
        ),
        "contact_email": "hello@ninhkieu.cowork.vn",
        "contact_phone": "0292 373 5678",
        "website": "",
        "sectors": ["software-ai", "iot-automation", "smart-tourism"],
        "spaces": {Space.Kind.DESK: (40, 26), Space.Kind.OFFICE: (6, 6)},
    },
    {
        "slug": "vuon-uom-cong-nghe-sinh-hoc-can-tho",
        "kind": Incubator.Kind.INCUBATOR,
        "name": "Vườn ươm Công nghệ Sinh học và Thủy sản Cần Thơ",
        "organisation": {
            "slug": "vuon-uom-cong-nghe-sinh-hoc-can-tho",
            "legal_name": "Trung tâm Ươm tạo Công nghệ Sinh học Cần Thơ",
            "kind": Organisation.Kind.INCUBATOR,
        },
        "province": Province.CAN_THO,
        "address": "Khu Công nghệ cao, phường Cái Răng",
        "description": (
            "Vườn ươm chuyên về công nghệ sinh học, giống thủy sản và dược liệu vùng "
            "Đồng bằng sông Cửu Long, có phòng thí nghiệm dùng chung."
        ),
        "facilities": (
            "Phòng thí nghiệm vi sinh và nuôi cấy mô\nAo nuôi thử nghiệm 2.000 m²\n"
            "10 văn phòng cho nhóm khởi nghiệp"
        ),
        "services": (
            "Thuê thiết bị phân tích theo giờ\nHỗ trợ thử nghiệm, kiểm định sản phẩm\n"
            "Cố vấn kỹ thuật từ các viện, trường"
        ),
        "contact_email": "lienhe@biotech-incubator.cantho.vn",
        "contact_phone": "0292 384 0000",
        "website": "",
        "sectors": ["biotechnology", "aquaculture", "medicinal-herbs"],
        "spaces": {Space.Kind.OFFICE: (10, 4), Space.Kind.LAB: (4, 3)},
    },
]


def _organisation(
    *, slug: str, legal_name: str, kind: str, province: str, tax_code: str = ""
) -> Organisation:
    organisation = (
        Organisation.objects.filter(tax_code=tax_code).first() if tax_code else None
    ) or Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            slug=slug,
            legal_name=legal_name,
            kind=kind,
            tax_code=tax_code,
            province=province,
            # Demo organisations skip the evidence step that real ones go through.
            verification_status=Organisation.Verification.VERIFIED,
            verified_at=timezone.now(),
        )
    return organisation


@transaction.atomic
def create_demo_incubators() -> list[Incubator]:
    """Two incubators and a co-working space in Đồng Tháp and Cần Thơ, with their spaces."""
    incubators = []
    for row in DEMO_INCUBATORS:
        fields = {
            key: value
            for key, value in row.items()
            if key not in {"slug", "organisation", "sectors", "spaces"}
        }
        incubator, created = Incubator.objects.get_or_create(
            slug=row["slug"],
            defaults={
                **fields,
                "organisation": _organisation(**row["organisation"], province=row["province"]),
            },
        )
        if created:
            incubator.focus_sectors.set(Sector.objects.filter(code__in=row["sectors"]))
        for kind, (capacity, occupied) in row["spaces"].items():
            Space.objects.get_or_create(
                incubator=incubator,
                kind=kind,
                defaults={"capacity": capacity, "occupied": occupied},
            )
        incubators.append(incubator)
    return incubators


PROGRAMME_SLUG = "de-an-khoi-nghiep-dong-thap"
CALL_SLUG = "ho-tro-du-an-khoi-nghiep-2026"
DEMO_TARGETS = {"ideas": 12, "startup_projects": 10, "startup_smes": 5, "incubators_upgraded": 2}
DEMO_RUBRIC = [
    ("Tính mới và sáng tạo", 3, 10),
    ("Khả năng thương mại hóa", 2, 10),
    ("Năng lực đội ngũ", 2, 10),
    ("Tác động kinh tế - xã hội tại địa phương", 1, 5),
]
DEMO_MENTORS = [
    (
        "mentor.iot@techfloor.local",
        "TS. Huỳnh Văn Phúc",
        "Cố vấn IoT và nông nghiệp chính xác",
        "Cảm biến, hệ thống tưới tự động, nền tảng dữ liệu cho nông trại; 12 năm triển khai "
        "ở Đồng bằng sông Cửu Long.",
        ["iot-automation", "high-tech-agriculture"],
        8,
    ),
    (
        "mentor.food@techfloor.local",
        "ThS. Ngô Thị Mai",
        "Cố vấn thương mại hóa sản phẩm chế biến",
        "Xây dựng thương hiệu, chứng nhận an toàn thực phẩm, xuất khẩu trái cây sấy.",
        ["fruit-processing", "food-safety"],
        6,
    ),
]


def _form_block(kind: str, label: str, *, required: bool = True, **extra) -> dict:
    value = {"label": label, "help_text": "", "required": required, **extra}
    return {"type": kind, "value": value}


@transaction.atomic
def create_demo_programme(*, home) -> CallPage:
    """A support programme under ``home`` with 2026 targets and one open call (form, rubric,
    support offered at the demo incubator); created once, however often this runs."""
    programme = ProgrammePage.objects.filter(slug=PROGRAMME_SLUG).first()
    if programme is None:
        programme = ProgrammePage(
            title="Đề án hỗ trợ khởi nghiệp đổi mới sáng tạo tỉnh Đồng Tháp 2026–2030",
            slug=PROGRAMME_SLUG,
            intro="<p>Hỗ trợ ý tưởng, dự án và doanh nghiệp khởi nghiệp đổi mới sáng tạo; "
            "nâng cấp vườn ươm và không gian làm việc chung.</p>",
            starts_in=2026,
            ends_in=2030,
        )
        home.add_child(instance=programme)
        for indicator, target in DEMO_TARGETS.items():
            ProgrammeTarget.objects.create(
                programme=programme, year=2026, indicator=indicator, target=target
            )
        programme.save_revision().publish()
    call = CallPage.objects.filter(slug=CALL_SLUG).first()
    if call is not None:
        return call
    incubator = Incubator.objects.get(slug=DEMO_INCUBATORS[0]["slug"])
    now = timezone.now()
    call = CallPage(
        title="Kêu gọi hỗ trợ dự án khởi nghiệp đổi mới sáng tạo năm 2026",
        slug=CALL_SLUG,
        intro="<p>Dành cho nhóm khởi nghiệp và doanh nghiệp khởi nghiệp trong nông nghiệp "
        "công nghệ cao, chế biến nông sản và chuyển đổi số.</p>",
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=60),
        eligible_kinds=[Organisation.Kind.STARTUP, Organisation.Kind.SME],
        max_years_established=5,
        support=[
            {"type": "incubation_seat", "value": {"incubator": incubator.pk, "months": 12}},
            {"type": "mentoring", "value": {"hours": 40}},
            {"type": "grant", "value": {"amount": 300_000_000}},
        ],
        quota=10,
        budget=3_000_000_000,
        application_form=[
            _form_block("long_text", "Vấn đề và giải pháp"),
            _form_block("long_text", "Thị trường và khách hàng"),
            _form_block("money", "Kinh phí đề nghị hỗ trợ"),
            _form_block("team", "Đội ngũ", max_members=10),
            _form_block("file", "Kế hoạch kinh doanh", required=False),
        ],
        review_deadline=now + timedelta(days=75),
    )
    programme.add_child(instance=call)
    for position, (name, weight, scale) in enumerate(DEMO_RUBRIC):
        RubricCriterion.objects.create(
            call=call, name=name, weight=weight, scale=scale, sort_order=position
        )
    call.eligible_sectors.set(
        Sector.objects.filter(code__in=["agriculture", "food-processing", "digital"])
    )
    call.save_revision().publish()
    return call


@transaction.atomic
def create_demo_mentors() -> list[Expert]:
    """Two public mentors (they review applications too); their logins exist already."""
    experts = []
    for email, _name, headline, expertise, sectors, hours in DEMO_MENTORS:
        user = User.objects.get(email=email)
        expert, created = Expert.objects.get_or_create(
            user=user,
            defaults={
                "headline": headline,
                "expertise": expertise,
                "is_mentor": True,
                "is_reviewer": True,
                "mentoring_hours_per_month": hours,
                "is_public": True,
            },
        )
        if created:
            expert.sectors.set(Sector.objects.filter(code__in=sectors))
        experts.append(expert)
    return experts


def create_demo_startup_profile(*, tax_code: str) -> StartupProfile | None:
    """The demo startup's profile, so its suggestions page has something to match on."""
    organisation = Organisation.objects.filter(tax_code=tax_code).first()
    if organisation is None:
        return None
    if organisation.established_on is None:
        # The facts the demo call's eligibility rules read (founded under five years ago).
        organisation.established_on = timezone.localdate().replace(year=2024, month=3, day=1)
        organisation.business_area = Organisation.BusinessArea.TRADE_SERVICES
        organisation.employees = 9
        organisation.annual_revenue = 1_200_000_000
        organisation.save(
            update_fields=["established_on", "business_area", "employees", "annual_revenue"]
        )
    profile, _created = StartupProfile.objects.get_or_create(
        organisation=organisation,
        defaults={
            "stage": StartupProfile.Stage.MVP,
            "pitch": "Cảm biến IoT đo độ ẩm đất và độ mặn nước tưới cho vườn sầu riêng, "
            "cảnh báo qua điện thoại; đang thử nghiệm tại 12 nhà vườn ở Cần Thơ và Đồng Tháp.",
            "traction": "12 nhà vườn dùng thử, 3 hợp đồng đầu tiên.",
        },
    )
    return profile


DEMO_SURVEY_TITLE = "Khảo sát năng lực và nhu cầu công nghệ của doanh nghiệp năm 2026"
TECHNOLOGY_LEVELS = ["Thủ công", "Cơ giới hóa một phần", "Cơ giới hóa toàn bộ", "Tự động hóa"]
EQUIPMENT_AGES = ["Dưới 5 năm", "5–10 năm", "10–20 năm", "Trên 20 năm"]
DIGITAL_MATURITY = ["Chưa số hóa", "Bắt đầu", "Đang chuyển đổi", "Số hóa toàn diện"]


def _survey_section(block_id: str, heading: str) -> dict:
    return {"type": "section", "id": block_id, "value": {"heading": heading, "help_text": ""}}


def _survey_question(block_id: str, kind: str, label: str, **extra) -> dict:
    return {**_form_block(kind, label, **extra), "id": block_id}


DEMO_SURVEY_FORM = [
    _survey_section("equipment", "Tuổi thiết bị"),
    _survey_question(
        "equipment-age", "choice", "Tuổi bình quân của dây chuyền chính", choices=EQUIPMENT_AGES
    ),
    _survey_section("technology", "Trình độ công nghệ"),
    _survey_question(
        "technology-level", "choice", "Trình độ công nghệ sản xuất", choices=TECHNOLOGY_LEVELS
    ),
    _survey_question("employees", "number", "Số lao động kỹ thuật", required=False),
    _survey_section("rnd", "Chi cho nghiên cứu và phát triển"),
    _survey_question("rnd-spending", "money", "Chi cho R&D năm 2025 (đồng)"),
    _survey_section("digital", "Mức độ chuyển đổi số"),
    _survey_question(
        "digital-maturity", "choice", "Mức độ chuyển đổi số", choices=DIGITAL_MATURITY
    ),
    _survey_section("needs-section", "Nhu cầu đổi mới công nghệ"),
    _survey_question("needs", "needs", "Nhu cầu công nghệ", required=False, max_rows=5),
]

DEMO_SURVEY_ANSWERS = [
    {
        "equipment-age": ["10–20 năm"],
        "technology-level": ["Cơ giới hóa một phần"],
        "employees": "14",
        "rnd-spending": 350_000_000,
        "digital-maturity": ["Bắt đầu"],
        "needs": [
            {
                "title": "Hệ thống sấy lạnh xoài công suất 2 tấn/mẻ",
                "description": "Thay lò sấy than đã dùng 15 năm; giữ màu và vitamin C.",
                "sector": "drying-preservation",
                "budget": 1_500_000_000,
                "deadline": "2027-03-31",
            }
        ],
    },
    {
        "equipment-age": ["Dưới 5 năm"],
        "technology-level": ["Tự động hóa"],
        "employees": "6",
        "rnd-spending": 800_000_000,
        "digital-maturity": ["Đang chuyển đổi"],
        "needs": [],
    },
]


@transaction.atomic
def create_demo_survey(*, respondent_tax_codes: list[str]) -> Survey:
    """A technology-capacity and needs survey, open for sixty days, with the organisations of
    ``respondent_tax_codes`` invited and their answers submitted (needs not yet converted, so
    the demo shows the button). Found by its title when run again."""
    survey = Survey.objects.filter(title=DEMO_SURVEY_TITLE).first()
    if survey is None:
        now = timezone.now()
        survey = Survey.objects.create(
            title=DEMO_SURVEY_TITLE,
            intro="<p>Sở Khoa học và Công nghệ khảo sát trình độ công nghệ và nhu cầu đổi mới "
            "của doanh nghiệp để xây dựng chương trình hỗ trợ năm 2027.</p>",
            opens_at=now - timedelta(days=7),
            closes_at=now + timedelta(days=60),
            form=DEMO_SURVEY_FORM,
        )
    organisations = Organisation.objects.filter(tax_code__in=respondent_tax_codes)
    for organisation, answers in zip(
        organisations.order_by("tax_code"), DEMO_SURVEY_ANSWERS, strict=False
    ):
        SurveyInvitation.objects.get_or_create(
            survey=survey,
            organisation=organisation,
            defaults={"emails": [], "sent_at": timezone.now(), "opened_at": timezone.now()},
        )
        SurveyResponse.objects.get_or_create(
            survey=survey,
            organisation=organisation,
            defaults={
                "form": survey.form_definition(),
                "answers": answers,
                "submitted_at": timezone.now(),
            },
        )
    return survey


# The demo mentors' research record, looked up by their email, so the directory's sections,
# filters and visibility settings have something to show.
DEMO_EXPERT_RECORDS = {
    "mentor.iot@techfloor.local": {
        "field_of_science": "202",
        "academic_title": "",
        "degrees": [
            {
                "degree": "doctor",
                "field": "Kỹ thuật điện tử",
                "institution": "Trường Đại học Bách khoa Thành phố Hồ Chí Minh",
                "year": 2012,
            }
        ],
        "publications": [
            {
                "title": "Mạng cảm biến không dây giám sát độ ẩm đất cho vườn sầu riêng",
                "venue": "Tạp chí Khoa học và Công nghệ Việt Nam",
                "year": 2021,
            }
        ],
        "patents": [
            {
                "title": "Bộ điều khiển tưới nhỏ giọt theo độ ẩm đất",
                "number": "2-0002345",
                "year": 2020,
            }
        ],
        "transfers": [
            {
                "title": "Hệ thống tưới tự động cho nhà màng",
                "partner": "HTX Nông nghiệp Cái Bè",
                "year": 2022,
                "value": 350_000_000,
            }
        ],
        "languages": ["vi", "en"],
        "availability": "available",
        "visibility": {
            "degrees": "public",
            "publications": "public",
            "patents": "members",
            "transfers": "staff",
            "languages": "public",
            "availability": "members",
            "orcid": "public",
        },
    },
    "mentor.food@techfloor.local": {
        "field_of_science": "211",
        "academic_title": "",
        "degrees": [
            {
                "degree": "master",
                "field": "Công nghệ thực phẩm",
                "institution": "Trường Đại học Cần Thơ",
                "year": 2015,
            }
        ],
        "publications": [],
        "patents": [],
        "transfers": [
            {
                "title": "Quy trình sấy lạnh xoài",
                "partner": "Công ty TNHH Trái cây Miền Tây",
                "year": 2023,
            }
        ],
        "languages": ["vi", "en", "ja"],
        "availability": "limited",
        "visibility": {"languages": "public", "availability": "public", "transfers": "members"},
    },
}


@transaction.atomic
def enrich_demo_experts() -> list[Expert]:
    """Give the demo mentors degrees, publications, patents, past transfers, languages and
    availability, each section shown to the audience set above; running it again changes
    nothing."""
    experts = []
    for email, record in DEMO_EXPERT_RECORDS.items():
        expert = Expert.objects.select_related("user").filter(user__email=email).first()
        if expert is None:
            continue
        for name, value in record.items():
            setattr(expert, name, value)
        expert.full_clean()
        expert.save()
        experts.append(expert)
    return experts


# Pooled challenges and ordered S&T tasks (docs/challenges-and-st-tasks.md).
CHALLENGE_INDEX_SLUG = "bai-toan-cong-nghe"
CHALLENGE_SLUG = "say-nong-san-sach-bang-nang-luong-mat-troi-va-bom-nhiet"
# Two drying needs of different enterprises among the shipped listings.
CHALLENGE_NEED_IDS = ["demo-0026", "demo-0051"]
TASK_SLUG = "dat-hang-nhiem-vu-say-nong-san-sach"


@transaction.atomic
def create_demo_challenge(*, home, actor: User) -> CallPage | None:
    """The challenges index, one published challenge pooling two shipped drying needs, and an
    open call ordering the S&T task from it, made through the services as staff would; found
    by slug when run again. None when the shipped needs are not published."""
    index = ChallengeIndexPage.objects.filter(slug=CHALLENGE_INDEX_SLUG).first()
    if index is None:
        index = ChallengeIndexPage(
            title="Bài toán công nghệ đặt hàng",
            slug=CHALLENGE_INDEX_SLUG,
            intro="<p>Nhu cầu giống nhau của nhiều doanh nghiệp, gộp thành một bài toán để "
            "viện, trường và doanh nghiệp khoa học giải chung.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    challenge = ChallengePage.objects.filter(slug=CHALLENGE_SLUG).first()
    if challenge is None:
        needs = list(
            Listing.objects.filter(
                external_id__in=CHALLENGE_NEED_IDS, status=Listing.Status.PUBLISHED
            )
        )
        if len(needs) < len(CHALLENGE_NEED_IDS):
            return None
        challenge = challenge_create(
            actor=actor,
            title="Sấy nông sản sạch bằng năng lượng mặt trời và bơm nhiệt",
            problem="Hồ tiêu và cà phê còn phơi trên sân đất hoặc sấy bằng lò đốt: ẩm độ "
            "không đều, nhiễm bẩn, tốn nhiên liệu.\nCác hợp tác xã cần máy sấy sạch, chi phí "
            "thấp, chạy được trong mùa mưa.",
            expected_results="Mẫu máy sấy kết hợp năng lượng mặt trời và bơm nhiệt 1–3 tấn/mẻ.\n"
            "Quy trình sấy đạt ẩm độ ≤ 12,5% và hướng dẫn vận hành cho hợp tác xã.",
            budget_ceiling=2_500_000_000,
            needs=needs,
        )
        challenge = challenge_publish(challenge=challenge, actor=actor)
    call = CallPage.objects.filter(task_order__challenge=challenge).first()
    if call is None:
        programme = ProgrammePage.objects.get(slug=PROGRAMME_SLUG)
        now = timezone.now()
        call = task_order_from_challenge(
            challenge=challenge,
            programme=programme,
            actor=actor,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=45),
        )
        call.slug = TASK_SLUG
        call.save_revision().publish()
        call.refresh_from_db()
    return call
