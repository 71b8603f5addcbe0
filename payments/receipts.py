"""Payment receipts: a PDF drawn with fpdf2 in DejaVu Sans (docs/adr/0008), and the email that
carries it to the payer, both in the payer's language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, override

from accounts.emails import absolute_url
from payments.models import Order
from techfloor.money import vnd
from techfloor.pdf import FONT_FAMILY, Document, text

LOCAL_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def receipt_filename(order: Order) -> str:
    return f"{order.reference}.pdf"


def receipt_pdf(*, order: Order, language: str) -> bytes:
    """The receipt of a paid order in ``language`` (vi or en); its number is the order's
    reference."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"No receipts in {language!r}")
    if order.paid_at is None:
        raise ValueError(f"{order.reference} is not paid")
    with override(language):
        return _draw(order, language)


def _draw(order: Order, language: str) -> bytes:
    organisation = order.payer_organisation
    document = Document(title=gettext("Receipt %(reference)s") % {"reference": order.reference})
    line = document.line_of_text

    def field(label: str, value: object) -> None:
        line(gettext("%(label)s: %(value)s") % {"label": label, "value": value})

    line(settings.PAYMENTS_RECEIPT_ISSUER, size=12, bold=True)
    document.rule()
    line(gettext("Payment receipt"), size=15, bold=True, align="C")
    document.ln(4)
    field(gettext("Receipt number"), order.reference)
    field(gettext("Payer organisation"), organisation.legal_name)
    field(gettext("Tax code"), organisation.tax_code or "—")
    paid_at = timezone.localtime(order.paid_at, LOCAL_TIMEZONE)
    field(gettext("Paid at"), formats.date_format(paid_at, "DATETIME_FORMAT"))
    field(gettext("Payment method"), order.get_method_display())
    document.ln(4)
    document.set_font(FONT_FAMILY, size=10)
    header = [gettext("Item"), gettext("Quantity"), gettext("Unit price"), gettext("Amount")]
    with document.table(
        col_widths=(80, 20, 35, 35), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"), line_height=6
    ) as table:
        for values in [header] + [
            [item.description, str(item.quantity), vnd(item.unit_amount), vnd(item.amount)]
            for item in order.lines.order_by("position")
        ]:
            row = table.row()
            for value in values:
                row.cell(text(value))
    document.ln(2)
    line(
        gettext("Total amount: %(total)s") % {"total": vnd(order.total)},
        size=12,
        bold=True,
        align="R",
    )
    if order.refunded_at:
        document.ln(4)
        refunded_at = timezone.localtime(order.refunded_at, LOCAL_TIMEZONE)
        line(
            gettext("Refunded on %(date)s.")
            % {"date": formats.date_format(refunded_at, "DATE_FORMAT")}
        )
    document.ln(8)
    line(gettext("Issued by %(issuer)s.") % {"issuer": settings.PAYMENTS_RECEIPT_ISSUER})
    return bytes(document.output())


def receipt_email(*, order: Order) -> EmailMessage:
    """The receipt as an email to whoever placed the order, with the PDF attached."""
    language = order.payer.preferred_language or settings.LANGUAGE_CODE
    with override(language):
        link = absolute_url(reverse("payments:order_detail", kwargs={"reference": order.reference}))
        context = {"order": order, "issuer": settings.PAYMENTS_RECEIPT_ISSUER, "link": link}
        subject = render_to_string("email/receipt_subject.txt", context, using="email")
        body = render_to_string("email/receipt_body.txt", context, using="email")
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=body,
        to=[order.payer.email],
    )
    message.attach(
        receipt_filename(order), receipt_pdf(order=order, language=language), "application/pdf"
    )
    return message
