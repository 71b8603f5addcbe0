"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.vn import mst

from accounts.models import Invitation, Membership, Organisation, User, VerificationRequest
from accounts.provinces import Province
from market.models import Introduction, Listing

PASSWORD = "correct-horse-battery-staple"

# A minimal, valid PDF: enough for a file field that checks the extension and size.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def valid_tax_code(n: int) -> str:
    """The n-th valid Vietnamese tax code: each n owns the bases n*1000 … n*1000+999."""
    for k in range(1000):
        base = f"{(n * 1000 + k + 10**8) % 10**9:09d}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:
            return base + check
    raise AssertionError(n)


def evidence_file(name: str = "dang-ky-kinh-doanh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose email address is verified, so they can log in."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = factory.Faker("name", locale="vi_VN")
    preferred_language = "vi"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    """Innovation Center staff in the given groups (Curators by default)."""

    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            names = extracted if extracted is not None else ["Curators"]
            self.groups.add(*Group.objects.filter(name__in=names))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.SME
    legal_name = factory.Sequence(lambda n: f"Công ty TNHH Công nghệ Số {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    tax_code = factory.Sequence(valid_tax_code)
    province = Province.DONG_THAP


class VerifiedOrganisationFactory(OrganisationFactory):
    verification_status = Organisation.Verification.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OWNER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.vn")
    role = Membership.Role.MEMBER


class VerificationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VerificationRequest

    organisation = factory.SubFactory(
        OrganisationFactory, verification_status=Organisation.Verification.PENDING
    )
    submitted_by = factory.SubFactory(UserFactory)
    evidence = factory.LazyFunction(evidence_file)


class ListingFactory(factory.django.DjangoModelFactory):
    """A complete technology offer of a verified organisation, still a draft."""

    class Meta:
        model = Listing
        skip_postgeneration_save = True

    organisation = factory.SubFactory(VerifiedOrganisationFactory)
    kind = Listing.Kind.OFFER
    title = factory.Sequence(lambda n: f"Công nghệ sấy bơm nhiệt cho nông sản {n}")
    slug = factory.Sequence(lambda n: f"listing-{n}")
    summary = "Sấy lạnh giữ màu và hương vị, tiết kiệm 40% điện năng."
    description = "<p>Hệ thống sấy bơm nhiệt cho cà phê, sầu riêng và dược liệu.</p>"
    language = "vi"
    keywords = factory.LazyFunction(lambda: ["sấy", "bơm nhiệt"])
    province = Province.LAM_DONG
    problem = "Sấy truyền thống làm mất màu và hương."
    trl = 7
    ip_status = Listing.IPStatus.PATENT
    transfer_modes = factory.LazyFunction(lambda: ["license", "consulting"])
    price_min = 300_000_000
    price_max = 500_000_000
    contact_name = "TS. Nguyễn Văn An"
    contact_email = "an@vien.example.vn"
    contact_phone = "0912 345 678"
    confidential = "Thông số: nhiệt độ 45°C, độ ẩm 12%."


class PublishedListingFactory(ListingFactory):
    status = Listing.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))


class IntroductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Introduction

    listing = factory.SubFactory(PublishedListingFactory)
    requester = factory.SubFactory(VerifiedOrganisationFactory)
    message = "Chúng tôi quan tâm tới công nghệ này."
    intended_use = "Sấy sầu riêng xuất khẩu."
