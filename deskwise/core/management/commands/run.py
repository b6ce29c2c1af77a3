from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from deskwise.demo.data import DEMO_PASSWORD
from deskwise.demo.loader import demo_logins, is_empty, load_demo


class Command(BaseCommand):
    help = (
        "Run the whole desk in one terminal: migrate, create the demo desk if the database is "
        "empty, then serve the web app with a worker and the scheduler. Ctrl-C stops all three."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-demo", action="store_true", help="Never create the demo desk.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        fresh = is_empty() and not options["no_demo"]
        if fresh:
            self.stdout.write("Empty database: creating the demo desk...")
            load_demo()
        url = f"http://{options['host']}:{options['port']}/"
        db = settings.DATABASES["default"]
        self.stdout.write(self.style.SUCCESS(f"\nDeskwise is starting at {url}"))
        self.stdout.write(f"Database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        if fresh or not options["no_demo"]:
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}, unless changed since):")
            for login in demo_logins():
                self.stdout.write(f"  {login.username:<8} {login.role:<10} {login.name}")
        mail_dir = settings.DATA_DIR / "mail"
        self.stdout.write(f"Mail is written to files in {mail_dir} unless EMAIL_HOST is set.")
        self.stdout.write("Press Ctrl-C to stop.\n")
        sys.stdout.flush()
        self._supervise(options)

    def _supervise(self, options: dict[str, Any]) -> None:
        base = [sys.executable, "-m", "deskwise.cli"]
        commands = {
            "web": [*base, "serve", "--host", options["host"], "--port", str(options["port"])],
            "worker": [*base, "worker"],
            "scheduler": [*base, "scheduler"],
        }
        children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(
                            f"The {name} process stopped (exit {child.returncode}); "
                            "stopping the others."
                        )
                        stopping = True
                time.sleep(0.5)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Deskwise stopped.")
