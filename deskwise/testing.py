"""Factories and helpers shared by every app's tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

import factory
import pytest
from django.conf import settings

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Contact, Membership, Team, User
from deskwise.core import clock
from deskwise.tickets import services
from deskwise.tickets.choices import Channel, Impact, Urgency
from deskwise.tickets.models import Ticket

PASSWORD = "correct horse battery staple"


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    created_at = factory.LazyFunction(clock.now)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A person with a login and a contact; ``teams=[...]`` makes memberships."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.AGENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    contact = factory.LazyAttribute(
        lambda u: Contact.objects.create(
            email=u.email, name=f"{u.first_name} {u.last_name}", created_at=clock.now()
        )
    )

    @factory.post_generation
    def teams(self, create: bool, extracted: list[Team] | None, **kwargs: Any) -> None:
        # factory_boy passes the created User as ``self``.
        user = cast(User, self)
        for team in extracted or []:
            Membership.objects.create(team=team, user=user, joined_at=clock.now())
        user.save()


def make_ticket(
    *,
    requester: Contact,
    team: Team | None = None,
    subject: str = "The printer on floor 2 jams",
    description: str = "Every print job jams after the first page.",
    channel: Channel = Channel.PORTAL,
    actor: User | None = None,
    impact: Impact = Impact.PERSON,
    urgency: Urgency = Urgency.DEGRADED,
    **kwargs: Any,
) -> Ticket:
    """A ticket opened the way the desk opens one: through the service."""
    return services.open_ticket(
        requester=requester,
        subject=subject,
        description=description,
        channel=channel,
        actor=actor,
        team=team,
        impact=impact,
        urgency=urgency,
        **kwargs,
    )


def shared_data() -> Path:
    """The folder of real test material, or a skip when it is absent (never under CI)."""
    path = Path(os.environ.get("DESKWISE_TEST_DATA", settings.BASE_DIR.parent / "shared" / "data"))
    if not path.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"The real test material is missing at {path}, and CI requires it.")
        pytest.skip(f"Real test material not found at {path} (set DESKWISE_TEST_DATA).")
    return path
