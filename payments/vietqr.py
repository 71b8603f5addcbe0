"""VietQR: the EMVCo merchant-presented payload that NAPAS 247 banks read to pre-fill a
transfer (beneficiary bank and account, amount, purpose), and its QR image."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.constants
from django.conf import settings

GUID = "A000000727"  # NAPAS's application identifier
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"  # ISO 4217
COUNTRY = "VN"
DYNAMIC = "12"  # a code for one payment, with its amount


def tlv(tag: str, value: str) -> str:
    """One EMVCo data object: two-digit tag, two-digit length, value."""
    if len(value) > 99:
        raise ValueError(f"Field {tag} is longer than 99 characters.")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) as four upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def payload(*, bank_bin: str, account: str, amount: int, purpose: str) -> str:
    """The payload of a transfer of ``amount`` đồng to ``account`` at the bank ``bank_bin``,
    with ``purpose`` as the transfer's content (the order reference)."""
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant_account = (
        tlv("00", GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TRANSFER_TO_ACCOUNT)
    )
    body = (
        tlv("00", "01")
        + tlv("01", DYNAMIC)
        + tlv("38", merchant_account)
        + tlv("53", CURRENCY_VND)
        + tlv("54", str(int(amount)))
        + tlv("58", COUNTRY)
        + tlv("62", tlv("08", purpose))
        + "6304"
    )
    return body + crc16_ccitt_false(body)


def order_payload(order) -> str:
    """The payload of the Innovation Center's account for an order's total and reference."""
    return payload(
        bank_bin=settings.PAYMENTS_BANK_BIN,
        account=settings.PAYMENTS_BANK_ACCOUNT,
        amount=order.total,
        purpose=order.reference,
    )


def png(data: str) -> bytes:
    """The QR code of ``data`` as a PNG image."""
    image = qrcode.make(data, error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def png_data_url(data: str) -> str:
    """The QR code of ``data`` as a ``data:`` URL for an ``<img>``."""
    return "data:image/png;base64," + base64.b64encode(png(data)).decode("ascii")
