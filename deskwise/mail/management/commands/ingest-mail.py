"""``deskwise ingest-mail < message.eml``: the pipe command a mail server runs.

Exit codes follow sysexits.h, which mail servers understand: 0 stored, 75
(EX_TEMPFAIL) try again later, 65 (EX_DATAERR) refused for good, with the
reason on standard error (the mail server quotes it in its bounce).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from deskwise.mail.models import Mailbox
from deskwise.mail.services import TooLarge, inbound_store

EX_OK, EX_DATAERR, EX_TEMPFAIL = 0, 65, 75


class Command(BaseCommand):
    help = "Store one message read from standard input (for a mail server's pipe transport)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", help="The mailbox's name or address.")
        parser.add_argument("--sender", default="", help="The envelope sender.")
        parser.add_argument("--recipient", action="append", default=[], help="Envelope recipient.")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stderr.write("No message on standard input.")
            sys.exit(EX_DATAERR)
        try:
            mailbox = None
            if options["mailbox"]:
                key = options["mailbox"]
                mailbox = (
                    Mailbox.objects.filter(name=key).first()
                    or Mailbox.objects.filter(address=key.lower()).first()
                )
                if mailbox is None:
                    self.stderr.write(f"There is no mailbox {key!r} at this desk.")
                    sys.exit(EX_DATAERR)
            elif options["recipient"]:
                recipients = [r.lower() for r in options["recipient"]]
                mailbox = Mailbox.objects.filter(address__in=recipients).first()
            stored = inbound_store(
                raw=raw,
                mailbox=mailbox,
                source="pipe",
                envelope_from=options["sender"],
                envelope_to=[r.lower() for r in options["recipient"]],
            )
        except TooLarge as exc:
            self.stderr.write(exc.message)
            sys.exit(EX_DATAERR)
        except DatabaseError as exc:
            self.stderr.write(f"Temporary failure, try again later ({type(exc).__name__}).")
            sys.exit(EX_TEMPFAIL)
        word = "stored" if stored.created else "already stored"
        self.stdout.write(f"Message {stored.message.pk} {word}.")
        sys.exit(EX_OK)
