"""Demo price list entries the trading floor sells, for ``manage.py demo_data``: two featuring
plans and three S&T services of the Innovation Center. Looked up by code; safe to run again,
and staff edits to an existing entry are kept."""

from __future__ import annotations

from payments.models import PriceItem

# (code, name, amount in đồng, kind, days featured)
DEMO_PRICE_ITEMS = [
    ("noi-bat-7-ngay", "Tin nổi bật 7 ngày", 300_000, PriceItem.Kind.FEATURED_LISTING, 7),
    ("noi-bat-30-ngay", "Tin nổi bật 30 ngày", 1_000_000, PriceItem.Kind.FEATURED_LISTING, 30),
    ("dinh-gia-cong-nghe", "Định giá công nghệ", 15_000_000, PriceItem.Kind.SERVICE, None),
    (
        "thu-nghiem-hieu-chuan",
        "Thử nghiệm và hiệu chuẩn thiết bị đo",
        2_500_000,
        PriceItem.Kind.SERVICE,
        None,
    ),
    (
        "ho-tro-dang-ky-shtt",
        "Hỗ trợ đăng ký sở hữu trí tuệ (sáng chế, nhãn hiệu)",
        4_500_000,
        PriceItem.Kind.SERVICE,
        None,
    ),
]


def create_demo_price_list() -> list[PriceItem]:
    """The featuring plans and services on sale in the demo."""
    return [
        PriceItem.objects.get_or_create(
            code=code,
            defaults={"name": name, "amount": amount, "kind": kind, "duration_days": days},
        )[0]
        for code, name, amount, kind, days in DEMO_PRICE_ITEMS
    ]
