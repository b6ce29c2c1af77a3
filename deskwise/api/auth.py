from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from deskwise.accounts.models import User
from deskwise.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    """Personal API tokens: ``Authorization: Bearer dw_...``."""

    openapi_description = "A personal API token, created with `deskwise token create USERNAME`."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user
