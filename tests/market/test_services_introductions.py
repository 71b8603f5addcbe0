import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from market import services
from market.models import Deal, Introduction, Listing
from tests.factories import (
    IntroductionFactory,
    MembershipFactory,
    PublishedListingFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    listing = PublishedListingFactory(visibility=Listing.Visibility.SUMMARY)
    owner = MembershipFactory(organisation=listing.organisation).user
    requester = MembershipFactory(organisation__verification_status="verified").user
    return listing, owner, requester, requester.memberships.get().organisation


def test_the_brokered_path(parties, django_capture_on_commit_callbacks, mailoutbox):
    listing, owner, requester, organisation = parties
    curator = StaffFactory(email="curator@ttdmst.vn")

    with django_capture_on_commit_callbacks(execute=True):
        introduction = services.introduction_request(
            listing=listing,
            actor=requester,
            organisation=organisation,
            message="Quan tâm",
            intended_use="Sấy sầu riêng",
        )
    assert [m.to for m in mailoutbox] == [[owner.email]]

    with pytest.raises(ValidationError) as error:
        services.introduction_owner_accept(introduction=introduction, actor=owner)
    assert "accept_nda" in error.value.message_dict

    with django_capture_on_commit_callbacks(execute=True):
        introduction = services.introduction_owner_accept(
            introduction=introduction, actor=owner, accept_nda=True
        )
    assert introduction.nda.version == "1" and introduction.nda_accepted_at is not None
    assert mailoutbox[-1].to == [curator.email]

    with django_capture_on_commit_callbacks(execute=True):
        introduction = services.introduction_approve(introduction=introduction, actor=curator)
    assert introduction.status == Introduction.Status.APPROVED
    assert introduction.deal.stage == Deal.Stage.INTRODUCED
    assert {tuple(m.to) for m in mailoutbox[-2:]} == {(owner.email,), (requester.email,)}

    message = services.message_post(introduction=introduction, actor=requester, body="Chào anh")
    assert message.author == requester


def test_nobody_asks_about_their_own_listing(parties):
    listing, owner, _requester, _organisation = parties

    with pytest.raises(ValidationError, match="your own organisation"):
        services.introduction_request(
            listing=listing,
            actor=owner,
            organisation=listing.organisation,
            message="x",
            intended_use="y",
        )


def test_unverified_organisations_cannot_ask(parties):
    listing = parties[0]
    member = MembershipFactory().user

    with pytest.raises(PermissionDenied):
        services.introduction_request(
            listing=listing,
            actor=member,
            organisation=member.memberships.get().organisation,
            message="x",
            intended_use="y",
        )

    assert not Introduction.objects.exists()


def test_one_open_introduction_per_listing_and_organisation(parties):
    listing, _owner, requester, organisation = parties
    arguments = {
        "listing": listing,
        "actor": requester,
        "organisation": organisation,
        "message": "x",
        "intended_use": "y",
    }
    services.introduction_request(**arguments)

    with pytest.raises(ValidationError, match="already has an open introduction"):
        services.introduction_request(**arguments)

    assert Introduction.objects.count() == 1


def test_only_the_owners_managers_answer(parties):
    listing, _owner, requester, _organisation = parties
    introduction = IntroductionFactory(listing=listing)

    for actor in (requester, UserFactory(), StaffFactory()):
        with pytest.raises(PermissionDenied):
            services.introduction_owner_accept(
                introduction=introduction, actor=actor, accept_nda=True
            )

    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.REQUESTED


def test_a_curator_cannot_approve_before_the_owner(parties):
    introduction = IntroductionFactory(listing=parties[0])

    with pytest.raises(ValidationError):
        services.introduction_approve(introduction=introduction, actor=StaffFactory())

    assert not Deal.objects.exists()


def test_messages_wait_for_the_approval(parties):
    listing, owner, _requester, _organisation = parties
    introduction = IntroductionFactory(listing=listing)

    with pytest.raises(ValidationError, match="thread opens"):
        services.message_post(introduction=introduction, actor=owner, body="x")


def test_deal_stages_need_their_details(parties):
    listing, owner, _requester, _organisation = parties
    curator = StaffFactory()
    introduction = IntroductionFactory(listing=listing)
    introduction = services.introduction_owner_accept(
        introduction=introduction, actor=owner, accept_nda=True
    )
    deal = services.introduction_approve(introduction=introduction, actor=curator).deal

    with pytest.raises(ValidationError) as error:
        services.deal_update(deal=deal, actor=owner, stage="closed_won")
    assert set(error.value.message_dict) == {"value_vnd", "transaction_type"}
    with pytest.raises(ValidationError) as error:
        services.deal_update(deal=deal, actor=owner, stage="closed_lost")
    assert set(error.value.message_dict) == {"lost_reason"}

    deal = services.deal_update(
        deal=deal,
        actor=owner,
        stage="closed_won",
        transaction_type="license",
        value_vnd=900_000_000,
    )
    assert deal.closed_at is not None
    with pytest.raises(PermissionDenied, match="reopen"):
        services.deal_update(deal=deal, actor=owner, stage="negotiating")
    with pytest.raises(PermissionDenied):
        services.deal_update(deal=deal, actor=UserFactory(), stage="negotiating")
    deal.refresh_from_db()
    assert (deal.stage, deal.value_vnd) == ("closed_won", 900_000_000)
