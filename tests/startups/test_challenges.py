"""Pooled challenges: needs of several enterprises put as one problem, linked to their sources,
announced to their owners in their language, and shown publicly by their public parts only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Sector
from market.models import Listing
from startups.models import ChallengeNeed, ChallengePage
from startups.services.challenges import challenge_create, challenge_publish
from tests.factories import ListingFactory, StaffFactory, UserFactory
from tests.startups.factories_challenges import ChallengeIndexPageFactory, published_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(db):
    return StaffFactory(groups=["Curators"])


@pytest.fixture
def index(db):
    return ChallengeIndexPageFactory()


@pytest.fixture
def needs(db):
    first = published_need(
        title="Cần công nghệ sấy lạnh xoài giữ màu",
        summary="Hợp tác xã cần sấy xoài xuất khẩu giữ màu và vitamin.",
        language="vi",
    )
    second = published_need(
        title="Tìm công nghệ sấy lạnh sầu riêng",
        summary="Doanh nghiệp cần sấy sầu riêng ở nhiệt độ thấp.",
        language="en",
    )
    fruit = Sector.objects.filter(parent__isnull=False).first()
    first.sectors.set([fruit])
    return [first, second]


def pool(curator, needs, **fields):
    return challenge_create(
        actor=curator,
        title=fields.pop("title", "Sấy lạnh trái cây giữ màu và dinh dưỡng"),
        problem=fields.pop("problem", "Sấy nóng làm mất màu.\nCần sấy lạnh dưới 45°C."),
        needs=needs,
        budget_ceiling=2_000_000_000,
        **fields,
    )


def test_a_challenge_keeps_its_source_needs_with_their_titles_as_pooled(index, curator, needs):
    challenge = pool(curator, needs)

    assert challenge.get_parent().specific == index
    assert challenge.live is False
    assert challenge.problem == "<p>Sấy nóng làm mất màu.</p><p>Cần sấy lạnh dưới 45°C.</p>"
    assert [(link.need, link.title_snapshot) for link in challenge.source_needs.all()] == [
        (needs[0], "Cần công nghệ sấy lạnh xoài giữ màu"),
        (needs[1], "Tìm công nghệ sấy lạnh sầu riêng"),
    ]
    assert list(challenge.sectors.all()) == list(needs[0].sectors.all())

    needs[0].title = "Tên mới"
    needs[0].save()
    assert challenge.source_needs.first().title_snapshot == "Cần công nghệ sấy lạnh xoài giữ màu"


def test_only_published_needs_and_at_least_two_are_pooled(index, curator, needs):
    draft_need = ListingFactory(kind=Listing.Kind.NEED, title="Nhu cầu chưa duyệt")
    offer = published_need()
    offer.kind = Listing.Kind.OFFER
    offer.save()

    with pytest.raises(ValidationError) as refused:
        pool(curator, [needs[0], draft_need, offer])
    assert refused.value.message_dict["needs"] == [
        f"Not published needs: Nhu cầu chưa duyệt; {offer.title}."
    ]
    with pytest.raises(ValidationError) as refused:
        pool(curator, [needs[0], needs[0]])
    assert refused.value.message_dict["needs"] == ["Pool at least two needs."]
    assert not ChallengePage.objects.exists()


def test_members_of_the_floor_may_not_pool_needs(index, needs):
    with pytest.raises(PermissionDenied):
        pool(UserFactory(), needs)
    assert not ChallengeNeed.objects.exists()


def test_publishing_tells_each_needs_owners_once_in_their_language(
    index, curator, needs, django_capture_on_commit_callbacks
):
    challenge = pool(curator, needs)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        challenge_publish(challenge=challenge, actor=curator)

    challenge.refresh_from_db()
    assert challenge.live is True
    owners = {need.created_by.email: need.created_by for need in needs}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(owners)
    signature = "TechFloor, the science and technology trading floor of the Innovation Center"
    with translation.override("vi"):
        signatures = {"vi": gettext(signature), "en": signature}
    assert signatures["vi"] != signatures["en"]
    for message in mail.outbox:
        assert signatures[owners[message.to[0]].preferred_language] in message.body
        assert f"/vi/bai-toan-cong-nghe/{challenge.slug}/" in message.body
    assert all(link.owners_notified_at for link in challenge.source_needs.all())

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        challenge_publish(challenge=challenge, actor=curator)
    assert mail.outbox == []


def test_the_public_page_shows_public_summaries_only(client, index, curator, needs):
    hidden = published_need(title="Nhu cầu chỉ cán bộ thấy", visibility=Listing.Visibility.STAFF)
    challenge = pool(curator, [*needs, hidden])
    challenge_publish(challenge=challenge, actor=curator)
    needs[1].status = Listing.Status.WITHDRAWN
    needs[1].save()

    response = client.get(challenge.url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sấy lạnh trái cây giữ màu và dinh dưỡng" in page
    assert needs[0].summary in page
    assert needs[0].confidential not in page
    assert needs[0].contact_email not in page
    assert needs[1].title not in page
    assert "Nhu cầu chỉ cán bộ thấy" not in page


def test_an_unpublished_challenge_is_not_public(client, index, curator, needs):
    challenge = pool(curator, needs)

    assert client.get(f"/vi/bai-toan-cong-nghe/{challenge.slug}/").status_code == 404
