from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskwise.accounts.models import ApiToken, User
from deskwise.accounts.services import api_token_create, api_token_revoke
from deskwise.core.errors import ServiceError


class Command(BaseCommand):
    help = "Personal API tokens: create (printed once), list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token for USERNAME.")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError("No such token.")
            api_token_revoke(token=token)
            self.stdout.write(f"Revoked {token}.")
            return
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['username']!r}.")
        if action == "create":
            try:
                _, raw = api_token_create(user=user, name=options["name"])
            except ServiceError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(raw)
            return
        for token in user.api_tokens.order_by("created_at"):
            state = "revoked" if token.revoked_at else f"last used {token.last_used_at or 'never'}"
            self.stdout.write(f"{token.pk:>5}  {token.prefix}…  {token.name}  ({state})")
