from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from deskwise.core.worker import default_worker_id, run_worker


class Command(BaseCommand):
    help = "Run a background worker: mail, timers and housekeeping tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queues", default="*", help="Comma-separated queues, or * for all.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle."
        )
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--id", dest="worker_id", default=None, help="Unique worker id.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"] or default_worker_id()
        self.stdout.write(f"Deskwise worker {worker_id} started.")
        run_worker(
            worker_id=worker_id,
            queues=[q.strip() for q in options["queues"].split(",") if q.strip()],
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_tasks"],
        )
