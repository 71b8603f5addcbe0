"""PDF documents of the council: decision letters to applicants and session minutes.

Drawn with fpdf2 in DejaVu Sans, which covers every Vietnamese letter; the font comes from
matplotlib's wheel so that ``make setup`` is all a machine needs (docs/adr/0008)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext, override
from django.utils.translation import gettext_lazy as _
from fpdf.enums import XPos, YPos

from startups.loans import interest_schedule, supported_total
from startups.models import CallPage, CouncilMember, CouncilSession, Decision, Outcome
from startups.scoring import mean_score
from startups.selectors.reviews import call_scores
from techfloor import pdf
from techfloor.money import vnd
from techfloor.pdf import FONT_FAMILY

PROGRAMME_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NO_VALUE = "—"

# What the letter and the minutes call each outcome once it is decided.
OUTCOME_NAMES = {
    Outcome.APPROVE: _("Approved"),
    Outcome.WAITLIST: _("Waitlisted"),
    Outcome.REJECT: _("Not selected"),
}
OUTCOME_SENTENCES = {
    Outcome.APPROVE: _("The review council of the call “%(call)s” has approved your application."),
    Outcome.WAITLIST: _(
        "The review council of the call “%(call)s” has placed your application on the waiting "
        "list. We will write to you again if a place becomes available."
    ),
    Outcome.REJECT: _(
        "The review council of the call “%(call)s” has not selected your application."
    ),
}
ROLE_ORDER = [CouncilMember.Role.CHAIR, CouncilMember.Role.SECRETARY, CouncilMember.Role.MEMBER]


def _decimal(value: Decimal | int | float) -> str:
    """A number for the active locale with at most two decimals and no trailing zeros."""
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    places = max(0, -value.normalize().as_tuple().exponent)
    return formats.number_format(value, decimal_pos=places)


def _score(value: Decimal | None) -> str:
    return NO_VALUE if value is None else formats.number_format(value, decimal_pos=2)


def _months(months: int) -> str:
    return ngettext("%(months)s month", "%(months)s months", months) % {"months": months}


class _Document(pdf.Document):
    """An A4 page with the programme's letterhead."""

    def letterhead(self, *, programme: str, call: str) -> None:
        self.set_font(FONT_FAMILY, "B", 12)
        self.multi_cell(0, 6, pdf.text(programme), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, size=10)
        self.multi_cell(0, 5, pdf.text(call), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.rule()

    def title_line(self, text: str) -> None:
        self.set_font(FONT_FAMILY, "B", 15)
        self.multi_cell(0, 8, pdf.text(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT_FAMILY, "B", 12)
        self.multi_cell(0, 7, pdf.text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        self.set_font(FONT_FAMILY, "B" if bold else "", 11)
        self.multi_cell(0, 6, pdf.text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, label: str, value: object) -> None:
        """ "Label: value" on one line, the label in bold, the value wrapping below it."""
        self.set_font(FONT_FAMILY, "B", 11)
        label = pdf.text(gettext("%(label)s:") % {"label": label}) + " "
        self.cell(self.get_string_width(label), 6, label)
        self.set_font(FONT_FAMILY, size=11)
        self.multi_cell(0, 6, pdf.text(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, lines: Iterable[str]) -> None:
        self.set_font(FONT_FAMILY, size=11)
        for line in lines:
            self.cell(6, 6, "•")
            self.multi_cell(0, 6, pdf.text(line), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        self.set_font(FONT_FAMILY, size=10)
        with self.table(col_widths=widths, text_align="LEFT", line_height=6) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(pdf.text(value))
        self.ln(2)


def support_lines(call: CallPage) -> list[str]:
    """The support a call offers, one sentence per block of its ``support`` StreamField, with
    amounts in đồng for the active locale."""
    lines = []
    for block in call.support:
        value = block.value
        match block.block_type:
            case "incubation_seat":
                incubator = value["incubator"]
                lines.append(
                    gettext("Incubation seat at %(incubator)s for %(duration)s")
                    % {
                        "incubator": incubator.name if incubator else NO_VALUE,
                        "duration": _months(value["months"]),
                    }
                )
            case "coworking_seats":
                space = value["incubator"]
                lines.append(
                    ngettext(
                        "%(seats)s co-working seat at %(space)s for %(duration)s",
                        "%(seats)s co-working seats at %(space)s for %(duration)s",
                        value["seats"],
                    )
                    % {
                        "seats": value["seats"],
                        "space": space.name if space else NO_VALUE,
                        "duration": _months(value["months"]),
                    }
                )
            case "mentoring":
                lines.append(
                    ngettext(
                        "%(hours)s hour of mentoring",
                        "%(hours)s hours of mentoring",
                        value["hours"],
                    )
                    % {"hours": value["hours"]}
                )
            case "grant":
                lines.append(
                    gettext("Grant of up to %(amount)s") % {"amount": vnd(value["amount"])}
                )
            case "loan_interest":
                supported = supported_total(
                    interest_schedule(
                        principal=value["principal"],
                        annual_rate=value["annual_rate"],
                        term_months=value["term_months"],
                        supported_share=value["supported_share"],
                    )
                )
                lines.append(
                    gettext(
                        "Loan interest support: %(share)s%% of the interest on a loan of up to "
                        "%(principal)s at %(rate)s%% a year for %(duration)s, up to "
                        "%(supported)s in total"
                    )
                    % {
                        "share": _decimal(value["supported_share"]),
                        "principal": vnd(value["principal"]),
                        "rate": _decimal(value["annual_rate"]),
                        "duration": _months(value["term_months"]),
                        "supported": vnd(supported),
                    }
                )
            case "ip_registration":
                lines.append(
                    gettext("Intellectual property registration support of up to %(amount)s")
                    % {"amount": vnd(value["amount"])}
                )
            case "trade_fair_booth":
                lines.append(
                    ngettext(
                        "%(booths)s booth at the trade fair “%(fair)s”",
                        "%(booths)s booths at the trade fair “%(fair)s”",
                        value["booths"],
                    )
                    % {"booths": value["booths"], "fair": value["fair"]}
                )
    return lines


def decision_letter_pdf(*, decision: Decision, language: str) -> bytes:
    """The letter that tells an applicant the council's decision, in ``language`` (vi or en)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"No decision letters in {language!r}")
    application = decision.application
    call = application.call
    organisation = application.organisation.legal_name
    with override(language):
        document = _Document(
            title=gettext("Decision on application %(reference)s")
            % {"reference": application.reference}
        )
        document.letterhead(programme=call.programme.title, call=call.title)
        document.title_line(gettext("Decision on your application"))
        document.field(gettext("Reference"), application.reference)
        document.field(gettext("Project"), application.title)
        document.field(gettext("Applicant"), organisation)
        decided_on = timezone.localtime(decision.decided_at, PROGRAMME_TIMEZONE).date()
        document.field(gettext("Date"), formats.date_format(decided_on, "DATE_FORMAT"))
        document.ln(4)
        document.paragraph(gettext("Dear %(organisation)s,") % {"organisation": organisation})
        document.ln(2)
        document.paragraph(str(OUTCOME_SENTENCES[decision.outcome]) % {"call": call.title})
        document.ln(2)
        document.field(gettext("Outcome"), OUTCOME_NAMES[decision.outcome])
        if decision.reason.strip():
            document.heading(gettext("Reason"))
            document.paragraph(decision.reason.strip())
        if decision.outcome == Outcome.APPROVE:
            lines = support_lines(call)
            if lines:
                document.heading(gettext("Support offered"))
                document.bullets(lines)
            document.ln(2)
            document.paragraph(
                gettext("Programme staff will contact you to sign a support agreement.")
            )
        document.ln(8)
        document.paragraph(gettext("On behalf of the review council"), bold=True)
        document.paragraph(decision.session.title)
        return bytes(document.output())


def minutes_pdf(*, session: CouncilSession, language: str | None = None) -> bytes:
    """The minutes of a council session: who sat, whether the quorum was met, and for each
    application on the agenda its scores and the decision taken. Minutes are the council's
    record, not a reader's copy, so they are in the site's language (Vietnamese) unless asked
    otherwise, whoever generates them."""
    with override(language or settings.LANGUAGE_CODE):
        return _minutes(session)


def _minutes(session: CouncilSession) -> bytes:
    call = session.call
    members = sorted(
        session.members.select_related("user"),
        key=lambda member: (ROLE_ORDER.index(member.role), member.pk),
    )
    agenda = session.agenda.select_related("organisation").order_by("reference")
    sheets = defaultdict(list)
    for score in session.scores.select_related("member__user"):
        sheets[score.application_id].append(score)
    decisions = {}
    for decision in session.decisions.order_by("decided_at", "pk"):
        decisions[decision.application_id] = decision  # the newest stands
    review_scores = call_scores(call=call)
    present = sum(member.is_present for member in members)

    document = _Document(title=gettext("Minutes: %(session)s") % {"session": session.title})
    document.letterhead(programme=call.programme.title, call=call.title)
    document.title_line(gettext("Minutes of the council session"))
    document.paragraph(session.title, bold=True)
    document.ln(2)
    document.field(gettext("Call"), call.title)
    meets_at = timezone.localtime(session.meets_at, PROGRAMME_TIMEZONE)
    document.field(gettext("Date and time"), formats.date_format(meets_at, "DATETIME_FORMAT"))
    document.field(gettext("Place"), session.place or NO_VALUE)

    document.heading(gettext("Members"))
    document.grid(
        [gettext("Name"), gettext("Role"), gettext("Present")],
        [
            [
                str(member.user),
                member.get_role_display(),
                gettext("Yes") if member.is_present else gettext("No"),
            ]
            for member in members
        ],
        widths=(90, 45, 35),
    )
    quorum = {"present": present, "members": len(members), "quorum": session.quorum}
    if present >= session.quorum:
        document.paragraph(
            gettext("%(present)s of %(members)s members present: the quorum of %(quorum)s is met.")
            % quorum
        )
    else:
        document.paragraph(
            gettext(
                "%(present)s of %(members)s members present: the quorum of %(quorum)s is not met."
            )
            % quorum
        )

    document.heading(gettext("Agenda"))
    for application in agenda:
        document.ln(2)
        document.paragraph(f"{application.reference} · {application.title}", bold=True)
        document.field(gettext("Applicant"), application.organisation.legal_name)
        review = review_scores.get(application.pk)
        if review is None or review.score is None:
            document.field(gettext("Review score"), NO_VALUE)
        else:
            reviews = len(review.reviews)
            document.field(
                gettext("Review score"),
                ngettext(
                    "%(score)s (%(reviews)s review)", "%(score)s (%(reviews)s reviews)", reviews
                )
                % {"score": _score(review.score), "reviews": reviews},
            )
        sheet = sorted(
            sheets[application.pk],
            key=lambda score: (ROLE_ORDER.index(score.member.role), score.member_id),
        )
        if sheet:
            document.grid(
                [gettext("Member"), gettext("Score"), gettext("Recommendation")],
                [
                    [
                        str(score.member.user),
                        _score(score.score),
                        score.get_recommendation_display(),
                    ]
                    for score in sheet
                ],
                widths=(90, 35, 45),
            )
        document.field(
            gettext("Mean council score"), _score(mean_score(score.score for score in sheet))
        )
        decision = decisions.get(application.pk)
        if decision is None:
            document.field(gettext("Decision"), gettext("Not yet decided"))
        else:
            document.field(gettext("Decision"), OUTCOME_NAMES[decision.outcome])
            if decision.reason.strip():
                document.field(gettext("Reason"), decision.reason.strip())
    return bytes(document.output())
