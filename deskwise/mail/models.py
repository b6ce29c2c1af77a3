from __future__ import annotations

from django.db import models

from deskwise.mail.choices import AuthMethod, InboundStatus, MailboxKind, Outcome, Security


class Mailbox(models.Model):
    """Where a team's mail arrives. Its credential lives apart, encrypted."""

    name = models.CharField(max_length=80, unique=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="mailboxes")
    kind = models.CharField(max_length=8, choices=MailboxKind.choices, default=MailboxKind.IMAP)
    address = models.EmailField(
        max_length=254,
        unique=True,
        help_text="The address people write to. Mail delivered for it goes to this mailbox.",
    )
    is_active = models.BooleanField(default=True)

    host = models.CharField(max_length=255, blank=True, help_text="IMAP server.")
    port = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: 993 or 143.")
    security = models.CharField(max_length=8, choices=Security.choices, default=Security.TLS)
    username = models.CharField(max_length=255, blank=True)
    auth = models.CharField(max_length=8, choices=AuthMethod.choices, default=AuthMethod.PASSWORD)
    folder = models.CharField(max_length=255, default="INBOX")
    move_to = models.CharField(
        max_length=255,
        blank=True,
        help_text="Move processed mail to this folder; empty marks it as read instead.",
    )
    path = models.CharField(max_length=500, blank=True, help_text="Maildir folder on this server.")

    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    polling_until = models.DateTimeField(
        null=True, blank=True, help_text="A poll holds the mailbox until then."
    )

    class Meta:
        verbose_name_plural = "mailboxes"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    @property
    def imap_port(self) -> int:
        return self.port or (993 if self.security == Security.TLS else 143)


class MailboxSecret(models.Model):
    """A mailbox's password or access token, sealed with the desk's key.

    Kept out of the Mailbox row so that listing, logging or serialising a
    mailbox can never carry it; ``__str__`` and ``__repr__`` never show it.
    """

    mailbox = models.OneToOneField(Mailbox, on_delete=models.CASCADE, related_name="secret")
    sealed = models.TextField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"credential of {self.mailbox.name} (hidden)"

    def __repr__(self) -> str:
        return f"<MailboxSecret of mailbox {self.mailbox_id}>"


class InboundMessage(models.Model):
    """One received message, stored byte for byte before anything reads it.

    Processing never changes ``raw``; a failure keeps the message here, with
    its error, for an admin to retry or discard.
    """

    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    raw = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    dedupe_key = models.CharField(
        max_length=300, unique=True, help_text="The Message-ID, or the SHA-256 when it has none."
    )
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    envelope_from = models.CharField(max_length=254, blank=True)
    envelope_to = models.JSONField(default=list, blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text="Where it came from (IMAP UID, file name...)."
    )
    received_at = models.DateTimeField()

    status = models.CharField(
        max_length=10, choices=InboundStatus.choices, default=InboundStatus.PENDING
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was ignored, or what failed.")
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    # What the admin list shows, filled in when parsed.
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    html = models.TextField(blank=True, help_text="The sanitised HTML body, for the original view.")

    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.ForeignKey(
        "tickets.TimelineEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "received_at"], name="inbound_status"),
            models.Index(fields=["mailbox", "source"], name="inbound_source"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address or self.envelope_from or 'unknown sender'}: {self.subject}"
