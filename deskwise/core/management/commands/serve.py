from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web app with gunicorn: several worker processes, one request each at a time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))),
            help="Worker processes (WEB_CONCURRENCY; default two per CPU).",
        )
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Sync workers take a connection only when free, so requests spread
        # evenly over the workers; a reverse proxy in front keeps the
        # slow-client and keep-alive work away from them.
        argv = [
            sys.executable, "-m", "gunicorn",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]),
            "--worker-class", "sync",
            "--timeout", os.environ.get("WEB_TIMEOUT", "60"),
            "--graceful-timeout", "20",
            "--max-requests", "20000",
            "--max-requests-jitter", "2000",
            "--error-logfile", "-",
            "--log-level", "warning",
            "deskwise.wsgi:application",
        ]  # fmt: skip
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskwise.settings")
        os.execv(sys.executable, argv)  # noqa: S606 (fixed argv, no shell)
