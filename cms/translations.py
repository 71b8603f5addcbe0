"""The same content in each language: where the language switcher and the alternate-language
links of search engines point, and the pages each language's tree holds (docs/languages.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from modelcluster.fields import ParentalKey
from wagtail.models import Locale, Page

# The answer is the same for the switcher and the <link rel="alternate"> tags of one request.
_REQUEST_ATTRIBUTE = "_techfloor_language_alternates"


@dataclass(frozen=True)
class Alternate:
    """One language's address for what the reader is looking at."""

    language_code: str
    name: str
    url: str
    absolute_url: str
    # False when the content has no version in this language and the address is its nearest
    # translated ancestor (or the home page): good for the switcher, wrong for hreflang.
    is_same_content: bool
    is_current: bool
    is_default: bool  # the site's first language, which search engines get as x-default


def alternate_urls(*, request: HttpRequest, page: Page | None = None) -> list[Alternate]:
    """The address of the current page, listing or view in every language of the site.

    A Wagtail page maps to its live translation, with the part of the path its routes serve
    (a listing of the trading floor) and the query string; a language without a translation
    gets the nearest translated ancestor, ultimately that language's home page, never a 404.
    Any other view under the language prefix is reversed in each language. At most one query.
    """
    alternates = getattr(request, _REQUEST_ATTRIBUTE, None)
    if alternates is None:
        if page is not None and page.pk:
            urls = _page_urls(request=request, page=page)
        else:
            urls = _view_urls(request=request)
        current = translation.get_language()
        alternates = []
        for code, name in settings.LANGUAGES:
            url = request.get_full_path() if code == current else urls[code][0]
            alternates.append(
                Alternate(
                    language_code=code,
                    name=name,
                    url=url,
                    absolute_url=request.build_absolute_uri(url),
                    is_same_content=urls[code][1],
                    is_current=code == current,
                    is_default=code == settings.LANGUAGE_CODE,
                )
            )
        setattr(request, _REQUEST_ATTRIBUTE, alternates)
    return alternates


def _page_urls(*, request: HttpRequest, page: Page) -> dict[str, tuple[str, bool]]:
    """Each language's (url, is_same_content) for ``page``, from one query: the live pages that
    translate it or one of its ancestors; the deepest one in a language is the nearest."""
    page_url = page.get_url(request) or ""
    # What the page's own routes served below its address, such as "<listing slug>/".
    is_below = bool(page_url) and request.path.startswith(page_url)
    sub_path = request.path[len(page_url) :] if is_below else ""
    query = request.META.get("QUERY_STRING", "")
    lineage = Page.objects.ancestor_of(page, inclusive=True).filter(depth__gt=1)
    candidates = (
        Page.objects.live()
        .filter(translation_key__in=lineage.values("translation_key"))
        .select_related("locale")
        .only("url_path", "depth", "translation_key", "locale__language_code")
    )
    nearest: dict[str, Page] = {}
    for candidate in candidates:
        code = candidate.locale.language_code
        if code not in nearest or candidate.depth > nearest[code].depth:
            nearest[code] = candidate
    urls = {}
    for code, _name in settings.LANGUAGES:
        candidate = nearest.get(code)
        url = candidate.get_url(request) if candidate else None
        if not url:
            urls[code] = (_home_url(code), False)
        elif candidate.translation_key == page.translation_key:
            urls[code] = (url + sub_path + (f"?{query}" if query else ""), True)
        else:
            urls[code] = (url, False)
    return urls


def _view_urls(*, request: HttpRequest) -> dict[str, tuple[str, bool]]:
    """Each language's (url, is_same_content) for a Django view under the language prefix."""
    path = request.get_full_path()
    match = request.resolver_match
    # A Wagtail address without a page in the context is a 404: its slugs mean nothing in
    # another language's tree.
    is_page_address = match is not None and match.url_name == "wagtail_serve"
    current = translation.get_language()
    urls = {}
    for code, _name in settings.LANGUAGES:
        url = "" if is_page_address else translate_url(path, code)
        if code == current:
            urls[code] = (path, not is_page_address)
        elif url and url != path:
            urls[code] = (url, True)
        else:  # no view answers this address in that language
            urls[code] = (_home_url(code), False)
    return urls


def _home_url(language_code: str) -> str:
    with translation.override(language_code):
        try:
            return reverse("wagtail_serve", args=[""])
        except NoReverseMatch:
            return f"/{language_code}/"


# --- Each language's page tree


def keeps_own_records(model: type[Page]) -> bool:
    """Whether rows outside the page tree point at pages of this type (registrations,
    applications, pooled needs): a translated copy would be a second event or call with
    records of its own, so such pages exist in one language only."""
    return any(
        relation.field.related_model is model
        and not isinstance(relation.field, ParentalKey)
        and not issubclass(relation.related_model, Page)
        for relation in model._meta.related_objects
    )


def is_single_language(model: type[Page]) -> bool:
    """Pages that keep their own records, and indexes that can hold only such pages (their
    translation would be an empty list)."""
    if keeps_own_records(model):
        return True
    children = model.allowed_subpage_models()
    return bool(children) and all(keeps_own_records(child) for child in children)


@transaction.atomic
def page_tree_translate(
    *, locale: Locale, fields_by_slug: Mapping[str, Mapping[str, Any]] | None = None
) -> list[Page]:
    """Give every page of the default language's tree its page in ``locale``, parents first,
    and return the new ones. A page named in ``fields_by_slug`` (by its slug in the default
    language) becomes a translated copy with those fields, published when its source is live;
    any other becomes an alias that follows its source until an editor translates it.
    Single-language pages and everything below them are left out. Running it again adds only
    what is missing."""
    fields_by_slug = fields_by_slug or {}
    source_locale = Locale.get_default()
    translated = set(Page.objects.filter(locale=locale).values_list("translation_key", flat=True))
    sources = list(
        Page.objects.filter(locale=source_locale, depth__gt=1).order_by("path").specific()
    )
    left_out: list[str] = []
    created: list[Page] = []
    for source in sources:
        if any(source.path.startswith(path) for path in left_out):
            continue
        if is_single_language(type(source)):
            left_out.append(source.path)
            continue
        if source.translation_key in translated:
            continue
        fields = fields_by_slug.get(source.slug)
        if fields is None:
            created.append(source.copy_for_translation(locale, alias=True))
            continue
        copy = source.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save()
        revision = copy.save_revision()
        if source.live:
            revision.publish()
        created.append(copy)
    return created
