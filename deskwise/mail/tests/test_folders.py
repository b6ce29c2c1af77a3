"""Mail from folders: the import command and a polled maildir."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from django.core.management import call_command

from deskwise.mail.choices import MailboxKind
from deskwise.mail.models import InboundMessage, Mailbox
from deskwise.mail.transports import poll
from deskwise.tickets.models import Ticket


def mail(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"person{n}@example.com"
    msg["To"] = "help@example.org"
    msg["Subject"] = f"Problem {n}"
    msg["Message-ID"] = make_msgid(idstring=str(n))
    msg.set_content(f"Problem number {n}, please help.")
    return msg.as_bytes()


def test_import_a_folder_of_eml_files_once(desk, tmp_path, capsys):
    for n in range(3):
        (tmp_path / f"{n}.eml").write_bytes(mail(n))
    (tmp_path / "notes.txt").write_text("not a mail")
    call_command("import-mail", str(tmp_path))
    assert "3 processed" in capsys.readouterr().out
    call_command("import-mail", str(tmp_path))
    assert "3 already imported" in capsys.readouterr().out
    assert Ticket.objects.count() == 3


def test_import_an_mbox_file(desk, tmp_path, capsys):
    box = tmp_path / "archive.mbox"
    box.write_bytes(
        b"".join(b"From x@y Thu Jan  1 00:00:00 2026\n" + mail(n) + b"\n" for n in range(2))
    )
    call_command("import-mail", str(box))
    assert "2 processed" in capsys.readouterr().out


def test_a_polled_maildir_moves_what_it_processed(desk, tmp_path: Path):
    for sub in ("new", "cur", "tmp"):
        (tmp_path / sub).mkdir()
    for n in range(2):
        (tmp_path / "new" / f"17000{n}.M1P1.host").write_bytes(mail(100 + n))
    mailbox = Mailbox.objects.create(
        name="Maildir",
        team=desk.team,
        kind=MailboxKind.MAILDIR,
        address="md@example.org",
        path=str(tmp_path),
    )
    report = poll(mailbox)
    assert report.fetched == 2
    assert report.marked == 2
    assert list((tmp_path / "new").iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "cur").iterdir()) == [
        "170000.M1P1.host:2,S",
        "170001.M1P1.host:2,S",
    ]
    assert InboundMessage.objects.filter(mailbox=mailbox).count() == 2
    assert Ticket.objects.count() == 2
