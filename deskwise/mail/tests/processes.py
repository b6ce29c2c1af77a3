"""Run the real ``deskwise`` commands as separate processes against a database
of their own, for tests of what crosses process boundaries: a mail server
delivering over LMTP, the pipe command's exit codes, a worker killed with
SIGKILL in the middle of a batch.

The database is a fresh SQLite file, or a fresh PostgreSQL database when the
test run itself is on PostgreSQL, created and dropped here.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


@dataclass
class DeskProcesses:
    """A migrated database and the environment that points commands at it."""

    url: str
    root: Path

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "deskwise.settings",
            "DESKWISE_ENV": "embedded",
            "DESKWISE_DATA_DIR": str(self.root),
            "DESKWISE_HEARTBEAT_STALE_SECONDS": "10",
            "DESKWISE_MAIL_POLL_LEASE_SECONDS": "3",
            "DESKWISE_DB_POOL": "false",
        }
        env.pop("EMAIL_HOST", None)
        return env

    def command(self, *args: str, stdin: bytes | None = None, timeout: float = 120) -> Any:
        return subprocess.run(
            [sys.executable, "-m", "deskwise.cli", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "deskwise.cli", *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def count(self, table: str) -> int:
        """Rows in a table, read directly (fast enough to watch a worker at work)."""
        if self.url.startswith("sqlite:///"):
            import sqlite3

            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as conn:
                return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608
        import psycopg

        with psycopg.connect(self.url) as conn:
            row = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # noqa: S608
            return int(row[0]) if row else 0

    def python(self, code: str) -> Any:
        """Run Python inside the desk (Django set up) and return what it prints as JSON."""
        script = (
            "import json, django; django.setup()\n"
            + code
            + "\nprint('@@' + json.dumps(result, default=str))"
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(done.stderr.decode(errors="replace")[-3000:])
        line = next(ln for ln in done.stdout.decode().splitlines() if ln.startswith("@@"))
        return json.loads(line[2:])


def _postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.fixture(scope="module")
def desk_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskProcesses]:
    root = tmp_path_factory.mktemp("desk")
    name = ""
    if connection.vendor == "postgresql":
        import psycopg

        name = f"deskwise_proc_{uuid.uuid4().hex[:10]}"
        admin_url = _postgres_url("postgres")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = _postgres_url(name)
    else:
        url = f"sqlite:///{root / 'desk.sqlite3'}"
    desk = DeskProcesses(url=url, root=root)
    done = desk.command("migrate", "--no-input")
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    yield desk
    if name:
        import psycopg

        with psycopg.connect(_postgres_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(root, ignore_errors=True)
