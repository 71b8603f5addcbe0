"""Factories of pooled challenges and ordered S&T tasks."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from wagtail.models import Page

from accounts.models import Membership, Organisation
from market.models import Listing
from startups.models import ChallengeIndexPage
from tests.factories import MembershipFactory, PublishedListingFactory
from tests.startups.factories import PageFactory


class ChallengeIndexPageFactory(PageFactory):
    class Meta:
        model = ChallengeIndexPage

    title = "Đặt hàng giải quyết bài toán công nghệ"
    slug = "bai-toan-cong-nghe"
    parent = factory.LazyFunction(lambda: Page.objects.get(depth=2, slug="home"))


def published_need(*, language: str = "vi", **fields) -> Listing:
    """A published need of a verified enterprise whose owner writes in ``language``."""
    defaults = {
        "deadline": timezone.localdate() + datetime.timedelta(days=120),
        "desired_outcome": "Quy trình chạy ổn định ở quy mô 2 tấn mỗi mẻ.",
        "confidential": "Sản lượng thật: 1.200 tấn mỗi năm, giá mua 18.000 đ/kg.",
    }
    need = PublishedListingFactory(
        kind=Listing.Kind.NEED,
        organisation__kind=Organisation.Kind.ENTERPRISE,
        **{**defaults, **fields},
    )
    owner = MembershipFactory(
        organisation=need.organisation,
        role=Membership.Role.OWNER,
        user__preferred_language=language,
    ).user
    need.created_by = owner
    need.save(update_fields=["created_by"])
    return need
