"""Tasks that the worker tests enqueue."""

from __future__ import annotations

from django.tasks import task

from deskwise.core.worker import PermanentFailure, retrying

CALLS: list[str] = []


@task()
def succeeds(label: str) -> str:
    CALLS.append(label)
    return label


@retrying(max_attempts=3, base_delay=1, max_delay=4)
@task()
def always_fails() -> None:
    CALLS.append("fail")
    raise ConnectionError("the mail server hung up")


@task()
def gives_up() -> None:
    CALLS.append("give up")
    raise PermanentFailure("the ticket is gone")
