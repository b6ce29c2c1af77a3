"""Shapes shared by every API resource."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field

MAX_ID = 2**63 - 1


def _json_integer(value: Any) -> int:
    """An integer as JSON means it: 7 and 7.0, never true or "7"."""
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError("must be an integer")


# An id in a request body: a JSON integer in the database's range.
BodyId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_json_integer)]


class Error(Schema):
    code: str = Field(description="Stable, machine-readable: invalid, not_found, conflict, ...")
    message: str = Field(description="What went wrong, written for a person.")
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages per input field, when input was at fault."
    )


# Responses every authenticated operation may give, beside its own success.
AUTH_ERRORS: dict[int, type[Schema]] = {401: Error}
READ_ERRORS: dict[int, type[Schema]] = {**AUTH_ERRORS, 404: Error, 422: Error}
# Reads only some roles may make (the work queue, supervisors' measures).
ROLE_READ_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 403: Error}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 403: Error, 409: Error, 400: Error}


class UserRef(Schema):
    id: int
    name: str


class TeamRef(Schema):
    id: int
    name: str
