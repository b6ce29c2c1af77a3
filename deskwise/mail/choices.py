"""Named values of the email channel."""

from __future__ import annotations

from django.db import models


class MailboxKind(models.TextChoices):
    IMAP = "imap", "IMAP mailbox, polled"
    LMTP = "lmtp", "Delivered by a mail server (LMTP/SMTP listener or pipe)"
    MAILDIR = "maildir", "Maildir folder, polled"


class Security(models.TextChoices):
    TLS = "tls", "TLS (IMAPS, usually port 993)"
    STARTTLS = "starttls", "STARTTLS (usually port 143)"
    NONE = "none", "None (only for a server on this machine)"


class AuthMethod(models.TextChoices):
    PASSWORD = "password", "Password"
    XOAUTH2 = "xoauth2", "OAuth 2 access token (XOAUTH2)"


class InboundStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be processed"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored (bounce, auto-reply, our own mail)"
    FAILED = "failed", "Failed: needs an admin"
    DISCARDED = "discarded", "Discarded by an admin"


# Rows whose work is done: the mailbox copy may be marked or moved.
SETTLED_STATES = frozenset(
    {InboundStatus.PROCESSED, InboundStatus.IGNORED, InboundStatus.FAILED, InboundStatus.DISCARDED}
)


class Outcome(models.TextChoices):
    NEW_TICKET = "new_ticket", "Opened a ticket"
    ADDED = "added", "Added to a ticket"
    NOTE = "note", "Added as an agent's note"
    BOUNCE = "bounce", "Recorded a delivery failure"
    NOISE = "noise", "Ignored as automatic mail"
