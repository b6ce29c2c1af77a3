"""A real IMAP server for the tests: Debian's dovecot, started on a free port
with a throw-away configuration, one mailbox user, plain login on loopback."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from deskwise.mail.tests.processes import free_port, wait_for_port

CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={internal} gid={internal} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    username: str
    password: str


def _dovecot() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    binary = _dovecot()
    if binary is None:
        message = "dovecot is not installed (apt-get install dovecot-imapd; make test does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ", and CI requires the IMAP tests.")
        pytest.skip(message)
    # Not under pytest's temporary folder: that is private to root, and
    # dovecot's own processes run as its unprivileged user.
    root = Path(tempfile.mkdtemp(prefix="deskwise-dovecot-"))
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    internal = "dovecot" if _user_exists("dovecot") else "nobody"
    login = "dovenull" if _user_exists("dovenull") else internal
    port = free_port()
    (root / "dovecot.conf").write_text(
        CONFIG.format(root=root, port=port, internal=internal, login=login)
    )
    (root / "users").write_text("desk@example.org:{PLAIN}imap-secret\n")
    os.chmod(root, 0o755)  # noqa: S103 (dovecot's own user reads its configuration)
    uid = pwd.getpwnam(internal).pw_uid
    os.chown(root / "mail", uid, -1)
    process = subprocess.Popen([binary, "-F", "-c", str(root / "dovecot.conf")])
    try:
        wait_for_port(port)
        yield ImapServer("127.0.0.1", port, "desk@example.org", "imap-secret")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
