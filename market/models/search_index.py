"""Objects whose Elasticsearch document may be out of date (used only when ELASTICSEARCH_URL is
set): a row is written in the same transaction as the change and deleted only after the
document was written, so a change is never lost when Elasticsearch or the broker is down."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Marks cleared per statement: each is one OR term, and SQLite limits an expression's depth.
CLEAR_BATCH = 200


class SearchIndexDirty(models.Model):
    """One object (``kind`` names its index: listings, organisations, calls) waiting to be
    written to or deleted from its Elasticsearch index."""

    kind = models.CharField(_("index"), max_length=30)
    object_id = models.BigIntegerField(_("object id"))
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_dirty_once")
        ]
        indexes = [models.Index(fields=["kind", "marked_at"], name="search_dirty_oldest")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @classmethod
    def mark(cls, *, kind: str, object_ids: Iterable[int]) -> None:
        """Mark objects dirty, or mark them again (a newer ``marked_at``) if they already are:
        one upsert, safe when two transactions mark the same object."""
        now = timezone.now()
        rows = [cls(kind=kind, object_id=pk, marked_at=now) for pk in dict.fromkeys(object_ids)]
        if rows:
            cls.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=["marked_at"],
            )

    @classmethod
    def snapshot(cls, *, kind: str, object_ids: Iterable[int]) -> dict[int, datetime]:
        """The marks as they are before a document is read from the database."""
        return dict(
            cls.objects.filter(kind=kind, object_id__in=list(object_ids)).values_list(
                "object_id", "marked_at"
            )
        )

    @classmethod
    def clear(cls, *, kind: str, snapshot: dict[int, datetime]) -> int:
        """Delete the marks of a ``snapshot`` whose document is now written; a mark made again
        meanwhile (a newer ``marked_at``) stays for the next write."""
        marks = list(snapshot.items())
        deleted = 0
        for start in range(0, len(marks), CLEAR_BATCH):
            condition = models.Q()
            for object_id, marked_at in marks[start : start + CLEAR_BATCH]:
                condition |= models.Q(object_id=object_id, marked_at=marked_at)
            deleted += cls.objects.filter(condition, kind=kind).delete()[0]
        return deleted
