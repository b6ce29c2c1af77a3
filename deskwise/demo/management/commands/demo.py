from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from deskwise.demo.data import DEMO_PASSWORD
from deskwise.demo.loader import demo_logins, is_empty, load_demo


class Command(BaseCommand):
    help = "Create the demo desk (people, two teams, forty tickets) in an empty database."

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_empty():
            raise CommandError(
                "The database already has people or tickets; the demo desk "
                "loads only into an empty one."
            )
        count = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo desk created with {count} tickets."))
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<8} {login.role:<10} {login.name}")
        self.stdout.write(f"  password for every demo login: {DEMO_PASSWORD}")
