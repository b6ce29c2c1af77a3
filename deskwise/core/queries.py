"""Small query helpers shared by selectors and services."""

from __future__ import annotations

from django.db.models import Model, QuerySet


def one[M: Model](queryset: QuerySet[M]) -> M | None:
    """The row a unique lookup finds, or None; unlike ``first()`` it does not sort."""
    rows = list(queryset[:1])
    return rows[0] if rows else None
