"""Keyset pagination: pages found through an index, never by OFFSET.

A cursor holds the sort key of the last row shown; the next page is the rows
whose key is greater (or smaller, for descending order). The cost of page
1,000 is the cost of page 1.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import F, Field, Model, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from deskwise.core.errors import InvalidCursor

MAX_LIMIT = 100


@dataclass(frozen=True)
class Page[M: Model]:
    items: list[M]
    next_cursor: str | None


def _encode(values: Sequence[Any]) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(model: type[Model], fields: Sequence[str], cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(raw, list) or len(raw) != len(fields):
            raise ValueError("wrong shape")
        values = []
        for name, value in zip(fields, raw, strict=True):
            if value is None or isinstance(value, (dict, list)):
                raise ValueError("unexpected value")
            field = cast("Field[Any, Any]", model._meta.get_field(name))
            values.append(field.to_python(value))
        return values
    except Exception as exc:  # any malformed cursor is the same client error
        raise InvalidCursor(
            "This page link is no longer valid; start again from the first page.",
            fields={"cursor": ["Not a cursor this server issued."]},
        ) from exc


def keyset_page[M: Model](
    queryset: QuerySet[M], *, ordering: Sequence[str], cursor: str | None, limit: int
) -> Page[M]:
    """One page of ``queryset`` in ``ordering``; fields must be non-null.

    All ordering fields share one direction (all ascending or all descending),
    so that the position is a single row-value comparison an index can serve.
    """
    descending = {name.startswith("-") for name in ordering}
    if len(descending) != 1:
        raise ValueError("keyset ordering fields must share one direction")
    desc = descending.pop()
    fields = [name.lstrip("-") for name in ordering]
    limit = max(1, min(limit, MAX_LIMIT))
    qs = queryset.order_by(*ordering)
    if cursor:
        values = _decode(queryset.model, fields, cursor)
        key = Tuple(*(F(name) for name in fields))
        qs = qs.filter((TupleLessThan if desc else TupleGreaterThan)(key, tuple(values)))
    rows = list(qs[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode([getattr(last, _attname(queryset.model, n)) for n in fields])
    return Page(items=rows, next_cursor=next_cursor)


def _attname(model: type[Model], name: str) -> str:
    return model._meta.get_field(name).attname  # type: ignore[union-attr]
