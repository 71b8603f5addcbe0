"""The site's main menu and footer, kept by editors in Settings → Navigation.

Settings belong to a site, not to a language, so every text an editor types carries one value per
language (``TranslatedTextBlock``); a page link shows the page's translation in the reader's
language, with its title, unless the editor overrides the label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

NAVIGATION_CACHE_VERSION_KEY = "cms:navigation:version"
NAVIGATION_CACHE_KEY = "cms:navigation:{version}:{host}:{language}"
NAVIGATION_CACHE_SECONDS = 3600


def _floor_url(language: str) -> str:
    from cms.context_processors import floor_url_for

    return floor_url_for(language)


def _events_url(language: str) -> str:
    from cms.context_processors import events_url_for

    return events_url_for(language)


# Named destinations outside the page tree: (label, how to find the URL in a language).
DESTINATIONS: dict[str, tuple[str, Callable[[str], str]]] = {
    "trading_floor": (_("Trading floor"), _floor_url),
    "events": (_("Events"), _events_url),
    "organisations": (_("Organisations"), lambda _l: reverse("accounts:organisation_directory")),
    "incubators": (_("Incubators"), lambda _l: reverse("startups:incubator_list")),
    "experts": (_("Experts"), lambda _l: reverse("startups:expert_list")),
}
# What the menu shows while nobody has configured it: the links it always had.
DEFAULT_MENU = ["trading_floor", "events", "organisations", "incubators", "experts"]


class TranslatedTextBlock(blocks.StructBlock):
    """One text per site language; readers get theirs, or the default language's."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        text_block = blocks.TextBlock if multiline else blocks.CharBlock
        children = [
            (code, text_block(label=name, required=False)) for code, name in settings.LANGUAGES
        ]
        super().__init__(children, **kwargs)

    class Meta:
        icon = "doc-full"


def translated(value, language: str) -> str:
    """The text of a ``TranslatedTextBlock`` value in ``language``, else the default language's."""
    if not value:
        return ""
    return value.get(language) or value.get(settings.LANGUAGE_CODE) or ""


class LinkBlock(blocks.StructBlock):
    """A page, a named directory or an address; the label is optional except for an address."""

    page = blocks.PageChooserBlock(label=_("page"), required=False)
    destination = blocks.ChoiceBlock(
        label=_("or a directory"),
        choices=[(name, label) for name, (label, _url) in DESTINATIONS.items()],
        required=False,
    )
    url = blocks.URLBlock(label=_("or an address"), required=False)
    label = TranslatedTextBlock(
        label=_("label"), help_text=_("Leave empty to show the page's or directory's own name.")
    )

    class Meta:
        icon = "link"
        label = _("link")

    def clean(self, value):
        value = super().clean(value)
        targets = [name for name in ("page", "destination", "url") if value.get(name)]
        if len(targets) != 1:
            raise StructBlockValidationError(
                block_errors={
                    "page": ValidationError(
                        _("Choose exactly one: a page, a directory or an address.")
                    )
                }
            )
        if value.get("url") and not translated(value.get("label"), settings.LANGUAGE_CODE):
            raise StructBlockValidationError(
                block_errors={"label": ValidationError(_("An address needs a label."))}
            )
        return value


class FooterColumnBlock(blocks.StructBlock):
    heading = TranslatedTextBlock(label=_("heading"))
    links = blocks.ListBlock(LinkBlock(), label=_("links"))

    class Meta:
        icon = "list-ul"
        label = _("column")


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The main menu and the footer of one site."""

    main_menu = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("main menu"),
        help_text=_("In order. Empty: the trading floor, events and the three directories."),
    )
    footer_columns = StreamField(
        [("column", FooterColumnBlock())], blank=True, verbose_name=_("footer columns")
    )
    footer_text = StreamField(
        [("text", TranslatedTextBlock(multiline=True, label=_("text")))],
        blank=True,
        max_num=1,
        verbose_name=_("footer text"),
    )
    contact_address = models.TextField(_("contact address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    panels = [
        FieldPanel("main_menu"),
        MultiFieldPanel(
            [
                FieldPanel("footer_columns"),
                FieldPanel("footer_text"),
                FieldPanel("contact_address"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("navigation")

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        navigation_forget()

    def navigation(self, *, language: str) -> Navigation:
        """The menu and footer as a reader of ``language`` sees them."""
        links = [link for link in self.main_menu.raw_data if link["type"] == "link"]
        columns = [column for column in self.footer_columns.raw_data if column["type"] == "column"]
        every_link = [link["value"] for link in links] + [
            link for column in columns for link in _list_values(column["value"].get("links"))
        ]
        pages = _localized_pages(
            page_ids=[link.get("page") for link in every_link if link.get("page")],
            language=language,
        )
        menu = [
            item
            for link in links
            if (item := _menu_item(link["value"], pages=pages, language=language))
        ]
        footer_text = next((block["value"] for block in self.footer_text.raw_data), None)
        return Navigation(
            menu=menu or default_menu(language=language),
            columns=[
                FooterColumn(
                    heading=translated(column["value"].get("heading"), language),
                    links=[
                        item
                        for link in _list_values(column["value"].get("links"))
                        if (item := _menu_item(link, pages=pages, language=language))
                    ],
                )
                for column in columns
            ],
            text=translated(footer_text, language),
            contact_address=self.contact_address,
            phone=self.phone,
            email=self.email,
        )


@dataclass
class MenuItem:
    label: str
    url: str


@dataclass
class FooterColumn:
    heading: str
    links: list[MenuItem]


@dataclass
class Navigation:
    menu: list[MenuItem]
    columns: list[FooterColumn] = field(default_factory=list)
    text: str = ""
    contact_address: str = ""
    phone: str = ""
    email: str = ""


def default_menu(*, language: str) -> list[MenuItem]:
    """Today's hard-coded links, for a site whose menu nobody configured."""
    items = [
        MenuItem(label=str(DESTINATIONS[name][0]), url=DESTINATIONS[name][1](language))
        for name in DEFAULT_MENU
    ]
    return [item for item in items if item.url]


def navigation_forget() -> None:
    """Every cached menu and footer is stale: a setting was saved or a page (un)published."""
    try:
        cache.incr(NAVIGATION_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(NAVIGATION_CACHE_VERSION_KEY, 1, None)


def _list_values(items) -> list[dict]:
    # A ListBlock's raw data is a list of {"type": "item", "value": ..., "id": ...} since Wagtail
    # 2.16; older data may hold the bare values.
    return [
        item["value"] if isinstance(item, dict) and "value" in item else item
        for item in items or []
    ]


def _localized_pages(*, page_ids: list[int], language: str) -> dict[int, Page]:
    """For each chosen page id, its live translation in ``language``, else the live page itself:
    one query for the whole menu and footer."""
    if not page_ids:
        return {}
    chosen = Page.objects.filter(pk__in=page_ids)
    candidates = (
        Page.objects.live()
        .filter(translation_key__in=chosen.values("translation_key"))
        .select_related("locale")
        .only("id", "title", "url_path", "translation_key", "locale__language_code", "depth")
    )
    by_key: dict = {}
    originals: dict = {}
    for page in candidates:
        if page.pk in page_ids:
            originals[page.translation_key] = page
        if page.locale.language_code == language:
            by_key[page.translation_key] = page
    result = {}
    for key, original in originals.items():
        result[original.pk] = by_key.get(key, original)
    return result


def _menu_item(link: dict, *, pages: dict[int, Page], language: str) -> MenuItem | None:
    label = translated(link.get("label"), language)
    if link.get("page"):
        page = pages.get(link["page"])
        if page is None:  # deleted or unpublished: leave it out rather than link to a 404
            return None
        url = page.get_url()
        return MenuItem(label=label or page.title, url=url) if url else None
    if link.get("destination") in DESTINATIONS:
        name, url_for = DESTINATIONS[link["destination"]]
        url = url_for(language)
        return MenuItem(label=label or str(name), url=url) if url else None
    if link.get("url"):
        return MenuItem(label=label or link["url"], url=link["url"])
    return None
