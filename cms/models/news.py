"""News: an index of articles, each with its date, authors, tags and a main image."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from cms.blocks import StandardStreamBlock


@register_snippet
class Author(models.Model):
    """Someone who writes the news, kept once and chosen on each article."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("e.g. Innovation Center staff writer")
    )
    photo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("photo")]

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleAuthor(Orderable):
    """An author of an article, in the order the byline names them."""

    page = ParentalKey("cms.ArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("article author")
        verbose_name_plural = _("article authors")
        constraints = [
            models.UniqueConstraint(fields=["page", "author"], name="article_author_once")
        ]


class NewsIndexPage(Page):
    """The news, newest first, 12 a page, narrowed to one tag with ``?tag=<slug>``."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count_per_parent = 1
    per_page = 12

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import article_list, tag_list_for_news

        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "")
        articles = article_list(news_index=self, tag=tag)
        context["articles"] = Paginator(articles, self.per_page).get_page(request.GET.get("page"))
        context["tags"] = tag_list_for_news(news_index=self)
        context["current_tag"] = next((item for item in context["tags"] if item.slug == tag), None)
        context["query_string"] = urlencode({"tag": tag}) if tag else ""
        return context


class ArticlePage(Page):
    """One news article. The main image needs its alt text, like every image on the site."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(
        _("introduction"),
        max_length=500,
        help_text=_("Shown in the news list and under the title."),
    )
    main_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    main_image_alt = models.CharField(
        _("alt text of the main image"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    body = StreamField(StandardStreamBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=ArticleTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("main_image"), FieldPanel("main_image_alt")])],
            heading=_("Main image"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("article_authors", label=_("Authors")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = [
        APIField("date"),
        APIField("intro"),
        APIField("main_image"),
        APIField("main_image_alt"),
        APIField("body"),
        APIField("tags"),
        APIField("author_names"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def clean(self) -> None:
        super().clean()
        if self.main_image_id and not self.main_image_alt.strip():
            raise ValidationError(
                {"main_image_alt": _("Describe the main image for people who cannot see it.")}
            )

    @property
    def authors(self) -> list[Author]:
        return [item.author for item in self.article_authors.select_related("author__photo")]

    @property
    def author_names(self) -> list[str]:
        return [author.name for author in self.authors]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The tags link back to the index filtered by each of them.
        context["news_index"] = self.get_parent()
        return context
