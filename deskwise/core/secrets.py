"""Secrets the desk must be able to read back (mailbox passwords, tokens),
encrypted at rest with a key derived from SECRET_KEY.

A stolen database alone does not give away a mailbox password. Changing
SECRET_KEY makes stored secrets unreadable: they must then be entered again,
and the error says so.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    """The secret was sealed with another SECRET_KEY (or is damaged)."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"deskwise stored secrets\x00" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        raise SecretUnreadable(
            "A stored secret cannot be read: SECRET_KEY has changed since it was saved. "
            "Enter it again in the admin."
        ) from None
