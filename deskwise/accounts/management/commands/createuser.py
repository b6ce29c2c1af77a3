from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Team
from deskwise.accounts.services import user_create
from deskwise.core.errors import ServiceError


class Command(BaseCommand):
    help = "Create a person who signs in: requester, agent, supervisor or admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", choices=[r.value for r in Role], default=Role.AGENT.value)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--team", action="append", default=[], help="Team name (repeatable).")
        parser.add_argument("--password", help="Prompted for when left out (unless --no-password).")
        parser.add_argument(
            "--no-password", action="store_true", help="Sign in by email link only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        teams = []
        for name in options["team"]:
            team = Team.objects.filter(name__iexact=name).first()
            if team is None:
                raise CommandError(f"There is no team called {name!r}.")
            teams.append(team)
        password = options["password"]
        if password is None and not options["no_password"]:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            user = user_create(
                username=options["username"],
                email=options["email"],
                role=Role(options["role"]),
                password=password or None,
                first_name=options["first_name"],
                last_name=options["last_name"],
                teams=teams,
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"Created {user.role} {user.username}."))
