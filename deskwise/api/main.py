"""The REST API at /api/v1/: one NinjaAPI, routers from the domain apps."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from deskwise.api.auth import TokenAuth
from deskwise.core.errors import InvalidInput, ServiceError

logger = logging.getLogger(__name__)


class ObjectParser(Parser):
    """Every request body is one JSON object; anything else is refused (400)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


api = NinjaAPI(
    parser=ObjectParser(),
    title="Deskwise API",
    version="1",
    description=(
        "Tickets, their timelines and the actions agents take on them, on the same services "
        "and permissions as the desk. Authenticate with a personal token: "
        "`Authorization: Bearer <token>`. Lists use cursor pagination: pass the "
        "`next_cursor` of one page as `cursor` to get the next. Errors are "
        "`{code, message, fields}`."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload", "filters")
        ]
        fields.setdefault(".".join(loc) or "request", []).append(str(error.get("msg", "Invalid.")))
    summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
    return _error(request, 422, "invalid", f"The request is not valid. {summary}"[:1000], fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        "unauthenticated",
        "Send a valid personal API token as 'Authorization: Bearer <token>'.",
    )
    response["WWW-Authenticate"] = 'Bearer realm="deskwise"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return _error(request, 400, "bad_request", "The request body must be one JSON object.")
    return _error(request, exc.status_code, "error", str(exc))


def _remember_query_params(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Note on each request which query parameters its operation declares."""
    operation = run.__self__  # type: ignore[attr-defined]
    allowed: frozenset[str] = frozenset(
        name
        for model in operation.models
        if model.__ninja_param_source__ == "query"
        for name in getattr(model, "__ninja_flatten_map__", {})
    )

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.deskwise_query_params = allowed  # type: ignore[attr-defined]
        return run(request, *args, **kwargs)

    return wrapper


def _refuse_unknown_query(view: Callable[..., Any]) -> Callable[..., Any]:
    """A misspelt filter must not quietly return everything: unknown query
    parameters are refused (after authentication, so a stranger learns nothing)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        allowed: frozenset[str] = getattr(request, "deskwise_query_params", frozenset())
        unknown = sorted(set(request.GET) - allowed)
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            raise InvalidInput(
                f"Unknown query parameter {names}.",
                fields={
                    name or "(empty)": ["Not a parameter of this operation."] for name in unknown
                },
            )
        return view(request, *args, **kwargs)

    return wrapper


api.add_decorator(_remember_query_params, mode="view")
api.add_decorator(_refuse_unknown_query, mode="operation")


def _mount() -> None:
    from deskwise.accounts.api import router as accounts_router
    from deskwise.coach.api import router as coach_router
    from deskwise.feedback.api import router as feedback_router
    from deskwise.kb.api import router as kb_router
    from deskwise.outcomes.api import decisions_router, off_channel_router, register_router
    from deskwise.problems.api import router as problems_router
    from deskwise.reports.api import router as reports_router
    from deskwise.search.api import router as search_router
    from deskwise.search.api import suggest_router
    from deskwise.tickets.api import queue_router
    from deskwise.tickets.api import router as tickets_router
    from deskwise.timelog.api import router as timelog_router
    from deskwise.timelog.api import timer_router
    from deskwise.triage.api import measures_router
    from deskwise.triage.api import router as triage_router

    api.add_router("", accounts_router)
    api.add_router("/tickets", tickets_router)
    api.add_router("/queue", queue_router)
    api.add_router("/categories", triage_router)
    api.add_router("/triage", measures_router)
    api.add_router("/tickets", decisions_router)
    api.add_router("/declines", register_router)
    api.add_router("/off-channel", off_channel_router)
    api.add_router("/kb", kb_router)
    api.add_router("/search", search_router)
    api.add_router("/kb/suggest", suggest_router)
    api.add_router("/surveys", feedback_router)
    api.add_router("/problems", problems_router)
    api.add_router("/coach", coach_router)
    api.add_router("/tickets", timelog_router)
    api.add_router("/timer", timer_router)
    api.add_router("/reports", reports_router)


_mount()
