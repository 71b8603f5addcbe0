"""Pooled challenges: similar needs of several enterprises put to institutes as one problem,
published as a page under the challenges index."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from accounts.models import Sector
from market.models import Listing

CHALLENGES_PER_PAGE = 20


class ChallengeIndexPage(Page):
    """The one page that lists the province's published challenges."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["startups.ChallengePage"]
    max_count = 1

    class Meta:
        verbose_name = _("challenges index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        challenges = ChallengePage.objects.child_of(self).live().order_by("-first_published_at")
        context["challenges"] = Paginator(challenges, CHALLENGES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return context


class ChallengePage(Page):
    """One problem shared by several enterprises, pooled from their published needs so that
    institutes answer one call instead of five."""

    problem = RichTextField(_("problem statement"))
    expected_results = RichTextField(_("expected results"), blank=True)
    budget_ceiling = models.PositiveBigIntegerField(
        _("budget ceiling (VND)"), null=True, blank=True
    )
    sectors = ParentalManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="+"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("problem"),
        FieldPanel("expected_results"),
        FieldPanel("budget_ceiling"),
        FieldPanel("sectors"),
    ]
    parent_page_types = ["startups.ChallengeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("pooled challenge")
        verbose_name_plural = _("pooled challenges")

    def get_context(self, request, *args, **kwargs):
        # Selectors import the models; importing them here at call time avoids the cycle.
        from startups.selectors.challenges import challenge_needs_public, challenge_task_calls

        context = super().get_context(request, *args, **kwargs)
        context["needs"] = challenge_needs_public(challenge=self, viewer=request.user)
        context["calls"] = challenge_task_calls(challenge=self)
        return context


class ChallengeNeed(models.Model):
    """A source need of a challenge, with its title as it was when it was pooled."""

    challenge = models.ForeignKey(
        ChallengePage, on_delete=models.CASCADE, related_name="source_needs"
    )
    need = models.ForeignKey(
        Listing,
        verbose_name=_("need"),
        on_delete=models.PROTECT,
        related_name="challenge_links",
        limit_choices_to={"kind": Listing.Kind.NEED},
    )
    title_snapshot = models.CharField(_("title when pooled"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    # Kept here rather than on the page, which a published revision would overwrite: each
    # need's owners are told once, when the challenge is first live with their need in it.
    owners_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("source need")
        verbose_name_plural = _("source needs")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "need"], name="challenge_need_once")
        ]

    def __str__(self) -> str:
        return self.title_snapshot
