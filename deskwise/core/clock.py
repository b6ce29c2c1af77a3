"""The one source of "now" for services.

Services read the time from here so that the demo desk and tests can place
events in the past without touching the database afterwards.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "deskwise_frozen_now", default=None
)


def now() -> dt.datetime:
    frozen = _frozen.get()
    return frozen if frozen is not None else timezone.now()


@contextlib.contextmanager
def one_moment() -> Iterator[dt.datetime]:
    """Hold "now" still for a block, so everything one change writes shares a time."""
    frozen = _frozen.get()
    if frozen is not None:
        yield frozen
        return
    moment = timezone.now()
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)


@contextlib.contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
