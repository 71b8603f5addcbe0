"""Demo incubators and co-working spaces for ``manage.py demo_data``: safe to run again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Sector
from accounts.provinces import Province
from startups.models import Incubator, Space

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
