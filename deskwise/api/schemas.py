"""Shapes shared by every API resource."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class Error(Schema):
    code: str = Field(description="Stable, machine-readable: invalid, not_found, conflict, ...")
    message: str = Field(description="What went wrong, written for a person.")
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages per input field, when input was at fault."
    )


# Responses every authenticated operation may give, beside its own success.
AUTH_ERRORS: dict[int, type[Schema]] = {401: Error}
READ_ERRORS: dict[int, type[Schema]] = {**AUTH_ERRORS, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 403: Error, 409: Error, 400: Error}


class UserRef(Schema):
    id: int
    name: str


class TeamRef(Schema):
    id: int
    name: str
