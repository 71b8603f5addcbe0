"""The 34 provinces and centrally run cities in force since 1 July 2025 (Resolution 202/2025/QH15).

Codes are stable ASCII slugs; names are the official Vietnamese names. The region is the
socio-economic region, used later to score nearness between a need and an offer.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from techfloor.text import fold


class Region(models.TextChoices):
    NORTHERN_MIDLANDS = "northern_midlands", _("Trung du và miền núi phía Bắc")
    RED_RIVER_DELTA = "red_river_delta", _("Đồng bằng sông Hồng")
    NORTH_CENTRAL = "north_central", _("Bắc Trung Bộ")
    SOUTH_CENTRAL_COAST = "south_central_coast", _("Duyên hải Nam Trung Bộ")
    CENTRAL_HIGHLANDS = "central_highlands", _("Tây Nguyên")
    SOUTHEAST = "southeast", _("Đông Nam Bộ")
    MEKONG_DELTA = "mekong_delta", _("Đồng bằng sông Cửu Long")


class Province(models.TextChoices):
    HA_NOI = "ha-noi", "Hà Nội"
    HAI_PHONG = "hai-phong", "Hải Phòng"
    HUE = "hue", "Huế"
    DA_NANG = "da-nang", "Đà Nẵng"
    HO_CHI_MINH = "ho-chi-minh", "Hồ Chí Minh"
    CAN_THO = "can-tho", "Cần Thơ"
    LAI_CHAU = "lai-chau", "Lai Châu"
    DIEN_BIEN = "dien-bien", "Điện Biên"
    SON_LA = "son-la", "Sơn La"
    LANG_SON = "lang-son", "Lạng Sơn"
    QUANG_NINH = "quang-ninh", "Quảng Ninh"
    THANH_HOA = "thanh-hoa", "Thanh Hóa"
    NGHE_AN = "nghe-an", "Nghệ An"
    HA_TINH = "ha-tinh", "Hà Tĩnh"
    CAO_BANG = "cao-bang", "Cao Bằng"
    TUYEN_QUANG = "tuyen-quang", "Tuyên Quang"
    LAO_CAI = "lao-cai", "Lào Cai"
    THAI_NGUYEN = "thai-nguyen", "Thái Nguyên"
    PHU_THO = "phu-tho", "Phú Thọ"
    BAC_NINH = "bac-ninh", "Bắc Ninh"
    HUNG_YEN = "hung-yen", "Hưng Yên"
    NINH_BINH = "ninh-binh", "Ninh Bình"
    QUANG_TRI = "quang-tri", "Quảng Trị"
    QUANG_NGAI = "quang-ngai", "Quảng Ngãi"
    GIA_LAI = "gia-lai", "Gia Lai"
    KHANH_HOA = "khanh-hoa", "Khánh Hòa"
    LAM_DONG = "lam-dong", "Lâm Đồng"
    DAK_LAK = "dak-lak", "Đắk Lắk"
    DONG_NAI = "dong-nai", "Đồng Nai"
    TAY_NINH = "tay-ninh", "Tây Ninh"
    VINH_LONG = "vinh-long", "Vĩnh Long"
    DONG_THAP = "dong-thap", "Đồng Tháp"
    CA_MAU = "ca-mau", "Cà Mau"
    AN_GIANG = "an-giang", "An Giang"


REGION_OF_PROVINCE: dict[str, str] = {
    **dict.fromkeys(
        [
            "lai-chau",
            "dien-bien",
            "son-la",
            "lang-son",
            "cao-bang",
            "tuyen-quang",
            "lao-cai",
            "thai-nguyen",
            "phu-tho",
        ],
        Region.NORTHERN_MIDLANDS,
    ),
    **dict.fromkeys(
        ["ha-noi", "hai-phong", "quang-ninh", "bac-ninh", "hung-yen", "ninh-binh"],
        Region.RED_RIVER_DELTA,
    ),
    **dict.fromkeys(["thanh-hoa", "nghe-an", "ha-tinh", "quang-tri", "hue"], Region.NORTH_CENTRAL),
    **dict.fromkeys(["da-nang", "quang-ngai", "khanh-hoa"], Region.SOUTH_CENTRAL_COAST),
    **dict.fromkeys(["gia-lai", "dak-lak", "lam-dong"], Region.CENTRAL_HIGHLANDS),
    **dict.fromkeys(["ho-chi-minh", "dong-nai", "tay-ninh"], Region.SOUTHEAST),
    **dict.fromkeys(
        ["can-tho", "vinh-long", "dong-thap", "ca-mau", "an-giang"], Region.MEKONG_DELTA
    ),
}


_PROVINCE_BY_FOLDED_NAME = {
    **{fold(label): code for code, label in Province.choices},
    **{fold(code.replace("-", " ")): code for code in Province.values},
    "tp ho chi minh": Province.HO_CHI_MINH,
    "thanh pho ho chi minh": Province.HO_CHI_MINH,
    "tp. ho chi minh": Province.HO_CHI_MINH,
}


def province_from_name(name: str) -> str | None:
    """The province code for a Vietnamese name typed with or without diacritics, or None."""
    return _PROVINCE_BY_FOLDED_NAME.get(fold(name).replace("-", " "))
