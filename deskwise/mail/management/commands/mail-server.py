"""``deskwise mail-server``: the LMTP (or SMTP) listener a mail server delivers to."""

from __future__ import annotations

import signal
import threading
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from deskwise.mail.server import DeskHandler


class LMTPController(Controller):
    def factory(self) -> SMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


class Command(BaseCommand):
    help = (
        "Listen for mail delivered by a mail server (LMTP by default, or SMTP) and store "
        "it for the desk. Point Postfix's mailbox_transport or a transport map at it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2424)
        parser.add_argument("--smtp", action="store_true", help="Speak SMTP instead of LMTP.")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = DeskHandler(lmtp=not options["smtp"])
        kwargs: dict[str, Any] = {
            "data_size_limit": settings.DESKWISE_MAIL_MAX_BYTES,
            "enable_SMTPUTF8": True,
            "decode_data": False,
        }
        controller_class = Controller if options["smtp"] else LMTPController
        controller = controller_class(
            handler, hostname=options["host"], port=options["port"], server_kwargs=kwargs
        )
        controller.start()
        protocol = "SMTP" if options["smtp"] else "LMTP"
        self.stdout.write(f"Deskwise {protocol} listener on {options['host']}:{options['port']}")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stop.wait()
        controller.stop()
