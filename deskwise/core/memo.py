"""Small configuration tables read on every request (the priority matrix,
triage rules) kept in each process for a short while.

Not the shared cache: these are read far more often than they change, a
process-local copy costs nothing to read, and an admin's change reaches every
process within the period (at once in the process that made it).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

_every: list[TimedMemo[Any]] = []


class TimedMemo[R]:
    def __init__(self, func: Callable[[], R], seconds: float) -> None:
        self.func = func
        self.seconds = seconds
        self._value: Any = None
        self._until = 0.0
        self._lock = threading.Lock()
        functools.update_wrapper(self, func)
        _every.append(self)

    def __call__(self) -> R:
        now = time.monotonic()
        if now >= self._until:
            with self._lock:
                if now >= self._until:
                    self._value = self.func()
                    self._until = now + self.seconds
        return self._value

    def forget(self) -> None:
        with self._lock:
            self._until = 0.0


def timed_memo[R](seconds: float) -> Callable[[Callable[[], R]], TimedMemo[R]]:
    """Cache a no-argument loader for ``seconds`` in this process; ``.forget()`` drops it."""

    def wrap(func: Callable[[], R]) -> TimedMemo[R]:
        return TimedMemo(func, seconds)

    return wrap


def forget_all() -> None:
    """Drop every memo of this process (tests start each case from the database)."""
    for memo in _every:
        memo.forget()
