"""Council sessions for programme staff: convene one for a call, record attendance and the
council's decisions, write the minutes; letters and minutes are served from private storage
to staff only."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from startups.admin_views.base import StaffPageView, forbidden
from startups.admin_views.forms import (
    AttendanceForm,
    ConfirmForm,
    CouncilSessionForm,
    DecisionForm,
)
from startups.models import Application, CallPage, CouncilSession, Decision, Outcome
from startups.selectors.access import is_programme_staff
from startups.selectors.councils import (
    council_agenda_candidates,
    council_member_candidates,
    council_members,
    council_session_agenda,
    council_session_list,
)
from startups.services import councils as council_services


def _calls_crumb() -> dict:
    return {"url": reverse("startups_admin:call_list"), "label": _("Calls for applications")}


def _call_crumb(call: CallPage) -> dict:
    return {"url": reverse("startups_admin:call_applications", args=[call.pk]), "label": call.title}


def council_outcomes(application: Application) -> list[str]:
    """The decisions the workflow leaves to a council from the application's phase."""
    available = application.workflow.available(phase=application.phase, role="council")
    return [t.code for t in available if t.code in Outcome.values]


class CouncilListView(StaffPageView):
    template_name = "startups/admin/council_list.html"
    page_title = gettext_lazy("Council sessions")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sessions": council_session_list()}


class CouncilCreateView(StaffPageView):
    template_name = "startups/admin/council_create.html"
    page_title = gettext_lazy("Convene a council")
    header_icon = "group"
    actions = {"create": "create"}

    def load(self, **kwargs) -> None:
        self.call = get_object_or_404(CallPage, pk=kwargs["call_id"])

    def get_page_subtitle(self):
        return self.call.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            _calls_crumb(),
            _call_crumb(self.call),
            {"url": "", "label": _("Convene a council")},
        ]

    def build_form(self, data=None) -> CouncilSessionForm:
        agenda = council_agenda_candidates(call=self.call)
        return CouncilSessionForm(
            data,
            prefix="council",
            candidates=council_member_candidates(),
            agenda=agenda,
            initial=None if data else {"agenda": list(agenda)},
        )

    def create(self):
        form = self.build_form(self.request.POST)
        if self.attempt(
            "create",
            form,
            lambda: council_services.council_session_create(
                call=self.call,
                actor=self.request.user,
                title=form.cleaned_data["title"],
                meets_at=form.cleaned_data["meets_at"],
                place=form.cleaned_data["place"],
                quorum=form.cleaned_data["quorum"],
                members=form.member_roles(),
                agenda=list(form.cleaned_data["agenda"]),
            ),
        ):
            messages.success(self.request, _("The council session is created."))
            return redirect("startups_admin:council_detail", pk=self.result.pk)
        return None

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "call": self.call,
            "form": self.form("create", self.build_form()),
        }


class CouncilDetailView(StaffPageView):
    template_name = "startups/admin/council_detail.html"
    page_title = gettext_lazy("Council session")
    header_icon = "group"
    actions = {"attendance": "attendance", "decide": "decide", "minutes": "minutes"}

    def load(self, **kwargs) -> None:
        self.session = get_object_or_404(
            CouncilSession.objects.select_related("call"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.session.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            _calls_crumb(),
            _call_crumb(self.session.call),
            {"url": "", "label": self.session.title},
        ]

    def _done(self, message: str):
        messages.success(self.request, message)
        return redirect("startups_admin:council_detail", pk=self.session.pk)

    def _member_users(self):
        return User.objects.filter(council_seats__session=self.session)

    def attendance(self):
        form = AttendanceForm(self.request.POST, prefix="attendance", members=self._member_users())
        if self.attempt(
            "attendance",
            form,
            lambda: council_services.council_attendance(
                session=self.session,
                actor=self.request.user,
                present=list(form.cleaned_data["present"]),
            ),
        ):
            return self._done(
                _("Attendance recorded: %(present)s present, quorum %(quorum)s.")
                % {"present": self.result, "quorum": self.session.quorum}
            )
        return None

    def decide(self):
        # The application comes from this session's agenda, whatever else was posted.
        pk = self.request.POST.get("application", "")
        if not pk.isdigit():
            raise Http404
        application = get_object_or_404(self.session.agenda.select_related("call"), pk=int(pk))
        prefix = f"decide-{application.pk}"
        form = DecisionForm(
            self.request.POST, prefix=prefix, outcomes=council_outcomes(application)
        )
        if self.attempt(
            prefix,
            form,
            lambda: council_services.decision_record(
                session=self.session,
                application=application,
                actor=self.request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            ),
        ):
            decision = self.result
            return self._done(
                _("%(reference)s: %(outcome)s. The decision letter is sent.")
                % {
                    "reference": application.reference,
                    "outcome": decision.get_outcome_display(),
                }
            )
        return None

    def minutes(self):
        form = ConfirmForm(self.request.POST, prefix="minutes")
        if self.attempt(
            "minutes",
            form,
            lambda: council_services.council_minutes_write(
                session=self.session, actor=self.request.user
            ),
        ):
            return self._done(_("The minutes are written and the session is closed."))
        return None

    def get_context_data(self, **kwargs):
        session = self.session
        members = list(council_members(session=session))
        present = sum(1 for member in members if member.is_present)
        is_open = session.status != CouncilSession.Status.CLOSED
        agenda = council_session_agenda(session=session)
        for item in agenda:
            application = item.application
            item.phase = application.current_phase
            outcomes = council_outcomes(application) if is_open else []
            prefix = f"decide-{application.pk}"
            item.form = (
                self.form(prefix, DecisionForm(prefix=prefix, outcomes=outcomes))
                if outcomes
                else None
            )
        attendance = AttendanceForm(
            prefix="attendance",
            members=self._member_users(),
            initial={"present": [m.user for m in members if m.is_present]},
        )
        return {
            **super().get_context_data(**kwargs),
            "session": session,
            "members": members,
            "present": present,
            "quorum_met": present >= session.quorum,
            "is_open": is_open,
            "agenda": agenda,
            "attendance_form": self.form("attendance", attendance),
            "minutes_form": self.form("minutes", ConfirmForm(prefix="minutes")),
        }


def _private_file(file, filename: str) -> FileResponse:
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename)


def council_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes' PDF, from private storage, to programme staff only."""
    if not is_programme_staff(request.user):
        return forbidden(request)
    session = get_object_or_404(CouncilSession, pk=pk)
    if not session.minutes:
        raise Http404
    return _private_file(session.minutes, f"council-{session.pk}-minutes.pdf")


def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision letter's PDF, from private storage, to programme staff only."""
    if not is_programme_staff(request.user):
        return forbidden(request)
    decision = get_object_or_404(Decision.objects.select_related("application"), pk=pk)
    if not decision.letter:
        raise Http404
    return _private_file(
        decision.letter, f"{decision.application.reference}-{decision.outcome}.pdf"
    )
