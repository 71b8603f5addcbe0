"""The blocks editors build pages from (docs/pages.md).

There is deliberately no embed block, and rich text offers no embed or inline image: embeds
load third-party players, and the site makes no request to another origin. Images go through
the image block, which requires alt text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

# Rich text without "embed" and "image", which Wagtail adds to its defaults.
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-section heading"))],
        default="h2",
        help_text=_("The page title is the only top-level heading; sections start at this one."),
    )

    class Meta:
        icon = "title"
        label = _("heading")
        template = "cms/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alt text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("image")
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("who said it"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        label = _("quote")
        template = "cms/blocks/quote.html"


class CallToActionValue(blocks.StructValue):
    def href(self) -> str:
        page = self.get("page")
        return page.localized.url if page else self.get("url") or ""


class CallToActionBlock(blocks.StructBlock):
    """A button to a page of the site or to an address; exactly one of the two."""

    label = blocks.CharBlock(label=_("label"), max_length=100)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("address"), required=False)

    class Meta:
        icon = "link"
        label = _("call to action")
        template = "cms/blocks/call_to_action.html"
        value_class = CallToActionValue

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose a page or give an address, not both.")
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(
        label=_("label"),
        max_length=200,
        required=False,
        help_text=_("The document's title if empty."),
    )

    class Meta:
        icon = "doc-full"
        label = _("document link")
        template = "cms/blocks/document_link.html"


class TableBlock(TypedTableBlock):
    text = blocks.CharBlock(label=_("text"), required=False)
    number = blocks.DecimalBlock(label=_("number"), required=False)
    rich_text = blocks.RichTextBlock(
        label=_("rich text"), features=["bold", "italic", "link"], required=False
    )

    class Meta:
        icon = "table"
        label = _("table")
        template = "cms/blocks/table.html"


class StandardStreamBlock(blocks.StreamBlock):
    """The blocks of a standard page, an article and the home page's body."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("paragraph"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="cms/blocks/paragraph.html",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    table = TableBlock()
    document = DocumentLinkBlock()
