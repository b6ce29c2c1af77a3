from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from deskwise.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Agents sign in with a username, requesters usually with their email address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        lookup = {"email": username.lower()} if "@" in username else {"username__iexact": username}
        user = User.objects.filter(**lookup).first()
        if user is None and "@" in username:
            user = User.objects.filter(username__iexact=username).first()
        if user is None:
            User().set_password(password)  # same time for unknown names
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
