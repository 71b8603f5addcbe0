"""StreamField blocks: the application form builder and the support a call offers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class FieldBlock(blocks.StructBlock):
    """One question of an application form; its block id is the answer's key."""

    label = blocks.CharBlock(label=_("Question"), max_length=300)
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=500)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)


class ChoiceFieldBlock(FieldBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=200), label=_("Choices"))
    multiple = blocks.BooleanBlock(label=_("Several answers"), required=False)


class TeamFieldBlock(FieldBlock):
    max_members = blocks.IntegerBlock(label=_("At most"), min_value=1, default=10)


class NeedsTableBlock(FieldBlock):
    """A survey's table of technology needs: each row may become a draft need on the floor."""

    max_rows = blocks.IntegerBlock(label=_("At most"), min_value=1, max_value=20, default=5)


class SectionBlock(blocks.StructBlock):
    """A heading that groups the questions after it; it asks nothing."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    # "Introduction" alone is a brokered introduction on the floor.
    help_text = blocks.CharBlock(
        label=pgettext_lazy("survey section", "Introduction"), required=False, max_length=500
    )


class QuestionsBlock(blocks.StreamBlock):
    """The questions every form may ask, defined once for calls and surveys alike."""

    short_text = FieldBlock(label=_("Short text"))
    long_text = FieldBlock(label=_("Long text"))
    number = FieldBlock(label=_("Number"))
    money = FieldBlock(label=_("Amount in VND"))
    date = FieldBlock(label=_("Date"))
    choice = ChoiceFieldBlock(label=_("Choice"))


class ApplicationFormBlock(QuestionsBlock):
    file = FieldBlock(label=_("File"))
    team = TeamFieldBlock(label=_("Team members"))


class SurveyFormBlock(QuestionsBlock):
    section = SectionBlock(label=_("Section"))
    needs = NeedsTableBlock(label=_("Technology needs"))


def form_as_data(stream) -> list[dict]:
    """A form StreamField as plain JSON-ready data, the copy frozen with each answer: one dict
    per block with its id (the answer's key), its type and its settings."""
    return [
        {
            "id": block.id,
            "type": block.block_type,
            **{
                key: list(value) if key == "choices" else value
                for key, value in block.value.items()
            },
        }
        for block in stream
    ]


class IncubationSeatBlock(blocks.StructBlock):
    incubator = SnippetChooserBlock("startups.Incubator", label=_("Incubator"))
    months = blocks.IntegerBlock(label=_("Months"), min_value=1)


class CoworkingSeatsBlock(blocks.StructBlock):
    incubator = SnippetChooserBlock("startups.Incubator", label=_("Co-working space"))
    seats = blocks.IntegerBlock(label=_("Seats"), min_value=1)
    months = blocks.IntegerBlock(label=_("Months"), min_value=1)


class MentoringBlock(blocks.StructBlock):
    hours = blocks.IntegerBlock(label=_("Mentoring hours"), min_value=1)


class GrantBlock(blocks.StructBlock):
    amount = blocks.IntegerBlock(label=_("Grant up to (VND)"), min_value=0)


class LoanInterestBlock(blocks.StructBlock):
    principal = blocks.IntegerBlock(label=_("Loan principal up to (VND)"), min_value=0)
    annual_rate = blocks.DecimalBlock(label=_("Annual interest rate (%)"), min_value=0)
    term_months = blocks.IntegerBlock(label=_("Term (months)"), min_value=1)
    supported_share = blocks.DecimalBlock(
        label=_("Share of the interest supported (%)"), min_value=0, max_value=100
    )


class AmountBlock(blocks.StructBlock):
    amount = blocks.IntegerBlock(label=_("Up to (VND)"), min_value=0)


class BoothBlock(blocks.StructBlock):
    fair = blocks.CharBlock(label=_("Trade fair"), max_length=200)
    booths = blocks.IntegerBlock(label=_("Booths"), min_value=1, default=1)


class SupportBlock(blocks.StreamBlock):
    incubation_seat = IncubationSeatBlock(label=_("Incubation seat"))
    coworking_seats = CoworkingSeatsBlock(label=_("Co-working seats"))
    mentoring = MentoringBlock(label=_("Mentoring"))
    grant = GrantBlock(label=_("Grant"))
    loan_interest = LoanInterestBlock(label=_("Loan interest support"))
    ip_registration = AmountBlock(label=_("IP registration support"))
    trade_fair_booth = BoothBlock(label=_("Trade-fair booth"))
