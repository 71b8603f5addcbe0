import json

import pytest
from django.core.management import CommandError, call_command

from cms.management.commands.demo_data import DEMO_LISTINGS_FILE
from market.importing import import_listings
from market.models import Listing

pytestmark = pytest.mark.django_db

ROW = {
    "external_id": "ext-1",
    "kind": "offer",
    "title": "Công nghệ sấy lạnh",
    "summary": "Giữ màu",
    "description": "<p>Mô tả</p>",
    "language": "vi",
    "keywords": ["sấy"],
    "sectors": ["drying-preservation"],
    "trl": 6,
    "ip_status": "patent",
    "transfer_modes": ["license"],
    "price": {"min": 100, "max": 200, "currency": "VND"},
    "province": "Đắk Lắk",
    "deadline": None,
    "organisation": {"name": "Viện Nhập Khẩu", "kind": "institute", "tax_code": "0100109106"},
    "contact": {"name": "Lan", "email": "lan@vien.vn", "phone": "0901"},
}


def _line(**changes) -> str:
    return json.dumps({**ROW, **changes}, ensure_ascii=False)


def test_a_valid_file_is_imported_and_published():
    report = import_listings(
        lines=[_line(), _line(external_id="ext-2", kind="need", deadline="2027-03-01")],
        publish=True,
    )

    assert report.errors == []
    assert (report.created, report.updated, report.organisations_created) == (2, 0, 1)
    listing = Listing.objects.get(external_id="ext-1")
    assert (listing.status, listing.province, listing.trl) == ("published", "dak-lak", 6)
    assert list(listing.sectors.values_list("code", flat=True)) == ["drying-preservation"]
    assert listing.organisation.is_verified


def test_reimporting_updates_by_external_id():
    import_listings(lines=[_line()])

    report = import_listings(lines=[_line(title="Công nghệ sấy lạnh thế hệ 2")])

    assert (report.created, report.updated) == (0, 1)
    assert Listing.objects.get().title == "Công nghệ sấy lạnh thế hệ 2"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("{not json", "line 2: json: not valid JSON"),
        (_line(title=None), "line 2: title: is required"),
        (_line(kind="patent"), "line 2: kind: unknown kind 'patent'"),
        (_line(trl=11), "line 2: trl: must be a whole number from 1 to 9, or null, not 11"),
        (
            _line(price={"min": -5, "max": 10, "currency": "VND"}),
            "line 2: price.min: must not be negative",
        ),
        (
            _line(price={"min": 500, "max": 10, "currency": "VND"}),
            "line 2: price: min (500) is greater than max (10)",
        ),
        (_line(external_id="ext-1"), "line 2: external_id: 'ext-1' already appears on line 1"),
        (_line(province="Atlantis"), "line 2: province: unknown province 'Atlantis'"),
        (_line(transfer_modes=["barter"]), "line 2: transfer_modes: unknown transfer mode"),
        (
            _line(organisation={"name": "X", "kind": "sme", "tax_code": "123"}),
            "line 2: organisation.tax_code: '123' is not valid",
        ),
    ],
)
def test_any_bad_line_is_reported_and_nothing_is_written(line, error):
    report = import_listings(lines=[_line(), line], publish=True)

    assert any(message.startswith(error) for message in report.errors), report.errors
    assert not Listing.objects.exists()


def test_the_command_prints_each_error_with_its_line(tmp_path, capsys):
    path = tmp_path / "listings.jsonl"
    path.write_text(
        "\n".join([_line(), _line(external_id="e2", trl=11), "{oops"]), encoding="utf-8"
    )

    with pytest.raises(CommandError, match="2 error"):
        call_command("import_listings", str(path))

    errors = capsys.readouterr().err.splitlines()
    assert errors[0].startswith("line 2: trl:")
    assert errors[1].startswith("line 3: json:")
    assert not Listing.objects.exists()


def test_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "listings.jsonl"
    path.write_text(_line(), encoding="utf-8")

    call_command("import_listings", str(path), "--dry-run")

    assert "1 valid listing(s)" in capsys.readouterr().out
    assert not Listing.objects.exists()


def test_the_shipped_demo_file_is_valid():
    report = import_listings(
        lines=DEMO_LISTINGS_FILE.read_text(encoding="utf-8").splitlines(), dry_run=True
    )

    assert report.errors == []
    assert len(report.rows) >= 150
