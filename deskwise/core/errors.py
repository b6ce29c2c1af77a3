"""Errors that services raise and every surface (pages, API, mail) reports.

Each carries a stable ``code``, a message written for the person who caused
it, and optional per-field messages. Views turn them into form errors or
flash messages, the API into ``{code, message, fields}``.
"""

from __future__ import annotations


class ServiceError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class InvalidInput(ServiceError):
    code = "invalid"
    status = 422


class NotFound(ServiceError):
    """Missing and not allowed to see look the same."""

    code = "not_found"
    status = 404

    def __init__(
        self, message: str = "Not found.", *, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message, fields=fields)


class InvalidCursor(ServiceError):
    """A page cursor we did not issue: the page it names does not exist."""

    code = "invalid_cursor"
    status = 404


class NotAllowed(ServiceError):
    code = "forbidden"
    status = 403


class Conflict(ServiceError):
    """The request is valid but the ticket's state does not allow it."""

    code = "conflict"
    status = 409
