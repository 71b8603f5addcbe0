"""Factories for startup support: programmes and calls are Wagtail pages under the home page."""

from __future__ import annotations

import datetime
import uuid

import factory
from django.utils import timezone
from wagtail.models import Page

from accounts.models import Organisation
from accounts.provinces import Province
from startups.models import (
    Application,
    CallPage,
    CouncilMember,
    CouncilScore,
    CouncilSession,
    Decision,
    Incubator,
    Milestone,
    Outcome,
    ProgrammePage,
    ReviewAssignment,
    RubricCriterion,
    Score,
    Space,
    SupportAgreement,
)
from tests.factories import UserFactory, VerifiedOrganisationFactory


class PageFactory(factory.django.DjangoModelFactory):
    """Wagtail pages are created through their parent's ``add_child``."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


class ProgrammePageFactory(PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"Đề án hỗ trợ khởi nghiệp {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    starts_in = 2026
    ends_in = 2030
    parent = factory.LazyFunction(lambda: Page.objects.get(depth=2, slug="home"))


def form_block(kind: str, label: str, *, required: bool = True, **extra) -> dict:
    """One question of a call's form in StreamField's raw form, with a stable id."""
    value = {"label": label, "help_text": "", "required": required, **extra}
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def default_form() -> list[dict]:
    return [
        form_block("long_text", "Mô tả dự án"),
        form_block("money", "Kinh phí đề nghị"),
        form_block("file", "Kế hoạch kinh doanh", required=False),
    ]


class CallPageFactory(PageFactory):
    """A startup-support call open from yesterday for thirty days, with a two-criterion rubric."""

    class Meta:
        model = CallPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Kêu gọi hỗ trợ dự án khởi nghiệp đợt {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    call_type = "startup_support"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    application_form = factory.LazyFunction(default_form)
    parent = factory.SubFactory(ProgrammePageFactory)

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        rows = (
            extracted if extracted is not None else [("Tính đổi mới", 2, 10), ("Thị trường", 1, 10)]
        )
        for position, (name, weight, scale) in enumerate(rows):
            RubricCriterion.objects.create(
                call=self, name=name, weight=weight, scale=scale, sort_order=position
            )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application of a verified startup, its form frozen from the call."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallPageFactory)
    organisation = factory.SubFactory(VerifiedOrganisationFactory, kind=Organisation.Kind.STARTUP)
    created_by = factory.SubFactory(UserFactory)
    reference = factory.Sequence(lambda n: f"KN-2026-{n:04d}")
    title = factory.Sequence(lambda n: f"Ứng dụng IoT giám sát vườn sầu riêng {n}")
    phase = "draft"
    form = factory.LazyAttribute(lambda application: application.call.form_definition())


class IncubatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubator

    kind = Incubator.Kind.INCUBATOR
    name = factory.Sequence(lambda n: f"Vườn ươm doanh nghiệp công nghệ cao {n}")
    slug = factory.Sequence(lambda n: f"incubator-{n}")
    organisation = factory.SubFactory(VerifiedOrganisationFactory, kind=Organisation.Kind.INCUBATOR)
    province = Province.DONG_THAP
    address = "Số 1 Nguyễn Huệ, Cao Lãnh"


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    incubator = factory.SubFactory(IncubatorFactory)
    kind = Space.Kind.DESK
    capacity = 10


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    """A reviewer assigned to an application, not yet declared on conflicts."""

    class Meta:
        model = ReviewAssignment

    application = factory.SubFactory(ApplicationFactory, phase="review")
    reviewer = factory.SubFactory(UserFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    """One criterion's score; ``value=None`` is N/A."""

    class Meta:
        model = Score

    review = factory.SubFactory(ReviewAssignmentFactory)
    criterion = factory.LazyAttribute(lambda score: score.review.application.call.criteria.first())
    value = 7


class CouncilSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilSession

    call = factory.SubFactory(CallPageFactory)
    title = factory.Sequence(lambda n: f"Phiên họp Hội đồng xét duyệt số {n}")
    meets_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "Phòng họp tầng 3, Sở Khoa học và Công nghệ"
    quorum = 3


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    session = factory.SubFactory(CouncilSessionFactory)
    user = factory.SubFactory(UserFactory)
    role = CouncilMember.Role.MEMBER
    is_present = True


class CouncilScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilScore

    member = factory.SubFactory(CouncilMemberFactory)
    session = factory.SelfAttribute("member.session")
    application = factory.SubFactory(
        ApplicationFactory, call=factory.SelfAttribute("..session.call")
    )
    score = 80
    recommendation = Outcome.APPROVE


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    session = factory.SubFactory(CouncilSessionFactory)
    application = factory.SubFactory(
        ApplicationFactory, call=factory.SelfAttribute("..session.call"), phase="approved"
    )
    outcome = Outcome.APPROVE


class SupportAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportAgreement

    application = factory.SubFactory(ApplicationFactory, phase="approved")
    number = factory.Sequence(lambda n: f"HĐ-{n:03d}/2026/TTĐMST")
    signed_on = factory.LazyFunction(timezone.localdate)
    grant_total = 300_000_000


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    agreement = factory.SubFactory(SupportAgreementFactory)
    title = factory.Sequence(lambda n: f"Mốc {n}: hoàn thành sản phẩm mẫu")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    amount = 100_000_000
