import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from market import services
from market.models import Listing
from market.signals import listing_published, listing_unpublished
from tests.factories import (
    ListingFactory,
    MembershipFactory,
    OrganisationFactory,
    PublishedListingFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return MembershipFactory(organisation__verification_status="verified").user


@pytest.fixture
def draft(owner):
    return ListingFactory(organisation=owner.memberships.get().organisation, created_by=owner)


def _actions(listing) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(listing).order_by("pk").values_list("action", flat=True)
    )


def test_a_member_starts_a_draft(owner):
    organisation = owner.memberships.get().organisation

    listing = services.listing_create(
        actor=owner, organisation=organisation, kind="need", title="Cần máy sấy  "
    )

    assert (listing.status, listing.title, listing.slug) == ("draft", "Cần máy sấy", "can-may-say")
    assert _actions(listing) == ["techfloor.listing.create"]


def test_an_outsider_cannot_start_a_draft_for_an_organisation():
    with pytest.raises(PermissionDenied):
        services.listing_create(
            actor=UserFactory(), organisation=OrganisationFactory(), kind="offer", title="X"
        )

    assert not Listing.objects.exists()


def test_the_whole_lifecycle(owner, draft, django_capture_on_commit_callbacks, mailoutbox):
    curator = StaffFactory(email="curator@ttdmst.vn")
    published, unpublished = [], []
    listing_published.connect(lambda **kw: published.append(kw["listing_id"]), weak=False)
    listing_unpublished.connect(lambda **kw: unpublished.append(kw["listing_id"]), weak=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.listing_submit(listing=draft, actor=owner)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.revisions.get().number == 1
    assert [m.to for m in mailoutbox] == [["curator@ttdmst.vn"]]

    with django_capture_on_commit_callbacks(execute=True):
        services.listing_request_changes(listing=draft, actor=curator, reason="Thêm kết quả thử")
    draft.refresh_from_db()
    assert draft.status == "changes_requested"
    assert "Thêm kết quả thử" in mailoutbox[-1].body
    assert mailoutbox[-1].to == [owner.email]

    services.listing_update(listing=draft, actor=owner, test_results="Thử nghiệm 6 tháng")
    services.listing_submit(listing=draft, actor=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_approve(listing=draft, actor=curator)
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.valid_until == timezone.localdate() + datetime.timedelta(days=365)
    assert list(draft.revisions.values_list("number", "is_published")) == [(2, True), (1, False)]
    assert published == [draft.pk]

    with django_capture_on_commit_callbacks(execute=True):
        services.listing_close(listing=draft, actor=owner)
    draft.refresh_from_db()
    assert draft.status == "closed"
    assert unpublished == [draft.pk]
    assert _actions(draft) == [
        "techfloor.listing.submit",
        "techfloor.listing.request_changes",
        "techfloor.listing.update",
        "techfloor.listing.submit",
        "techfloor.listing.approve",
        "techfloor.listing.close",
    ]


def test_unverified_organisations_cannot_submit():
    member = MembershipFactory().user
    listing = ListingFactory(organisation=member.memberships.get().organisation)

    with pytest.raises(PermissionDenied, match="Only verified organisations"):
        services.listing_submit(listing=listing, actor=member)

    listing.refresh_from_db()
    assert listing.status == "draft"
    assert not listing.revisions.exists()


def test_incomplete_listings_cannot_be_submitted(owner, draft):
    services.listing_update(listing=draft, actor=owner, problem="", trl=None)

    with pytest.raises(ValidationError) as error:
        services.listing_submit(listing=draft, actor=owner)

    assert set(error.value.message_dict) == {"problem", "trl"}
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_only_curators_decide(owner, draft):
    services.listing_submit(listing=draft, actor=owner)

    for actor in (owner, StaffFactory(groups=["Reviewers"])):
        with pytest.raises(PermissionDenied):
            services.listing_approve(listing=draft, actor=actor)

    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_sending_back_needs_a_reason(owner, draft):
    services.listing_submit(listing=draft, actor=owner)

    with pytest.raises(ValidationError) as error:
        services.listing_reject(listing=draft, actor=StaffFactory(), reason=" ")

    assert "reason" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_published_listings_are_not_edited_in_place(owner):
    listing = PublishedListingFactory(organisation=owner.memberships.get().organisation)

    with pytest.raises(ValidationError):
        services.listing_update(listing=listing, actor=owner, title="Đổi tên")

    services.listing_revise(listing=listing, actor=owner)
    listing.refresh_from_db()
    assert listing.status == "draft"


def test_expiry_and_renewal(owner, django_capture_on_commit_callbacks, mailoutbox):
    organisation = owner.memberships.get().organisation
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    old = PublishedListingFactory(organisation=organisation, valid_until=yesterday)
    fresh = PublishedListingFactory(organisation=organisation)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.listing_expire_due() == 1
    assert services.listing_expire_due() == 0  # idempotent
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("expired", "published")
    assert "Expired" in mailoutbox[0].subject or "Hết hạn" in mailoutbox[0].subject

    services.listing_renew(listing=old, actor=owner)
    old.refresh_from_db()
    assert old.status == "published"
    assert old.valid_until == timezone.localdate() + datetime.timedelta(days=365)


def test_owners_are_reminded_once_before_expiry(
    owner, django_capture_on_commit_callbacks, mailoutbox
):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    PublishedListingFactory(organisation=owner.memberships.get().organisation, valid_until=soon)
    PublishedListingFactory(organisation=owner.memberships.get().organisation)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.listing_remind_expiring() == 1
        assert services.listing_remind_expiring() == 0

    assert len(mailoutbox) == 1
    assert soon.strftime("%d/%m/%Y") in mailoutbox[0].body


def test_curators_feature_a_listing():
    listing = PublishedListingFactory()

    services.listing_feature(listing=listing, actor=StaffFactory(), featured=True)

    listing.refresh_from_db()
    assert listing.featured
    with pytest.raises(PermissionDenied):
        services.listing_feature(listing=listing, actor=UserFactory(), featured=False)
