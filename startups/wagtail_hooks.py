"""Staff screens for startup support in the Wagtail admin."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from startups import admin_urls
from startups.models import ChallengePage, Expert, Incubator, SeatAllocation, Space, Survey
from startups.science import field_choices
from startups.selectors.access import is_programme_staff, may_follow_agreements

# Importing the services also declares their audited actions for Wagtail's log.
from startups.services import challenges as challenge_services
from startups.services import incubators as incubator_services
from startups.services import tasks as task_services  # noqa: F401
from techfloor.errors import add_service_error


class SeatAllocationPermissionPolicy(ModelPermissionPolicy):
    """Allocations are made by ``seat_allocate`` and end by release, never by editing or
    deleting the row (the places it holds would be lost from the count); whoever may add them
    may also list them."""

    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        if action == "view":
            return super().user_has_permission(user, "view") or super().user_has_permission(
                user, "add"
            )
        return super().user_has_permission(user, action)


# Spaces are part of an incubator: whoever may change incubators manages their spaces.
register_permission_policy(Space, ModelPermissionPolicy(Space, auth_model=Incubator))
register_permission_policy(SeatAllocation, SeatAllocationPermissionPolicy(SeatAllocation))


class IncubatorViewSet(SnippetViewSet):
    model = Incubator
    icon = "home"
    menu_label = _("Incubators")
    list_display = ["name", "kind", "province", "organisation", "is_public"]
    list_filter = ["kind", "province", "is_public"]
    search_fields = ["name", "address"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("organisation"),
                FieldPanel("is_public"),
            ],
            heading=_("In the directory"),
        ),
        FieldPanel("description"),
        FieldPanel("facilities"),
        FieldPanel("services"),
        FieldPanel("focus_sectors"),
        MultiFieldPanel(
            [
                FieldPanel("province"),
                FieldPanel("address"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("website"),
            ],
            heading=_("Place and contact"),
        ),
    ]


class SpaceViewSet(SnippetViewSet):
    """Desks, offices and labs; how many are taken changes through allocations and the
    managers' occupancy page only, so it is shown here but not edited."""

    model = Space
    icon = "table"
    menu_label = _("Spaces")
    list_display = ["incubator", "kind", "capacity", "occupied", "free"]
    list_filter = ["kind", "incubator"]
    panels = [FieldPanel("incubator"), FieldPanel("kind"), FieldPanel("capacity")]


class SeatAllocationCreateView(CreateView):
    """Staff allocate places through the same service as everyone else: under the space's
    lock, never past its capacity."""

    def save_instance(self):
        data = self.form.cleaned_data
        return incubator_services.seat_allocate(
            space=data["space"],
            organisation=data["organisation"],
            application=data.get("application"),
            seats=data["seats"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_error(form, error)
            # What Wagtail's own is_valid() sets when a form fails, for the error banner.
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class SeatAllocationViewSet(SnippetViewSet):
    model = SeatAllocation
    icon = "user"
    menu_label = _("Seat allocations")
    add_view_class = SeatAllocationCreateView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["organisation", "space", "seats", "starts_on", "ends_on", "released_at"]
    list_filter = ["space", "released_at"]
    panels = [
        FieldPanel("space"),
        FieldPanel("organisation"),
        FieldPanel("application"),
        FieldPanel("seats"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
    ]


class IncubatorAdminGroup(SnippetViewSetGroup):
    menu_label = _("Incubators")
    menu_icon = "home"
    menu_order = 230
    items = (IncubatorViewSet, SpaceViewSet, SeatAllocationViewSet)


register_snippet(IncubatorAdminGroup)


class ExpertViewSet(SnippetViewSet):
    """Staff keep experts' profiles here too (the expert keeps theirs in the portal); the model
    checks the lists' rows and the ORCID iD whichever way they are saved, and Wagtail's log
    records who changed what."""

    model = Expert
    icon = "user"
    menu_label = _("Experts")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["user", "headline", "availability", "is_mentor", "is_reviewer", "is_public"]
    list_filter = ["availability", "is_mentor", "is_reviewer", "is_public"]
    panels = [
        FieldPanel("user"),
        FieldPanel("headline"),
        FieldPanel("expertise"),
        FieldPanel("sectors"),
        FieldPanel(
            "field_of_science",
            widget=forms.Select(choices=lambda: [("", "—"), *field_choices()]),
        ),
        MultiFieldPanel(
            [
                FieldPanel("academic_title"),
                FieldPanel("degrees"),
                FieldPanel("publications"),
                FieldPanel("patents"),
                FieldPanel("transfers"),
                FieldPanel("languages"),
                FieldPanel("orcid"),
            ],
            heading=_("Record (JSON lists, as the portal's rows)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_mentor"),
                FieldPanel("mentoring_hours_per_month"),
                FieldPanel("is_reviewer"),
                FieldPanel("availability"),
            ],
            heading=_("Mentoring and reviewing"),
        ),
        MultiFieldPanel(
            [FieldPanel("is_public"), FieldPanel("visibility")],
            heading=_("Who sees what"),
        ),
    ]


register_snippet(ExpertViewSet)


class SurveyViewSet(SnippetViewSet):
    """Staff build surveys here; invitations, rates and results are on the survey's own pages
    under Startup support → Surveys. Snippets have no public URL: only personal links lead to a
    survey."""

    model = Survey
    icon = "list-ul"
    menu_label = _("Surveys")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["title", "opens_at", "closes_at"]
    search_fields = ["title"]


register_snippet(SurveyViewSet)


# The programme staff's screens: calls, applications, councils and agreements.


@hooks.register("register_admin_urls")
def register_startup_support_urls():
    return [path("startups/", include(admin_urls))]


class ProgrammeStaffMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_programme_staff(request.user)


class AgreementsMenuItem(MenuItem):
    """Finance opens agreements too, to release money against accepted milestones."""

    def is_shown(self, request) -> bool:
        return may_follow_agreements(request.user)


@hooks.register("register_admin_menu_item")
def register_startup_support_menu():
    items = [
        ProgrammeStaffMenuItem(
            _("Calls"), reverse("startups_admin:call_list"), icon_name="doc-full-inverse", order=1
        ),
        ProgrammeStaffMenuItem(
            _("Council sessions"),
            reverse("startups_admin:council_list"),
            icon_name="group",
            order=2,
        ),
        ProgrammeStaffMenuItem(
            _("Surveys"), reverse("startups_admin:survey_list"), icon_name="list-ul", order=4
        ),
        ProgrammeStaffMenuItem(
            _("Order an S&T task"), reverse("startups_admin:task_order"), icon_name="form", order=5
        ),
        ProgrammeStaffMenuItem(
            _("Task results"),
            reverse("startups_admin:task_result_list"),
            icon_name="tasks",
            order=6,
        ),
        AgreementsMenuItem(
            _("Support agreements"),
            reverse("startups_admin:agreement_list"),
            icon_name="doc-full",
            order=3,
        ),
    ]
    return SubmenuMenuItem(_("Startup support"), Menu(items=items), icon_name="form", order=220)


# Pooled challenges: publishing one in the page editor tells its needs' owners, as the
# service does; and a challenge's header offers to order an S&T task from it.


@hooks.register("after_publish_page")
def notify_challenge_owners(request, page):
    if isinstance(page.specific, ChallengePage):
        challenge_services.challenge_notify_owners(challenge=page.specific)


@hooks.register("register_page_header_buttons")
def order_task_button(page, user, view_name, next_url=None):
    if isinstance(page.specific, ChallengePage) and page.live and is_programme_staff(user):
        yield Button(
            _("Order an S&T task"),
            reverse("startups_admin:task_order") + f"?challenge={page.pk}",
            icon_name="form",
            priority=80,
        )
