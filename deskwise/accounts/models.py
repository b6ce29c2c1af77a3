from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from deskwise.accounts.choices import STAFF_ROLES, AutoAssign, Role


class User(AbstractUser):
    """Someone who signs in: a requester with a login, an agent, a supervisor or an admin."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REQUESTER)
    contact = models.OneToOneField(
        "accounts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        help_text="The requester identity this login speaks for.",
    )
    # Capacity: how much an agent carries at once, and when they work.
    wip_limit = models.PositiveSmallIntegerField(
        default=10,
        help_text="Tickets in progress this agent carries at most; assigning more needs a "
        "supervisor.",
    )
    working_hours = models.JSONField(
        default=dict,
        blank=True,
        help_text='Weekly hours, e.g. {"mon": [["09:00", "17:00"]], ...}; empty: the team\'s.',
    )
    time_zone = models.CharField(max_length=64, blank=True, help_text="Empty: the desk's.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="user_email_unique", condition=~models.Q(email="")
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_agent(self) -> bool:
        """Agents, supervisors and admins all work tickets."""
        return self.is_active and self.role in STAFF_ROLES

    @property
    def is_supervisor(self) -> bool:
        return self.is_active and self.role in {Role.SUPERVISOR, Role.ADMIN}

    @property
    def is_desk_admin(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Contact(models.Model):
    """A requester, known by email address; may never sign in."""

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    organisation = models.CharField(max_length=120, blank=True)
    is_technical = models.BooleanField(
        default=False,
        help_text="Reads technical terms with ease: the reply coach does not flag jargon for them.",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def first_name(self) -> str:
        return (self.name.split() or [self.email.split("@")[0]])[0]


class Team(models.Model):
    """A queue where tickets wait, and the agents who work it."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    email = models.EmailField(
        max_length=254,
        blank=True,
        help_text="The team's address: mail to requesters comes from it and replies go to it.",
    )
    is_default = models.BooleanField(
        default=False, help_text="New requests without a team go here. Exactly one team."
    )
    members = models.ManyToManyField(User, through="Membership", related_name="teams")
    auto_assign = models.CharField(
        max_length=12,
        choices=AutoAssign.choices,
        default=AutoAssign.NONE,
        help_text="Give new tickets to an agent at once: in turn, or to the least loaded.",
    )
    last_assigned = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    working_hours = models.JSONField(
        default=dict,
        blank=True,
        help_text='Weekly hours, e.g. {"mon": [["09:00", "17:00"]], ...}; empty: the desk\'s.',
    )
    time_zone = models.CharField(max_length=64, blank=True, help_text="Empty: the desk's.")
    holiday_country = models.CharField(
        max_length=12,
        blank=True,
        help_text="Public holidays of this country, and optionally region, that the team "
        "does not work: e.g. FI, DE-BY, US-CA. Empty: the desk's (DESKWISE_HOLIDAYS).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_team"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from deskwise.sla.calendar import holiday_code_error

        problem = holiday_code_error(self.holiday_country or "")
        if problem:
            raise ValidationError({"holiday_country": problem})


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginLink(models.Model):
    """A one-time sign-in link for a requester who has no password."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="login_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["contact", "-created_at"], name="loginlink_recent")]

    def __str__(self) -> str:
        return f"sign-in link for {self.contact}"
