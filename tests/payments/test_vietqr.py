"""The VietQR payload, field by field, and its CRC against published values."""

from __future__ import annotations

from payments import vietqr


def _fields(data: str) -> dict[str, str]:
    """Split EMVCo data objects: tag, two-digit length, value."""
    fields = {}
    while data:
        tag, length = data[:2], int(data[2:4])
        fields[tag] = data[4 : 4 + length]
        data = data[4 + length :]
    return fields


def test_crc16_ccitt_false_check_value():
    # The catalogue check value of CRC-16/CCITT-FALSE
    assert vietqr.crc16_ccitt_false("123456789") == "29B1"


def test_payload_reproduces_a_published_example():
    # The example in the README of github.com/subiz/vietqr (an open-source VietQR generator):
    # 120,000 ₫ to account 0011001932418 at BIN 970415 with the content "ung ho lu lut".
    published = (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C"
    )

    payload = vietqr.payload(
        bank_bin="970415", account="0011001932418", amount=120_000, purpose="ung ho lu lut"
    )

    assert payload == published
    assert vietqr.crc16_ccitt_false(published[:-4]) == "C15C"


def test_payload_fields_one_by_one():
    payload = vietqr.payload(
        bank_bin="970436", account="0123456789", amount=1_250_000, purpose="TF-2026-000123"
    )

    fields = _fields(payload)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    merchant = _fields(fields["38"])
    assert merchant == {
        "00": "A000000727",
        "01": "0006970436" + "01100123456789",
        "02": "QRIBFTTA",
    }
    assert _fields(merchant["01"]) == {"00": "970436", "01": "0123456789"}
    assert fields["53"] == "704"
    assert fields["54"] == "1250000"
    assert fields["58"] == "VN"
    assert _fields(fields["62"]) == {"08": "TF-2026-000123"}
    assert payload[-8:-4] == "6304"
    assert fields["63"] == vietqr.crc16_ccitt_false(payload[:-4])


def test_png_is_an_image_of_the_payload():
    image = vietqr.png("000201")

    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert vietqr.png_data_url("000201").startswith("data:image/png;base64,iVBOR")
