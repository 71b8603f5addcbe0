"""Incubators and co-working spaces: seats allocated and released, occupancy kept by managers,
the public directory and the managers' page."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from accounts.models import Membership, Organisation, Sector
from accounts.provinces import Province
from startups.demo import create_demo_incubators
from startups.models import Incubator, SeatAllocation, Space
from startups.selectors import incubators as selectors
from startups.services import incubators as services
from tests.conftest import login_with_totp
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.startups.factories import ApplicationFactory, IncubatorFactory, SpaceFactory

pytestmark = pytest.mark.django_db

STARTS_ON = datetime.date(2026, 9, 1)
ENDS_ON = datetime.date(2027, 8, 31)


@pytest.fixture
def programme_staff():
    return StaffFactory(groups=["Programme staff"])


@pytest.fixture
def space():
    return SpaceFactory(capacity=10, occupied=3)


@pytest.fixture
def manager(space):
    """An administrator of the organisation that runs the space's incubator."""
    return MembershipFactory(
        organisation=space.incubator.organisation, role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def startup():
    membership = MembershipFactory(
        organisation__kind=Organisation.Kind.STARTUP,
        organisation__verification_status=Organisation.Verification.VERIFIED,
        user__email="founder@agrisense.vn",
        user__preferred_language="en",
    )
    return membership.organisation


def _allocate(*, space, organisation, actor, seats=2, **extra) -> SeatAllocation:
    return services.seat_allocate(
        space=space,
        organisation=organisation,
        seats=seats,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        actor=actor,
        **extra,
    )


def _actions(instance) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(instance)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


# seat_allocate


def test_staff_allocate_places_to_an_approved_application(
    space, startup, programme_staff, mailoutbox, django_capture_on_commit_callbacks
):
    # Given an approved application of the startup and a space with 7 free places
    application = ApplicationFactory(organisation=startup, phase="approved")

    # When staff allocate 4 of them
    with django_capture_on_commit_callbacks(execute=True):
        allocation = _allocate(
            space=space,
            organisation=startup,
            actor=programme_staff,
            seats=4,
            application=application,
        )

    # Then the space has 3 free, the allocation is recorded and audited, the founder is told
    space.refresh_from_db()
    assert (space.occupied, space.free) == (7, 3)
    assert (allocation.seats, allocation.application, allocation.allocated_by) == (
        4,
        application,
        programme_staff,
    )
    assert allocation.released_at is None
    assert _actions(allocation) == ["techfloor.seat.allocate"]
    assert [message.to for message in mailoutbox] == [["founder@agrisense.vn"]]
    assert mailoutbox[0].subject.endswith(f"Places for you at {space.incubator.name}")
    assert f"{startup.legal_name} has 4 places in Desks at {space.incubator.name}." in (
        mailoutbox[0].body
    )
    assert f"/vi/incubators/{space.incubator.slug}/" in mailoutbox[0].body


def test_the_incubators_manager_may_allocate_too(space, startup, manager):
    allocation = _allocate(space=space, organisation=startup, actor=manager, seats=7)

    space.refresh_from_db()
    assert (allocation.seats, space.occupied, space.free) == (7, 10, 0)


def test_allocation_beyond_the_free_places_names_the_field(space, startup, programme_staff):
    # Given 7 free places
    # When staff ask for 8
    with pytest.raises(ValidationError) as raised:
        _allocate(space=space, organisation=startup, actor=programme_staff, seats=8)

    # Then nothing is taken and the error says how many are free
    assert raised.value.message_dict == {"seats": ["Only 7 places are free."]}
    space.refresh_from_db()
    assert space.occupied == 3
    assert SeatAllocation.objects.count() == 0


def test_one_free_place_is_named_in_the_singular(startup, programme_staff):
    space = SpaceFactory(capacity=5, occupied=4)

    with pytest.raises(ValidationError) as raised:
        _allocate(space=space, organisation=startup, actor=programme_staff, seats=2)

    assert raised.value.message_dict == {"seats": ["Only 1 place is free."]}


@pytest.mark.parametrize(
    ("seats", "ends_on", "errors"),
    [
        (0, ENDS_ON, {"seats": ["Allocate at least one place."]}),
        (
            1,
            STARTS_ON - datetime.timedelta(days=1),
            {"ends_on": ["The end date cannot be before the start date."]},
        ),  # noqa: E501
    ],
)
def test_allocation_refuses_bad_numbers_and_dates(
    space, startup, programme_staff, seats, ends_on, errors
):
    with pytest.raises(ValidationError) as raised:
        services.seat_allocate(
            space=space,
            organisation=startup,
            seats=seats,
            starts_on=STARTS_ON,
            ends_on=ends_on,
            actor=programme_staff,
        )

    assert raised.value.message_dict == errors
    assert SeatAllocation.objects.count() == 0


def test_places_go_to_approved_applications_only(space, startup, programme_staff):
    application = ApplicationFactory(organisation=startup, phase="review")

    with pytest.raises(ValidationError) as raised:
        _allocate(space=space, organisation=startup, actor=programme_staff, application=application)

    assert raised.value.message_dict == {
        "application": ["Places go to approved applications only."]
    }
    space.refresh_from_db()
    assert space.occupied == 3


def test_an_application_of_another_organisation_is_refused(space, startup, programme_staff):
    application = ApplicationFactory(phase="in_support")

    with pytest.raises(ValidationError) as raised:
        _allocate(space=space, organisation=startup, actor=programme_staff, application=application)

    assert raised.value.message_dict == {
        "application": ["This application belongs to another organisation."]
    }


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, None])
def test_others_cannot_allocate_and_nothing_changes(space, startup, role, mailoutbox):
    # Given a plain member of the incubator's organisation, or a stranger
    user = (
        MembershipFactory(organisation=space.incubator.organisation, role=role).user
        if role
        else UserFactory()
    )

    # When they try to allocate
    with pytest.raises(PermissionDenied):
        _allocate(space=space, organisation=startup, actor=user)

    # Then nothing changed
    space.refresh_from_db()
    assert space.occupied == 3
    assert SeatAllocation.objects.count() == 0
    assert ModelLogEntry.objects.count() == 0
    assert mailoutbox == []


# seat_release


def test_release_frees_the_places_once(space, startup, programme_staff, manager):
    # Given 4 places allocated
    allocation = _allocate(space=space, organisation=startup, actor=programme_staff, seats=4)

    # When the manager releases them twice
    first = services.seat_release(allocation=allocation, actor=manager)
    second = services.seat_release(allocation=allocation, actor=manager)

    # Then they are freed once, and the release is audited once
    space.refresh_from_db()
    assert space.occupied == 3
    assert first.released_at is not None
    assert second.released_at == first.released_at
    assert _actions(allocation) == ["techfloor.seat.allocate", "techfloor.seat.release"]


def test_a_stranger_cannot_release(space, startup, programme_staff):
    allocation = _allocate(space=space, organisation=startup, actor=programme_staff)

    with pytest.raises(PermissionDenied):
        services.seat_release(allocation=allocation, actor=UserFactory())

    space.refresh_from_db()
    allocation.refresh_from_db()
    assert (space.occupied, allocation.released_at) == (5, None)
    assert _actions(allocation) == ["techfloor.seat.allocate"]


# space_set_occupancy


def test_the_manager_keeps_occupancy_current(space, manager):
    services.space_set_occupancy(space=space, occupied=9, actor=manager)

    space.refresh_from_db()
    assert space.occupied == 9
    entry = ModelLogEntry.objects.for_instance(space).get()
    assert (entry.action, entry.data) == ("techfloor.space.occupancy", {"before": 3, "after": 9})


def test_occupancy_cannot_go_below_the_places_allocations_hold(
    space, startup, programme_staff, manager
):
    # Given 5 places held by two allocations, and one released allocation of 3
    _allocate(space=space, organisation=startup, actor=programme_staff, seats=2)
    _allocate(space=space, organisation=startup, actor=programme_staff, seats=3)
    released = _allocate(space=space, organisation=startup, actor=programme_staff, seats=1)
    services.seat_release(allocation=released, actor=manager)

    # When the manager records 4 taken
    with pytest.raises(ValidationError) as raised:
        services.space_set_occupancy(space=space, occupied=4, actor=manager)

    # Then it is refused, while exactly 5 is accepted
    assert raised.value.message_dict == {
        "occupied": ["Allocations hold 5 places; release them first to go lower."]
    }
    services.space_set_occupancy(space=space, occupied=5, actor=manager)
    space.refresh_from_db()
    assert space.occupied == 5


def test_occupancy_cannot_exceed_capacity(space, manager):
    with pytest.raises(ValidationError) as raised:
        services.space_set_occupancy(space=space, occupied=11, actor=manager)

    assert raised.value.message_dict == {
        "occupied": ["The space has 10 places; more cannot be taken."]
    }
    space.refresh_from_db()
    assert space.occupied == 3


def test_only_managers_set_occupancy(space, programme_staff):
    member = MembershipFactory(organisation=space.incubator.organisation).user
    member.memberships.update(role=Membership.Role.MEMBER)

    for user in (member, programme_staff):
        with pytest.raises(PermissionDenied):
            services.space_set_occupancy(space=space, occupied=0, actor=user)

    space.refresh_from_db()
    assert space.occupied == 3
    assert ModelLogEntry.objects.count() == 0


# selectors


def test_the_directory_lists_public_incubators_with_filters():
    # Given incubators in two provinces, of two kinds, with and without free places
    agriculture = Sector.objects.get(code="high-tech-agriculture")
    software = Sector.objects.get(code="software-ai")
    dong_thap = IncubatorFactory(name="A Đồng Tháp")
    dong_thap.focus_sectors.set([agriculture, Sector.objects.get(code="aquaculture")])
    SpaceFactory(incubator=dong_thap, capacity=10, occupied=10)
    SpaceFactory(incubator=dong_thap, kind=Space.Kind.LAB, capacity=2, occupied=1)
    can_tho = IncubatorFactory(
        name="B Cần Thơ", kind=Incubator.Kind.COWORKING, province=Province.CAN_THO
    )
    can_tho.focus_sectors.set([software])
    SpaceFactory(incubator=can_tho, capacity=5, occupied=5)
    IncubatorFactory(name="C hidden", is_public=False)

    def names(**filters) -> list[str]:
        return [incubator.name for incubator in selectors.incubator_list_public(filters=filters)]

    # Then each filter narrows the public ones, and a sector finds its sub-sectors
    assert names() == ["A Đồng Tháp", "B Cần Thơ"]
    assert names(kind="coworking") == ["B Cần Thơ"]
    assert names(province=Province.DONG_THAP) == ["A Đồng Tháp"]
    assert names(sector="software-ai") == ["B Cần Thơ"]
    assert names(sector="agriculture") == ["A Đồng Tháp"]
    assert names(sector="digital", province=Province.DONG_THAP) == []
    assert names(has_free_places=True) == ["A Đồng Tháp"]


def test_the_directory_reads_its_details_in_a_fixed_number_of_queries():
    for number in range(5):
        incubator = IncubatorFactory()
        incubator.focus_sectors.set(Sector.objects.filter(parent__code="agriculture")[:2])
        SpaceFactory(incubator=incubator)
        SpaceFactory(incubator=incubator, kind=Space.Kind.OFFICE, capacity=number + 1)

    with CaptureQueriesContext(connection) as queries:
        rows = [
            (incubator.organisation.legal_name, [s.free for s in incubator.spaces.all()])
            for incubator in selectors.incubator_list_public(filters={})
        ]
        sectors = [
            [s.name for s in incubator.focus_sectors.all()]
            for incubator in selectors.incubator_list_public(filters={})
        ]

    assert len(rows) == 5
    assert all(len(names) == 2 for names in sectors)
    # incubators with organisations, spaces, sectors: three queries per evaluation
    assert len(queries) == 6


def test_managers_are_owners_and_administrators_of_the_running_organisation(space, manager):
    incubator = space.incubator
    owner = MembershipFactory(organisation=incubator.organisation).user
    member = MembershipFactory(
        organisation=incubator.organisation, role=Membership.Role.MEMBER
    ).user
    hidden = IncubatorFactory(organisation=incubator.organisation, is_public=False)

    assert selectors.incubator_is_manager(incubator=incubator, user=manager) is True
    assert selectors.incubator_is_manager(incubator=incubator, user=owner) is True
    assert selectors.incubator_is_manager(incubator=incubator, user=member) is False
    assert selectors.incubator_is_manager(incubator=incubator, user=UserFactory()) is False
    assert list(selectors.incubator_list_managed(user=manager)) == sorted(
        [incubator, hidden], key=lambda i: i.name
    )
    assert list(selectors.incubator_list_managed(user=member)) == []


def test_managed_spaces_know_what_allocations_hold(space, startup, programme_staff, manager):
    kept = _allocate(space=space, organisation=startup, actor=programme_staff, seats=2)
    released = _allocate(space=space, organisation=startup, actor=programme_staff, seats=3)
    services.seat_release(allocation=released, actor=manager)

    [managed] = selectors.incubator_list_managed(user=manager)
    [managed_space] = managed.spaces.all()

    assert managed_space.held == 2
    assert managed_space.active_allocations == [kept]


# demo data


def test_demo_incubators_are_created_once():
    first = create_demo_incubators()
    second = create_demo_incubators()

    assert [incubator.pk for incubator in first] == [incubator.pk for incubator in second]
    assert Incubator.objects.count() == 3
    assert Space.objects.count() == 7
    assert all(space.occupied <= space.capacity for space in Space.objects.all())
    assert set(Incubator.objects.values_list("province", flat=True)) == {
        Province.DONG_THAP,
        Province.CAN_THO,
    }


# HTTP


def test_the_directory_page_lists_and_filters(client):
    incubator = IncubatorFactory(name="Vườn ươm Sa Đéc", kind=Incubator.Kind.INCUBATOR)
    SpaceFactory(incubator=incubator, capacity=12, occupied=4)
    IncubatorFactory(name="Cowork Cái Răng", kind=Incubator.Kind.COWORKING)

    page = client.get("/en/incubators/").content.decode()
    filtered = client.get("/en/incubators/?kind=coworking").content.decode()

    assert "Vườn ươm Sa Đéc" in page and "Cowork Cái Răng" in page
    assert "Desks: 8 free of 12" in page
    assert "Cowork Cái Răng" in filtered and "Vườn ươm Sa Đéc" not in filtered


def test_the_directory_pages_twenty_at_a_time(client):
    IncubatorFactory.create_batch(21)

    first = client.get("/en/incubators/")
    second = client.get("/en/incubators/?page=2")

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 1
    assert 'href="?page=2"' in first.content.decode()


def test_the_directory_says_when_nothing_matches(client):
    IncubatorFactory(province=Province.DONG_THAP)

    filtered = client.get("/en/incubators/?province=can-tho").content.decode()
    IncubatorFactory._meta.model.objects.all().delete()
    empty = client.get("/en/incubators/").content.decode()

    assert "No incubator or co-working space matches these filters." in filtered
    assert "No incubator or co-working space is listed yet." in empty


def test_the_detail_page_shows_capacity_services_and_contact(client):
    incubator = IncubatorFactory(
        name="Vườn ươm Doanh nghiệp KH&CN Đồng Tháp",
        facilities="Phòng thí nghiệm sấy lạnh",
        services="Cố vấn khởi nghiệp hằng tuần",
        contact_email="vuonuom@example.vn",
        contact_phone="0277 385 1234",
    )
    incubator.focus_sectors.set([Sector.objects.get(code="fruit-processing")])
    SpaceFactory(incubator=incubator, kind=Space.Kind.DESK, capacity=30, occupied=18)
    SpaceFactory(incubator=incubator, kind=Space.Kind.LAB, capacity=2, occupied=2)

    response = client.get(f"/en/incubators/{incubator.slug}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Vườn ươm Doanh nghiệp KH&amp;CN Đồng Tháp" in page
    assert "Phòng thí nghiệm sấy lạnh" in page and "Cố vấn khởi nghiệp hằng tuần" in page
    assert "Fruit processing" in page
    assert '<progress class="w-100" value="18" max="30"' in page
    assert '<progress class="w-100" value="2" max="2"' in page
    assert 'href="mailto:vuonuom@example.vn"' in page and 'href="tel:02773851234"' in page
    assert "Update occupancy" not in page


def test_hidden_or_unknown_incubators_are_not_found(client):
    hidden = IncubatorFactory(is_public=False)

    assert client.get(f"/en/incubators/{hidden.slug}/").status_code == 404
    assert client.get("/en/incubators/no-such-place/").status_code == 404


def test_the_occupancy_page_asks_anonymous_visitors_to_log_in(client, space):
    response = client.get(f"/en/portal/incubators/{space.incubator.slug}/occupancy/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_the_occupancy_page_is_for_managers_only(client, space):
    hidden = IncubatorFactory(organisation=space.incubator.organisation, is_public=False)
    member = MembershipFactory(
        organisation=space.incubator.organisation, role=Membership.Role.MEMBER
    ).user
    client.force_login(member)

    public = client.get(f"/en/portal/incubators/{space.incubator.slug}/occupancy/")
    not_public = client.get(f"/en/portal/incubators/{hidden.slug}/occupancy/")
    unknown = client.get("/en/portal/incubators/no-such-place/occupancy/")
    posted = client.post(
        f"/en/portal/incubators/{space.incubator.slug}/occupancy/",
        {"space": space.pk, f"space-{space.pk}-occupied": "0"},
    )

    assert (public.status_code, not_public.status_code, unknown.status_code) == (403, 404, 404)
    assert posted.status_code == 403
    space.refresh_from_db()
    assert space.occupied == 3


def test_a_manager_updates_occupancy_over_http(client, space, manager):
    client.force_login(manager)
    url = f"/en/portal/incubators/{space.incubator.slug}/occupancy/"

    page = client.get(url)
    response = client.post(url, {"space": space.pk, f"space-{space.pk}-occupied": "8"})

    assert page.status_code == 200
    assert f'name="space-{space.pk}-occupied"' in page.content.decode()
    assert response.status_code == 302 and response["Location"] == url
    space.refresh_from_db()
    assert space.occupied == 8
    assert "Occupancy of Desks is saved." in client.get(url).content.decode()


def test_a_manager_sees_why_a_count_is_refused(client, space, manager):
    client.force_login(manager)
    url = f"/en/portal/incubators/{space.incubator.slug}/occupancy/"

    response = client.post(url, {"space": space.pk, f"space-{space.pk}-occupied": "11"})

    assert response.status_code == 200
    assert "The space has 10 places; more cannot be taken." in response.content.decode()
    space.refresh_from_db()
    assert space.occupied == 3


def test_a_manager_releases_a_startups_places_over_http(
    client, space, startup, programme_staff, manager
):
    allocation = _allocate(space=space, organisation=startup, actor=programme_staff, seats=4)
    client.force_login(manager)
    url = f"/en/portal/incubators/{space.incubator.slug}/occupancy/"

    response = client.post(url, {"release": allocation.pk})

    assert response.status_code == 302
    allocation.refresh_from_db()
    space.refresh_from_db()
    assert allocation.released_at is not None
    assert space.occupied == 3


# Wagtail admin


@pytest.fixture
def staff_client(client, staff_totp_secret):
    staff = StaffFactory(groups=["Programme staff"])
    TOTP.activate(staff, staff_totp_secret)
    login_with_totp(client, user=staff, secret=staff_totp_secret)
    client.staff = staff
    return client


def _admin_allocation(space, startup, seats: int) -> dict:
    return {
        "space": space.pk,
        "organisation": startup.pk,
        "application": "",
        "seats": str(seats),
        "starts_on": "2026-09-01",
        "ends_on": "2027-08-31",
    }


def test_staff_allocate_in_the_admin_through_the_service(staff_client, space, startup):
    # Given 7 free places
    url = "/admin/snippets/startups/seatallocation/add/"

    # When staff ask for 8, then for 7
    refused = staff_client.post(url, _admin_allocation(space, startup, 8))
    accepted = staff_client.post(url, _admin_allocation(space, startup, 7))

    # Then the first is refused with the free count, the second takes the space full
    assert refused.status_code == 200
    # (the admin speaks the staff member's language: Vietnamese)
    assert "Chỉ còn 7 chỗ trống." in refused.content.decode()
    assert accepted.status_code == 302
    allocation = SeatAllocation.objects.get()
    space.refresh_from_db()
    assert (allocation.seats, allocation.allocated_by, space.occupied) == (
        7,
        staff_client.staff,
        10,
    )
    assert _actions(allocation) == ["techfloor.seat.allocate"]


def test_allocations_are_listed_but_never_edited_or_deleted_in_the_admin(
    staff_client, space, startup, programme_staff
):
    allocation = _allocate(space=space, organisation=startup, actor=programme_staff)
    base = "/admin/snippets/startups/seatallocation"

    listing = staff_client.get(f"{base}/")
    edit = staff_client.post(f"{base}/edit/{allocation.pk}/", _admin_allocation(space, startup, 1))
    delete = staff_client.post(f"{base}/delete/{allocation.pk}/")

    assert listing.status_code == 200
    assert startup.legal_name in listing.content.decode()
    # Wagtail answers a forbidden admin view by sending the user back to the dashboard.
    assert (edit.status_code, edit["Location"]) == (302, "/admin/")
    assert (delete.status_code, delete["Location"]) == (302, "/admin/")
    allocation.refresh_from_db()
    assert allocation.seats == 2


def test_staff_edit_incubators_and_spaces_in_the_admin(staff_client, space):
    incubator_form = staff_client.get(
        f"/admin/snippets/startups/incubator/edit/{space.incubator.pk}/"
    )
    spaces = staff_client.get("/admin/snippets/startups/space/")

    assert incubator_form.status_code == 200
    assert 'name="focus_sectors"' in incubator_form.content.decode()
    assert spaces.status_code == 200
    assert space.incubator.name in spaces.content.decode()


def test_staff_manage_spaces_without_touching_occupancy(staff_client, space):
    response = staff_client.post(
        f"/admin/snippets/startups/space/edit/{space.pk}/",
        {"incubator": space.incubator.pk, "kind": "desk", "capacity": "12", "occupied": "0"},
    )

    assert response.status_code == 302
    space.refresh_from_db()
    assert (space.capacity, space.occupied) == (12, 3)
