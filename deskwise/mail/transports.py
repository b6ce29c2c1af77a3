"""Polled transports: IMAP and maildir. They fetch raw bytes, store them, have
them processed, and only then mark or move the mailbox's copy.

Marking after the commit means a crash at any point loses nothing: a message
stored but not processed is processed on the next poll (or by the sweep), a
message processed but not marked is recognised by its source and marked on
the next poll, and storing is de-duplicated, so nothing is applied twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import logging
import os
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q

from deskwise.core import clock
from deskwise.mail.choices import SETTLED_STATES, AuthMethod, MailboxKind, Security
from deskwise.mail.models import InboundMessage, Mailbox
from deskwise.mail.services import TooLarge, inbound_process, inbound_store, mailbox_secret

logger = logging.getLogger(__name__)

BATCH = 200  # messages per poll; the next poll takes the rest
TIMEOUT = 60  # seconds for any one IMAP round trip


@dataclass
class PollReport:
    fetched: int = 0
    duplicates: int = 0
    marked: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: bool = False

    @property
    def summary(self) -> str:
        if self.skipped:
            return "skipped: another poll holds this mailbox"
        text = f"fetched {self.fetched}, duplicates {self.duplicates}, marked {self.marked}"
        if self.failed:
            text += f", failed {self.failed}"
        if self.errors:
            text += f"; error: {self.errors[0]}"
        return text


def poll(mailbox: Mailbox) -> PollReport:
    """Poll one mailbox, unless another poll is already at it."""
    now = clock.now()
    taken = Mailbox.objects.filter(
        Q(polling_until__isnull=True) | Q(polling_until__lt=now), pk=mailbox.pk
    ).update(polling_until=now + _lease())
    if not taken:
        return PollReport(skipped=True)
    report = PollReport()
    try:
        if mailbox.kind == MailboxKind.IMAP:
            _poll_imap(mailbox, report)
        elif mailbox.kind == MailboxKind.MAILDIR:
            _poll_maildir(mailbox, report)
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
        # The mailbox's credentials never appear here: imaplib's errors hold
        # the server's words, not what we sent.
        report.errors.append(f"{type(exc).__name__}: {exc}")
        logger.warning("polling %s failed: %s", mailbox.name, report.errors[-1])
    finally:
        Mailbox.objects.filter(pk=mailbox.pk).update(
            polling_until=None,
            last_polled_at=clock.now(),
            last_error=report.errors[0][:2000] if report.errors else "",
        )
    return report


def _lease() -> dt.timedelta:
    """How long a poll holds its mailbox without showing progress. Each message
    renews it, so a poll whose worker was killed frees the mailbox soon."""
    return dt.timedelta(seconds=settings.DESKWISE_MAIL_POLL_LEASE_SECONDS)


def _take(mailbox: Mailbox, source: str, raw: bytes, report: PollReport) -> bool:
    """Store and process one fetched message; True when the mailbox copy may be
    marked (its outcome, success or recorded failure, is committed)."""
    Mailbox.objects.filter(pk=mailbox.pk).update(polling_until=clock.now() + _lease())
    try:
        stored = inbound_store(raw=raw, mailbox=mailbox, source=source)
    except TooLarge as exc:
        # Kept as a failure with its headers, so an admin sees what was refused.
        header = raw[: raw.find(b"\r\n\r\n") + 4 if b"\r\n\r\n" in raw[:262144] else 65536]
        stored = inbound_store(
            raw=header + f"\r\n[Not stored: {exc.message}]\r\n".encode(),
            mailbox=mailbox,
            source=source,
        )
    if not stored.created:
        report.duplicates += 1
    else:
        report.fetched += 1
    inbound = stored.message
    if inbound.status not in SETTLED_STATES:
        inbound = inbound_process(inbound_id=inbound.pk) or inbound
    if inbound.status == "failed":
        report.failed += 1
    return inbound.status in SETTLED_STATES


# --- IMAP ----------------------------------------------------------------------------


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    if mailbox.security == Security.TLS:
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.imap_port, ssl_context=context, timeout=TIMEOUT
        )
    else:
        conn = imaplib.IMAP4(mailbox.host, mailbox.imap_port, timeout=TIMEOUT)
        if mailbox.security == Security.STARTTLS:
            conn.starttls(ssl_context=context)
    secret = mailbox_secret(mailbox)
    if mailbox.auth == AuthMethod.XOAUTH2:
        token = f"user={mailbox.username}\x01auth=Bearer {secret}\x01\x01".encode()
        conn.authenticate("XOAUTH2", lambda _challenge: token)
    else:
        conn.login(mailbox.username, secret)
    return conn


def _check(response: tuple[str, list[Any]], what: str) -> list[Any]:
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what}: {data!r}"[:500])
    return data


def _poll_imap(mailbox: Mailbox, report: PollReport) -> None:
    conn = _connect(mailbox)
    try:
        _check(conn.select(_quote(mailbox.folder)), f"selecting {mailbox.folder}")
        validity = (conn.response("UIDVALIDITY")[1] or [b"0"])[0]
        validity_text = validity.decode() if isinstance(validity, bytes) else str(validity)
        criteria = "UNDELETED" if mailbox.move_to else "UNSEEN UNDELETED"
        found = _check(conn.uid("SEARCH", criteria), "searching")
        uids = [u.decode() for u in (found[0] or b"").split()][:BATCH]
        sources = {uid: f"imap:{validity_text}:{uid}" for uid in uids}
        known = dict(
            InboundMessage.objects.filter(
                mailbox=mailbox, source__in=list(sources.values())
            ).values_list("source", "status")
        )
        done: list[str] = []
        for uid in uids:
            if known.get(sources[uid]) in SETTLED_STATES:
                done.append(uid)  # processed before; the mark was lost
                continue
            data = _check(conn.uid("FETCH", uid, "(BODY.PEEK[])"), f"fetching {uid}")
            raw = _body(data)
            if raw is None:
                continue  # expunged meanwhile by someone else
            if _take(mailbox, sources[uid], raw, report):
                done.append(uid)
        if done:
            _mark(conn, mailbox, done)
            report.marked += len(done)
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()


def _capabilities(conn: imaplib.IMAP4) -> set[str]:
    """What the server offers once signed in (MOVE, UIDPLUS often appear only then)."""
    status, data = conn.capability()
    words = b" ".join(d for d in data if isinstance(d, bytes)).decode("ascii", "replace")
    found = {w.upper() for w in words.split()} if status == "OK" else set()
    return found | {c.upper() for c in conn.capabilities}


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _body(data: list[Any]) -> bytes | None:
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _mark(conn: imaplib.IMAP4, mailbox: Mailbox, uids: list[str]) -> None:
    """Mark or move what is committed; expunge once for the whole session."""
    uid_set = ",".join(uids)
    if not mailbox.move_to:
        _check(conn.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Seen)"), "marking as read")
        return
    capabilities = _capabilities(conn)
    target = _quote(mailbox.move_to)
    if "MOVE" in capabilities:
        _check(conn.uid("MOVE", uid_set, target), f"moving to {mailbox.move_to}")
        return
    _check(conn.uid("COPY", uid_set, target), f"copying to {mailbox.move_to}")
    _check(conn.uid("STORE", uid_set, "+FLAGS.SILENT", r"(\Deleted)"), "flagging as moved")
    if "UIDPLUS" in capabilities:
        _check(conn.uid("EXPUNGE", uid_set), "expunging")
    else:
        _check(conn.expunge(), "expunging")


# --- maildir ---------------------------------------------------------------------------


def _poll_maildir(mailbox: Mailbox, report: PollReport) -> None:
    """New mail is in new/; once processed it moves to cur/ marked as seen."""
    root = Path(mailbox.path)
    new, cur = root / "new", root / "cur"
    if not new.is_dir() or not cur.is_dir():
        raise FileNotFoundError(f"{root} is not a maildir (it needs new/ and cur/)")
    for path in sorted(new.iterdir())[:BATCH]:
        if not path.is_file() or path.name.startswith("."):
            continue
        source = f"maildir:{path.name.split(':', 1)[0]}"
        if _take(mailbox, source, path.read_bytes(), report):
            os.replace(path, cur / f"{path.name.split(':', 1)[0]}:2,S")
            report.marked += 1
