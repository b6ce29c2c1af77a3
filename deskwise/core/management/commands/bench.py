"""``deskwise bench``: fill a database, start the production server, measure.

Run it against a database of its own (``make bench`` sets DATABASE_URL):
it empties the ticket tables before filling them.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from deskwise.accounts.models import User
from deskwise.accounts.services import api_token_create
from deskwise.bench import coach_eval, kb_bench, load, reports_bench, triage_eval, wait_sim
from deskwise.bench import fill as filler
from deskwise.bench import mail as mail_bench
from deskwise.bench.coach_examples import HELD_OUT
from deskwise.tickets.models import Ticket

SEARCH_QUERIES = ["printer", "vpn drops", "password", "laptop screen", "outlook calendar",
                  "monitor flickers", "wifi", "licence"]  # fmt: skip
SUGGEST_QUERIES = [
    "My batch job was killed and the log says out of memory, what should I ask for?",
    "How do I connect to the cluster from home when I am not on the campus network?",
    "I cannot log in to the printer on floor 3 since the password change",
]


def _split_timing() -> float:
    """Milliseconds to split a reply from a 100 KB quoted thread (best of 25)."""
    from deskwise.bench.mail import long_thread
    from deskwise.mail.quotes import split_reply

    text = long_thread(100_000)
    best = float("inf")
    for _ in range(25):
        started = time.perf_counter()
        split_reply(text)
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 2)


class Command(BaseCommand):
    help = "Benchmark the desk under concurrent load (use a database of its own)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=100_000)
        parser.add_argument("--seconds", type=int, default=10, help="Per scenario.")
        parser.add_argument(
            "--workers", type=int, default=2 * (os.cpu_count() or 1), help="Web worker processes."
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=0,
            help="Concurrent clients for the read scenarios (default: one per worker).",
        )
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--refill", action="store_true", help="Fill again even if filled.")
        parser.add_argument("--output", help="Also write the JSON here.")
        parser.add_argument(
            "--mail-messages", type=int, default=1000, help="Messages for the mail intake run."
        )
        parser.add_argument("--only-mail", action="store_true", help="Skip the web scenarios.")
        parser.add_argument(
            "--skip-evaluations",
            action="store_true",
            help="Skip the triage classifier evaluation and the wait simulation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not load.wrk_available():
            raise CommandError("wrk is not installed (apt-get install wrk; `make bench` does it).")
        self._ensure_database()
        call_command("migrate", interactive=False, verbosity=0)
        n = options["tickets"]
        started = time.monotonic()
        if options["refill"] or not filler.is_filled(n):
            self.stderr.write(f"Filling {n:,} tickets...")
            filled = filler.fill(n, log=self.stderr.write)
            self.stderr.write(
                f"Filled {filled.tickets:,} tickets and {filled.events:,} events "
                f"in {time.monotonic() - started:.0f} s."
            )
        results = [] if options["only_mail"] else self._web(options)
        self.stderr.write(f"Mail intake: {options['mail_messages']:,} messages, triage on...")
        mail_report = mail_bench.run(options["mail_messages"])
        DBTaskResult.objects.all().delete()  # the acknowledgements it queued
        self.stderr.write("Mail intake again, triage off...")
        with override_settings(DESKWISE_TRIAGE=False):
            untriaged = mail_bench.run(options["mail_messages"])
        DBTaskResult.objects.all().delete()
        triage_cost = {
            "messages_per_second_triage_on": mail_report["messages_per_second"],
            "messages_per_second_triage_off": untriaged["messages_per_second"],
            "slowdown": round(
                1 - mail_report["messages_per_second"] / untriaged["messages_per_second"], 3
            ),
        }
        evaluations: dict[str, Any] = {}
        if not options["skip_evaluations"]:
            self.stderr.write("Triage classifier on the labelled request sets...")
            evaluations["triage_classifier"] = triage_eval.run()
            self.stderr.write("Wait estimator in a seeded simulation...")
            evaluations["wait_estimator"] = wait_sim.run()
            evaluations["reply_split_100kb_ms"] = _split_timing()
            self.stderr.write("Reply coach on the labelled replies...")
            coach = coach_eval.run()
            self.stderr.write(coach_eval.table(coach))
            held_out = coach_eval.evaluate(HELD_OUT)
            coach["held_out"] = {
                key: held_out[key]
                for key in ("examples", "micro_precision", "micro_recall", "false_alarm_share")
            }
            coach["mistakes"] = len(coach["mistakes"])
            evaluations["reply_coach"] = coach
        self.stderr.write("Knowledge base: import, suggestion quality, search speed...")
        evaluations["knowledge_base"] = kb_bench.run()
        self.stderr.write("Reports: rollups brought up to date, then each report timed...")
        evaluations["reports"] = reports_bench.run()
        report = {
            "database": connection.vendor,
            "tickets": Ticket.objects.count(),
            "server": {"software": "gunicorn (sync workers)", "workers": options["workers"]},
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "seconds_per_scenario": options["seconds"],
            "scenarios": {r.name: r.as_dict() for r in results},
            "mail_ingest": mail_report,
            "triage_cost_at_intake": triage_cost,
            **evaluations,
        }
        text = json.dumps(report, indent=2)
        self.stdout.write(text)
        if options["output"]:
            with open(options["output"], "w") as fh:
                fh.write(text + "\n")

    def _web(self, options: dict[str, Any]) -> list[load.Result]:
        call_command("collectstatic", interactive=False, verbosity=0)
        scenarios = self._scenarios(connections=options["connections"] or options["workers"])
        base = f"http://127.0.0.1:{options['port']}"
        server = self._start_server(options)
        try:
            self._wait_until_up(base, server)
            for scenario in scenarios:
                self._check(base, scenario)
            return [load.run(base, s, seconds=options["seconds"]) for s in scenarios]
        finally:
            server.terminate()
            server.wait(timeout=30)

    def _ensure_database(self) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            return
        import psycopg

        with psycopg.connect(
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or 5432,
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{db["NAME"]}"')

    def _scenarios(self, *, connections: int) -> list[load.Scenario]:
        c = connections
        agent = User.objects.get(username=filler.BENCH_AGENT)
        requester = User.objects.get(username=filler.BENCH_REQUESTER)
        _, token = api_token_create(user=agent, name="bench")
        team_ids = list(agent.memberships.values_list("team_id", flat=True))
        visible = Ticket.objects.filter(team_id__in=team_ids)
        top = visible.order_by("-id").values_list("id", flat=True).first() or 1
        step = max(1, top // 4000)
        ids = list(
            visible.filter(id__in=range(1, top + 1, step)).values_list("id", flat=True)[:2000]
        )
        agent_cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self._session(agent)}"}
        requester_cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self._session(requester)}"}
        bearer = {"Authorization": f"Bearer {token}"}
        body = (
            '{"subject": "Bench request %d", "description": "Created by the benchmark: the '
            'printer on floor 3 jams.", "requester_email": "person%d@example.org"}'
        )
        return [
            load.Scenario("agent_queue_page", ["/desk/?view=all"], agent_cookie, connections=c),
            load.Scenario(
                "ticket_page", [f"/desk/tickets/{i}/" for i in ids], agent_cookie, connections=c
            ),
            load.Scenario("api_ticket_list", ["/api/v1/tickets?limit=25"], bearer, connections=c),
            load.Scenario(
                "api_ticket_retrieve", [f"/api/v1/tickets/{i}" for i in ids], bearer, connections=c
            ),
            load.Scenario(
                "api_ticket_create",
                ["/api/v1/tickets"],
                {**bearer, "Content-Type": "application/json"},
                method="POST",
                body_format=body,
                connections=8,
            ),
            load.Scenario("portal_my_requests", ["/portal/"], requester_cookie, connections=c),
            load.Scenario(
                "api_search",
                [f"/api/v1/search?q={urllib.parse.quote(q)}" for q in SEARCH_QUERIES],
                bearer,
                connections=c,
            ),
            load.Scenario(
                "api_kb_suggest",
                [f"/api/v1/kb/suggest?q={urllib.parse.quote(q)}" for q in SUGGEST_QUERIES],
                bearer,
                connections=c,
            ),
        ]

    def _session(self, user: User) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        assert session.session_key
        return session.session_key

    def _start_server(self, options: dict[str, Any]) -> subprocess.Popen[bytes]:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", options["port"])) == 0:
                # Measuring a server left running by an earlier run would
                # measure old code against who knows which database.
                raise CommandError(f"Port {options['port']} is in use: stop what listens there.")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "deskwise.settings"}
        cmd = [
            sys.executable,
            "-m",
            "deskwise.cli",
            "serve",
            "--no-collectstatic",
            "--port",
            str(options["port"]),
            "--workers",
            str(options["workers"]),
        ]
        return subprocess.Popen(cmd, env=env)

    def _wait_until_up(self, base: str, server: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"The server stopped at start-up (exit {server.returncode}).")
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # 503 without a worker is still a server answering
            except OSError:
                time.sleep(0.3)
        raise CommandError("The server did not answer within 60 s.")

    def _check(self, base: str, scenario: load.Scenario) -> None:
        """Each scenario answers 2xx once before it is measured."""
        data = None
        if scenario.method == "POST":
            data = (scenario.body_format % (1, 1)).encode()
        request = urllib.request.Request(
            base + scenario.paths[0], data=data, headers=scenario.headers, method=scenario.method
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise CommandError(f"{scenario.name}: {exc.code} {exc.read()[:300]!r}") from None
        if not 200 <= status < 300:
            raise CommandError(f"{scenario.name} answered {status}")
