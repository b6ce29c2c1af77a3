"""Changes to people, teams and credentials."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from deskwise.accounts.choices import Role
from deskwise.accounts.models import ApiToken, Contact, LoginLink, Membership, Team, User
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput
from deskwise.core.queries import one
from deskwise.core.text import NAME_MAX, clean_email, clean_line
from deskwise.notifications.services import email_queue

TOKEN_PREFIX = "dw_"  # noqa: S105 (a marker, not a secret)
LINK_LIMIT_PER_HOUR = 5


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _invalid(exc: ValidationError, field: str) -> InvalidInput:
    message = " ".join(exc.messages)
    return InvalidInput(message, fields={field: exc.messages})


def contact_get_or_create(*, email: str, name: str = "") -> Contact:
    """The contact for an address, created on first sight; fills in a missing name."""
    try:
        email = clean_email(email)
    except ValidationError as exc:
        raise _invalid(exc, "email") from None
    try:
        name = clean_line(name, label="Name", max_length=NAME_MAX, required=False)
    except ValidationError as exc:
        raise _invalid(exc, "name") from None
    contact = one(Contact.objects.filter(email=email))
    if contact is None:
        try:
            with transaction.atomic():
                contact = Contact.objects.create(email=email, name=name, created_at=clock.now())
        except IntegrityError:  # created by a concurrent request a moment ago
            contact = Contact.objects.get(email=email)
    if name and not contact.name:
        Contact.objects.filter(pk=contact.pk, name="").update(name=name)
        contact.name = name
    return contact


@transaction.atomic
def team_create(*, name: str, description: str = "", is_default: bool = False) -> Team:
    try:
        name = clean_line(name, label="Team name", max_length=80)
    except ValidationError as exc:
        raise _invalid(exc, "name") from None
    if is_default:
        Team.objects.filter(is_default=True).update(is_default=False)
    slug = slugify(name) or "team"
    if Team.objects.filter(name__iexact=name).exists():
        raise Conflict(f"A team called {name} already exists.", fields={"name": ["Taken."]})
    return Team.objects.create(name=name, slug=slug, description=description, is_default=is_default)


@transaction.atomic
def membership_add(*, team: Team, user: User) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        team=team, user=user, defaults={"joined_at": clock.now()}
    )
    return membership


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    role: Role,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    teams: Sequence[Team] = (),
    validate: bool = True,
) -> User:
    """A person who signs in. Requesters are tied to their contact by email."""
    role = Role(role)
    try:
        username = clean_line(username, label="Username", max_length=150)
        email = clean_email(email)
        first_name = clean_line(first_name, label="First name", max_length=150, required=False)
        last_name = clean_line(last_name, label="Last name", max_length=150, required=False)
    except ValidationError as exc:
        raise _invalid(exc, "user") from None
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"The username {username} is taken.", fields={"username": ["Taken."]})
    if User.objects.filter(email=email).exists():
        raise Conflict(f"{email} already has a login.", fields={"email": ["Taken."]})
    user = User(
        username=username,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        date_joined=clock.now(),
    )
    if password:
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise _invalid(exc, "password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.contact = contact_get_or_create(email=email, name=f"{first_name} {last_name}".strip())
    user.save()
    for team in teams:
        membership_add(team=team, user=user)
    return user


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new personal token. The raw token is returned once and never stored."""
    try:
        name = clean_line(name, label="Token name", max_length=80)
    except ValidationError as exc:
        raise _invalid(exc, "name") from None
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        token_hash=_hash(raw),
        created_at=clock.now(),
        expires_at=expires_at,
    )
    return token, raw


def api_token_user(raw: str) -> User | None:
    """The active user behind a raw token, or None. Touches last_used at most once a minute."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = one(
        ApiToken.objects.select_related("user", "user__contact").filter(
            token_hash=_hash(raw), revoked_at__isnull=True
        )
    )
    now = clock.now()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def login_link_request(*, email: str) -> None:
    """Email a one-time sign-in link to a requester.

    Says nothing about whether the address is known: the caller shows the same
    message either way, and agents (who have passwords) never get links.
    """
    try:
        email = clean_email(email)
    except ValidationError as exc:
        raise _invalid(exc, "email") from None
    contact = Contact.objects.filter(email=email).select_related("user").first()
    if contact is None:
        return
    user = getattr(contact, "user", None)
    if user is not None and (user.is_agent or not user.is_active):
        return
    now = clock.now()
    recent = LoginLink.objects.filter(contact=contact, created_at__gte=now - dt.timedelta(hours=1))
    if recent.count() >= LINK_LIMIT_PER_HOUR:
        return
    raw = secrets.token_urlsafe(32)
    minutes = settings.DESKWISE_LOGIN_LINK_MINUTES
    LoginLink.objects.create(
        contact=contact,
        token_hash=_hash(raw),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    email_queue(
        template="login_link",
        to=[contact.email],
        context={
            "requester_name": contact.first_name,
            "login_url": f"{settings.BASE_URL}/login/link/{raw}/",
            "minutes": minutes,
        },
    )


@transaction.atomic
def login_link_consume(*, raw: str) -> User | None:
    """The requester a valid, unused link signs in; the link is spent."""
    if not raw or len(raw) > 100:
        return None
    link = (
        LoginLink.objects.select_for_update()
        .select_related("contact")
        .filter(token_hash=_hash(raw))
        .first()
    )
    now = clock.now()
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    link.used_at = now
    link.save(update_fields=["used_at"])
    contact = link.contact
    user = User.objects.filter(contact=contact).first()
    if user is None:
        user = User.objects.filter(email=contact.email, role=Role.REQUESTER).first()
        if user is None:
            base = contact.email[:150]
            username = (
                base
                if not User.objects.filter(username__iexact=base).exists()
                else (f"{base[:140]}-{secrets.token_hex(4)}")
            )
            user = User(
                username=username, email=contact.email, role=Role.REQUESTER, date_joined=now
            )
            user.set_unusable_password()
        user.contact = contact
        user.save()
    if not user.is_active or user.is_agent:
        return None
    return user
