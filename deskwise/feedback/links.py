"""The survey link: a random token, kept only as its SHA-256.

The mail that carries the link is queued with the token sealed (encrypted
with a key derived from SECRET_KEY, see ``core.secrets``) and the link is
made from it only when the message is rendered, so neither the surveys nor
the outbox hold a working link in the clear.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.urls import reverse

from deskwise.core.secrets import seal, unseal
from deskwise.notifications.services import enrich_at_send_time

TOKEN_BYTES = 32  # 43 URL-safe characters
TOKEN_MAX = 100  # anything longer is not one of ours
SEALED_KEY = "sealed_token"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def plausible(raw: str | None) -> bool:
    """Whether a string could be a token we issued (without asking the database)."""
    return bool(raw) and len(raw or "") <= TOKEN_MAX


def survey_path(raw: str) -> str:
    return reverse("feedback:answer", kwargs={"token": raw})


def survey_url(raw: str) -> str:
    return f"{settings.BASE_URL}{survey_path(raw)}"


def sealed(raw: str) -> dict[str, str]:
    """What the survey mail's queued context holds instead of the link."""
    return {SEALED_KEY: seal(raw)}


@enrich_at_send_time("survey")
def _links(context: dict[str, Any]) -> dict[str, Any]:
    """The one-click links, made when the mail is rendered: each lands on the
    survey page with that answer chosen, where one button sends it."""
    raw = unseal(str(context.get(SEALED_KEY) or ""))
    base = survey_url(raw)
    return {
        "survey_url": base,
        "solved_url": f"{base}?solved=yes",
        "not_solved_url": f"{base}?solved=no",
        "rating_urls": [(n, f"{base}?rating={n}") for n in range(1, 6)],
    }
