"""Registering for an event: who may, what they bring, the capacity, the fee through payments,
cancelling, and what the pages show to whom."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import PageViewRestriction

from accounts.models import Organisation
from cms.events import services
from cms.events.services import EVENT_REGISTRATION
from cms.models import EventRegistration
from market.models import Listing
from payments import services as payment_services
from payments.models import Order, PriceItem
from tests.cms.eventkit import make_event, member, registered
from tests.conftest import login_with_totp
from tests.factories import PublishedListingFactory, StaffFactory
from tests.payments.factories import PriceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_event():
    return make_event(fee=PriceItemFactory(kind=PriceItem.Kind.EVENT_FEE, amount=1_500_000))


def test_a_free_event_confirms_at_once_with_the_listings_brought_and_an_email(
    django_capture_on_commit_callbacks,
):
    event = make_event()
    user, organisation = member()
    listing = PublishedListingFactory(organisation=organisation)

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(
            event=event, organisation=organisation, actor=user, listings=[listing]
        )

    assert registration.status == EventRegistration.Status.CONFIRMED
    assert list(registration.listings.all()) == [listing]
    assert registration.order_reference == ""
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert event.title in mail.outbox[0].subject


def test_an_unverified_organisation_is_refused_and_nothing_is_saved():
    event = make_event()
    user, organisation = member(verification_status=Organisation.Verification.PENDING)

    with pytest.raises(PermissionDenied):
        services.registration_create(event=event, organisation=organisation, actor=user)

    assert not EventRegistration.objects.exists()


def test_only_a_member_may_register_the_organisation():
    event = make_event()
    _, organisation = member()
    outsider, _ = member()

    with pytest.raises(PermissionDenied):
        services.registration_create(event=event, organisation=organisation, actor=outsider)

    assert not EventRegistration.objects.exists()


@pytest.mark.parametrize("whose", ["someone_else", "draft"])
def test_only_own_published_listings_may_be_brought(whose):
    event = make_event()
    user, organisation = member()
    listing = (
        PublishedListingFactory()
        if whose == "someone_else"
        else PublishedListingFactory(organisation=organisation, status=Listing.Status.DRAFT)
    )

    with pytest.raises(ValidationError) as error:
        services.registration_create(
            event=event, organisation=organisation, actor=user, listings=[listing]
        )

    assert error.value.message_dict == {
        "listings": ["Bring only your organisation's published listings."]
    }
    assert not EventRegistration.objects.exists()


def test_an_organisation_registers_once_but_may_again_after_cancelling():
    event = make_event()
    user, registration, _ = registered(event)

    with pytest.raises(ValidationError) as error:
        services.registration_create(
            event=event, organisation=registration.organisation, actor=user
        )
    assert error.value.code == "registered"

    services.registration_cancel(registration=registration, actor=user)
    again = services.registration_create(
        event=event, organisation=registration.organisation, actor=user
    )
    assert again.status == EventRegistration.Status.CONFIRMED
    assert EventRegistration.objects.filter(event=event).count() == 2


def test_the_last_place_is_taken_once_and_a_cancellation_frees_it():
    event = make_event(capacity=1)
    first_user, first, _ = registered(event)
    user, organisation = member()

    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, organisation=organisation, actor=user)
    assert error.value.messages == ["This event is full."]

    services.registration_cancel(registration=first, actor=first_user)
    assert services.registration_create(event=event, organisation=organisation, actor=user)


def test_registration_closed_is_refused():
    from django.utils import timezone

    event = make_event(registration_opens_at=timezone.now() + timezone.timedelta(days=1))
    user, organisation = member()

    with pytest.raises(ValidationError) as error:
        services.registration_create(event=event, organisation=organisation, actor=user)

    assert error.value.code == "closed"


def test_a_paid_event_places_an_order_at_the_server_price_and_waits_for_it(paid_event):
    user, organisation = member()

    registration = services.registration_create(
        event=paid_event, organisation=organisation, actor=user
    )

    order = Order.objects.get(reference=registration.order_reference)
    assert registration.status == EventRegistration.Status.AWAITING_PAYMENT
    assert order.total == 1_500_000
    assert order.status == Order.Status.PENDING
    line = order.lines.get()
    assert (line.payable_type, line.payable_id, line.amount) == (
        EVENT_REGISTRATION,
        registration.pk,
        1_500_000,
    )
    assert line.description == f"Registration for “{paid_event.title}”"


def test_marking_the_transfer_received_confirms_and_refunding_cancels(
    paid_event, django_capture_on_commit_callbacks
):
    user, organisation = member()
    registration = services.registration_create(
        event=paid_event, organisation=organisation, actor=user
    )
    order = Order.objects.get(reference=registration.order_reference)
    finance = StaffFactory(groups=["Finance"])

    with django_capture_on_commit_callbacks(execute=True):
        payment_services.order_mark_paid(order=order, actor=finance, bank_reference="FT2611")

    registration.refresh_from_db()
    assert registration.status == EventRegistration.Status.CONFIRMED
    assert any(paid_event.title in message.subject for message in mail.outbox)

    payment_services.order_refund(order=order, actor=finance, note="Chuyển trả FT2612")

    registration.refresh_from_db()
    assert registration.status == EventRegistration.Status.CANCELLED


def test_cancelling_while_awaiting_payment_cancels_the_order(paid_event):
    user, organisation = member()
    registration = services.registration_create(
        event=paid_event, organisation=organisation, actor=user
    )

    services.registration_cancel(registration=registration, actor=user)

    registration.refresh_from_db()
    assert registration.status == EventRegistration.Status.CANCELLED
    assert Order.objects.get(reference=registration.order_reference).status == (
        Order.Status.CANCELLED
    )


def test_the_register_page_sends_the_registrant_to_the_order_page(client, paid_event):
    user, organisation = member()
    listing = PublishedListingFactory(organisation=organisation)
    client.force_login(user)

    response = client.post(
        f"/vi/portal/events/{paid_event.pk}/register/", {"listings": [listing.pk]}
    )

    registration = EventRegistration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/vi/portal/orders/{registration.order_reference}/"


def test_the_register_page_names_the_field_of_a_foreign_listing(client):
    event = make_event()
    user, _ = member()
    client.force_login(user)
    foreign = PublishedListingFactory()

    response = client.post(f"/en/portal/events/{event.pk}/register/", {"listings": [foreign.pk]})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_an_unverified_organisation_sees_why_on_the_register_page(client):
    event = make_event()
    user, _ = member(verification_status=Organisation.Verification.PENDING)
    client.force_login(user)

    response = client.post(f"/en/portal/events/{event.pk}/register/", {})

    assert "Only verified organisations may register for events." in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_registering_needs_a_login(client):
    event = make_event()

    response = client.get(f"/vi/portal/events/{event.pk}/register/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_participants_are_seen_only_by_confirmed_participants(client, paid_event):
    event = make_event()
    participant, _, listing = registered(event)
    outsider, _ = member()
    waiting, organisation = member()
    services.registration_create(event=paid_event, organisation=organisation, actor=waiting)
    url = f"/vi/portal/events/{event.pk}/participants/"

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(waiting)
    assert client.get(f"/vi/portal/events/{paid_event.pk}/participants/").status_code == 404
    client.force_login(participant)
    response = client.get(url)
    assert response.status_code == 200
    assert listing.title in response.content.decode()


def test_editors_list_and_export_an_events_registrations(client, staff_totp_secret):
    """Staff who may edit the event's page (Wagtail's Editors here) manage its registrations."""
    event = make_event()
    _, registration, listing = registered(event)
    editor = StaffFactory(groups=["Editors"])
    TOTP.activate(editor, staff_totp_secret)
    login_with_totp(client, user=editor, secret=staff_totp_secret)

    event_list = client.get("/admin/events/")
    listing_page = client.get(f"/admin/events/{event.pk}/")
    export = client.get(f"/admin/events/{event.pk}/export.csv")

    assert f"/admin/events/{event.pk}/" in event_list.content.decode()
    assert registration.organisation.legal_name in listing_page.content.decode()
    text = export.content.decode("utf-8-sig")
    assert registration.organisation.legal_name in text
    assert listing.title in text


def test_a_curator_who_does_not_edit_events_cannot_export_registrations(curator_client):
    event = make_event()
    registered(event)

    event_list = curator_client.get("/admin/events/")
    response = curator_client.get(f"/admin/events/{event.pk}/export.csv")

    assert event_list.status_code == 200
    assert f"/admin/events/{event.pk}/" not in event_list.content.decode()

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_member_cannot_open_the_staff_registration_list(client):
    event = make_event()
    user, _, _ = registered(event)
    client.force_login(user)

    response = client.get(f"/admin/events/{event.pk}/export.csv")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _restricted(event, restriction_type: str, group: Group | None = None) -> None:
    restriction = PageViewRestriction.objects.create(page=event, restriction_type=restriction_type)
    if group is not None:
        restriction.groups.add(group)


def test_a_member_registers_for_a_members_only_event_from_its_page(client):
    event = make_event()
    _restricted(event, PageViewRestriction.LOGIN)
    user, _ = member()
    client.force_login(user)

    page = client.get(event.url)
    response = client.post(f"/vi/portal/events/{event.pk}/register/", {})

    assert f"/portal/events/{event.pk}/register/" in page.content.decode()
    assert response.status_code == 302
    assert EventRegistration.objects.get().event == event


def test_an_event_for_a_group_is_not_there_for_a_member_outside_it(client):
    event = make_event()
    guests = Group.objects.create(name="Khách mời")
    _restricted(event, PageViewRestriction.GROUPS, guests)
    outsider, _ = member()
    guest, _ = member()
    guest.groups.add(guests)

    client.force_login(outsider)
    refused = client.get(f"/vi/portal/events/{event.pk}/register/")
    client.force_login(guest)
    allowed = client.get(f"/vi/portal/events/{event.pk}/register/")

    assert refused.status_code == 404
    assert allowed.status_code == 200
