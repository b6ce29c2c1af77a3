from __future__ import annotations

import os
import signal
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from deskwise.core.schedule import jobs, run_scheduler


class Command(BaseCommand):
    help = "Run the scheduler: enqueues periodic jobs, once per period however many run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between checks.")
        parser.add_argument("--list", action="store_true", help="List the periodic jobs and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in jobs():
                self.stdout.write(f"{job.name}  every {job.every}")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        name = f"scheduler-{socket.gethostname()[:30]}-{os.getpid()}"
        self.stdout.write(f"Deskwise scheduler {name} started.")
        run_scheduler(name=name, tick=options["tick"], stop=stop)
