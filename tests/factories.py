"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.vn import mst

from accounts.models import Invitation, Membership, Organisation, User, VerificationRequest
from accounts.provinces import Province

PASSWORD = "correct-horse-battery-staple"

# A minimal, valid PDF: enough for a file field that checks the extension and size.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def valid_tax_code(n: int) -> str:
    """The n-th valid Vietnamese tax code, derived deterministically from a counter."""
    while True:
        base = f"{(n * 7919) % 10**9:09d}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:
            return base + check
        n += 1


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
