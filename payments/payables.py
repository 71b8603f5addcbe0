"""The one thing other rooms know of payments: a payable. A room that sells something
registers a handler under a key (``register_payable("featured_listing", handler)``), and orders
then refer to its things by that key and an id — payments imports none of them.

The handler protocol (``PayableHandler``):

- ``describe(payable_id)`` names the thing and prices one of it, in whole đồng;
- ``is_payable(payable_id, user)`` says whether the user may buy it now;
- ``fulfil(payable_id, order)`` delivers it once the order is paid, by bank transfer or by card
  alike; payments calls it exactly once per order line, inside the payment's transaction and
  under the order's row lock, so it must not call out to the network (enqueue on commit
  instead), and raising rolls the payment back;
- ``revoke(payable_id, order)`` (optional) withdraws what was delivered when finance refund a
  paid order, in the refund's transaction: cancel an event registration, end a featured
  listing early. A handler without it keeps what was delivered.

The price list is itself a payable ("price_item"), for fees that stand on their own."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from accounts.models import User
    from payments.models import Order


class Description(NamedTuple):
    """What a payable is called on the order and what one of it costs, in whole đồng."""

    description: str
    amount: int


class PayableHandler(Protocol):
    def describe(self, payable_id: int) -> Description:
        """Name and unit price of the payable, computed on the server."""

    def fulfil(self, payable_id: int, order: Order) -> None:
        """Deliver what was paid for; called once per order line, inside the payment's
        transaction."""

    def is_payable(self, payable_id: int, user: User) -> bool:
        """Whether ``user`` may buy this payable now."""


class RevocablePayableHandler(PayableHandler, Protocol):
    def revoke(self, payable_id: int, order: Order) -> None:
        """Withdraw what ``fulfil`` delivered; called once per fulfilled line when the order is
        refunded, inside the refund's transaction."""


_HANDLERS: dict[str, PayableHandler] = {}


def register_payable(key: str, handler: PayableHandler) -> None:
    """Declare a payable type once, usually from the selling room's ``AppConfig.ready()``."""
    if key in _HANDLERS and _HANDLERS[key] is not handler:
        raise ValueError(f"A payable type {key!r} is already registered.")
    _HANDLERS[key] = handler


def unregister_payable(key: str) -> None:
    """Forget a payable type (for tests that register their own)."""
    _HANDLERS.pop(key, None)


def payable_handler(key: str) -> PayableHandler:
    """The handler of a payable type, or a ValidationError naming the unknown type."""
    try:
        return _HANDLERS[key]
    except KeyError:
        raise ValidationError(
            _("Nothing of the kind “%(kind)s” can be paid for.") % {"kind": key},
            code="unknown_payable",
        ) from None


def payable_revoke(key: str, payable_id: int, order: Order) -> None:
    """Ask the handler of a refunded line to withdraw it, if it knows how."""
    revoke = getattr(payable_handler(key), "revoke", None)
    if revoke is not None:
        revoke(payable_id, order)


class PriceItemPayable:
    """An entry of the price list bought as it is: nothing to deliver beyond the payment."""

    def describe(self, payable_id: int) -> Description:
        from payments.models import PriceItem

        item = PriceItem.objects.get(pk=payable_id)
        return Description(item.name, item.amount)

    def fulfil(self, payable_id: int, order: Order) -> None:
        return None

    def is_payable(self, payable_id: int, user: User) -> bool:
        from payments.models import PriceItem

        return PriceItem.objects.filter(pk=payable_id, is_active=True).exists()


PRICE_ITEM = "price_item"
register_payable(PRICE_ITEM, PriceItemPayable())
