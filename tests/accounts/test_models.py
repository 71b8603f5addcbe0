import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import Organisation, Sector, validate_tax_code
from accounts.provinces import REGION_OF_PROVINCE, Province, Region, province_from_name
from tests.factories import OrganisationFactory


@pytest.mark.parametrize("tax_code", ["0100109106", "0100109106-001", "5260181597"])
def test_valid_tax_codes_pass(tax_code):
    validate_tax_code(tax_code)


@pytest.mark.parametrize(
    ("tax_code", "reason"),
    [
        ("0100109107", "the check digit does not match"),
        ("010010910", "it needs 10 digits"),
        ("01001091A6", "it may contain only digits"),
    ],
)
def test_invalid_tax_code_names_the_reason(tax_code, reason):
    with pytest.raises(ValidationError) as error:
        validate_tax_code(tax_code)

    assert error.value.messages[0].startswith(f"“{tax_code}” is not a valid Vietnamese tax code")
    assert reason in error.value.messages[0]


@pytest.mark.django_db
def test_branch_tax_code_is_stored_in_its_canonical_form():
    organisation = OrganisationFactory.build(tax_code="0100109106001", slug="branch")

    organisation.full_clean()

    assert organisation.tax_code == "0100109106-001"


@pytest.mark.django_db
def test_duplicate_tax_code_is_reported_on_the_field():
    existing = OrganisationFactory()
    duplicate = OrganisationFactory.build(tax_code=existing.tax_code, slug="another")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert error.value.message_dict == {
        "tax_code": ["An organisation with this tax code already exists."]
    }


@pytest.mark.django_db
def test_validation_messages_are_vietnamese_first():
    existing = OrganisationFactory()
    duplicate = OrganisationFactory.build(tax_code=existing.tax_code, slug="another")

    with translation.override("vi"):
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()
        messages = error.value.message_dict

    assert messages == {"tax_code": ["Đã có tổ chức sử dụng mã số thuế này."]}


@pytest.mark.django_db
def test_organisations_without_tax_code_may_coexist():
    OrganisationFactory(tax_code="")
    second = OrganisationFactory.build(tax_code="", slug="second")

    second.full_clean()


@pytest.mark.django_db
def test_sector_taxonomy_is_shipped_with_two_levels():
    top_level = Sector.objects.filter(parent=None)

    assert top_level.count() == 10
    assert Sector.objects.exclude(parent=None).count() == 35
    assert not Sector.objects.filter(parent__parent__isnull=False).exists()


@pytest.mark.django_db
def test_sector_taxonomy_refuses_a_third_level():
    child = Sector.objects.exclude(parent=None).first()
    grandchild = Sector(code="too-deep", parent=child, name_vi="Sâu", name_en="Deep")

    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()

    assert "parent" in error.value.message_dict


def test_there_are_34_provinces_each_in_a_region():
    assert len(Province.choices) == 34
    assert set(REGION_OF_PROVINCE) == set(Province.values)
    assert REGION_OF_PROVINCE[Province.DONG_THAP] == Region.MEKONG_DELTA


def test_province_names_are_recognised_with_or_without_diacritics():
    assert province_from_name("Thành phố Hồ Chí Minh") == Province.HO_CHI_MINH
    assert province_from_name("dong thap") == Province.DONG_THAP
    assert province_from_name("Atlantis") is None


def test_organisation_kinds_are_the_nine_the_floor_knows():
    assert len(Organisation.Kind.choices) == 9
