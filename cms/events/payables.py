"""The event fee as a payments payable: the payable id is the registration's id."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import membership_get
from cms.events import services
from cms.models import EventRegistration
from payments.models import Order
from payments.payables import Description


class EventRegistrationPayable:
    """A registration awaiting payment is bought at its event's fee, by its organisation."""

    def describe(self, payable_id: int) -> Description:
        registration = EventRegistration.objects.select_related("event__fee").get(pk=payable_id)
        event = registration.event
        return Description(
            _("Registration for “%(event)s”") % {"event": event.title}, event.fee.amount
        )

    def is_payable(self, payable_id: int, user: User) -> bool:
        registration = (
            EventRegistration.objects.filter(
                pk=payable_id, status=EventRegistration.Status.AWAITING_PAYMENT
            )
            .select_related("organisation", "event")
            .first()
        )
        return (
            registration is not None
            and registration.event.fee_id is not None
            and membership_get(user=user, organisation=registration.organisation) is not None
        )

    def fulfil(self, payable_id: int, order: Order) -> None:
        services.registration_confirm(registration_id=payable_id, order=order)

    def revoke(self, payable_id: int, order: Order) -> None:
        services.registration_revoke(registration_id=payable_id, order=order)
