"""Display helpers every page uses: sizes and ages in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from deskwise.core import clock
from deskwise.core.files import human_size


def humanise(delta: dt.timedelta) -> str:
    """A duration in the words people use: minutes, hours, days."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    if hours < 36:
        return f"{hours} hours"
    days = round(hours / 24)
    return f"{days} days"


def filesize(size: int) -> str:
    return human_size(size)


def age(moment: dt.datetime) -> str:
    return humanise(clock.now() - moment) + " ago"


GLOBALS: dict[str, Callable[..., Any]] = {}
FILTERS: dict[str, Callable[..., Any]] = {"filesize": filesize, "age": age}
