"""Factories of payments: price list entries and orders placed through the service."""

from __future__ import annotations

import factory

from payments.models import PriceItem


class PriceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceItem

    code = factory.Sequence(lambda n: f"dinh-gia-cong-nghe-{n}")
    name = factory.Sequence(lambda n: f"Định giá công nghệ {n}")
    amount = 1_250_000
    kind = PriceItem.Kind.SERVICE
