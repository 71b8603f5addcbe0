"""Database helpers that the ORM does not offer."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from psycopg import sql


def _copy_value(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, cls=field.encoder)
    return lambda value: value


def insert_many(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """New rows of ``model``, one tuple of ``fields`` values each. PostgreSQL takes them as one
    ``COPY`` stream, which spares a model instance and the insert parameters per row (a
    rebuild writes millions); no model default or ``auto_now`` applies there, so give every
    column. Other databases get ``bulk_create``."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=2000
        )
        return
    meta = model._meta
    adapt = [_copy_value(meta.get_field(name)) for name in fields]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table),
        sql.SQL(", ").join(sql.Identifier(meta.get_field(name).column) for name in fields),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([convert(value) for convert, value in zip(adapt, row, strict=True)])
