"""Suggested challenges: similar needs of different organisations grouped deterministically,
and the curator's screen that pools them through the startups service."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail

from market.models import Listing
from matching.clusters import suggest_challenges
from startups.models import ChallengePage
from tests.conftest import login_with_totp
from tests.factories import StaffFactory
from tests.startups.factories_challenges import ChallengeIndexPageFactory, published_need

pytestmark = pytest.mark.django_db

URL = "/admin/matches/challenges/"


@pytest.fixture
def needs(db):
    """Two needs for cold drying of fruit from two enterprises, one about payroll software."""
    mango = published_need(
        title="Cần công nghệ sấy lạnh xoài giữ màu",
        summary="Sấy lạnh xoài cát Hòa Lộc giữ màu và hương, 2 tấn mỗi mẻ.",
        keywords=["sấy lạnh", "xoài"],
    )
    durian = published_need(
        title="Cần công nghệ sấy lạnh sầu riêng giữ màu",
        summary="Sấy lạnh sầu riêng giữ màu và hương, 1 tấn mỗi mẻ.",
        keywords=["sấy lạnh", "sầu riêng"],
    )
    payroll = published_need(
        title="Phần mềm chấm công và tính lương",
        summary="Quản lý nhân sự cho 300 công nhân.",
        keywords=["nhân sự"],
        description="<p>Phần mềm trên điện thoại.</p>",
        problem="Chấm công bằng giấy.",
        desired_outcome="Bảng lương tự động.",
    )
    return mango, durian, payroll


def test_similar_needs_of_different_enterprises_are_suggested_together(needs):
    mango, durian, _payroll = needs

    suggestions = suggest_challenges()

    assert [suggestion.needs for suggestion in suggestions] == [(mango, durian)]
    assert suggestions[0].organisation_count == 2
    assert 0.3 <= suggestions[0].similarity <= 1
    assert suggest_challenges() == suggestions


def test_needs_of_one_enterprise_alone_are_not_a_challenge(needs):
    mango, durian, _payroll = needs
    durian.organisation = mango.organisation
    durian.save()

    assert suggest_challenges() == []


def test_pooled_needs_are_not_suggested_again(
    curator_client, needs, django_capture_on_commit_callbacks
):
    client = curator_client
    mango, durian, _payroll = needs
    ChallengeIndexPageFactory()

    screen = client.get(URL)
    assert screen.status_code == 200
    assert mango.title in screen.content.decode()

    response = client.post(
        URL,
        {
            "needs": [mango.pk, durian.pk],
            "title": "Sấy lạnh trái cây giữ màu",
            "problem": "Sấy nóng làm mất màu.",
        },
    )

    challenge = ChallengePage.objects.get()
    assert response.status_code == 302
    # Curators hold no page permissions: they finish on this screen, not in the page editor.
    assert response["Location"] == URL
    assert [link.need for link in challenge.source_needs.all()] == [mango, durian]
    assert challenge.live is False
    assert suggest_challenges() == []
    screen = client.get(URL).content.decode()
    assert "Không có nhóm nhu cầu tương tự nào đang chờ gộp." in screen
    assert challenge.title in screen

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(URL, {"publish": challenge.pk})

    assert published.status_code == 302
    challenge.refresh_from_db()
    assert challenge.live is True
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [mango.created_by.email, durian.created_by.email]
    )


def test_staff_outside_curation_may_not_see_or_use_the_suggestions(client, needs):
    mango, durian, _payroll = needs
    ChallengeIndexPageFactory()
    member = StaffFactory(groups=["Finance"])
    secret = pyotp.random_base32()
    TOTP.activate(member, secret)
    login_with_totp(client, user=member, secret=secret)

    assert client.get(URL).status_code == 403
    response = client.post(URL, {"needs": [mango.pk, durian.pk], "title": "T", "problem": "P"})

    assert response.status_code == 403
    assert not ChallengePage.objects.exists()
    assert client.post(URL, {"publish": 1}).status_code == 403
    assert Listing.objects.filter(challenge_links__isnull=False).count() == 0
