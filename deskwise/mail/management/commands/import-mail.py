"""``deskwise import-mail PATH``: bring in a maildir, an mbox file, or a folder
of .eml files. Importing the same mail again adds nothing."""

from __future__ import annotations

import mailbox as stdlib_mailbox
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskwise.mail.choices import InboundStatus
from deskwise.mail.models import Mailbox
from deskwise.mail.services import TooLarge, inbound_process, inbound_store


def messages(path: Path) -> Iterator[tuple[str, bytes]]:
    """(source, raw bytes) for every message under ``path``, in a stable order."""
    if path.is_file():
        with path.open("rb") as fh:
            head = fh.read(5)
        if head == b"From ":
            box = stdlib_mailbox.mbox(path, create=False)
            for key in box.iterkeys():
                yield f"mbox:{path.name}:{key}", box.get_bytes(key)
        else:
            yield f"file:{path.name}", path.read_bytes()
        return
    if (path / "cur").is_dir() and (path / "new").is_dir():
        for sub in ("cur", "new"):
            for item in sorted((path / sub).iterdir()):
                if item.is_file() and not item.name.startswith("."):
                    yield f"maildir:{item.name.split(':', 1)[0]}", item.read_bytes()
        return
    for item in sorted(path.rglob("*")):
        if item.is_file() and item.suffix.lower() in {".eml", ".msg", ".box", ".mail"}:
            yield f"file:{item.relative_to(path)}", item.read_bytes()


class Command(BaseCommand):
    help = "Import mail from a maildir, an mbox file or a folder of .eml files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--mailbox", help="The mailbox (name or address) it arrived at.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        mailbox = None
        if options["mailbox"]:
            key = options["mailbox"]
            mailbox = (
                Mailbox.objects.filter(name=key).first()
                or Mailbox.objects.filter(address=key.lower()).first()
            )
            if mailbox is None:
                raise CommandError(f"There is no mailbox {key!r}.")
        counts: dict[str, int] = {}
        for source, raw in messages(path):
            try:
                stored = inbound_store(raw=raw, mailbox=mailbox, source=source[:300])
            except TooLarge as exc:
                self.stderr.write(f"{source}: {exc.message}")
                counts["too large"] = counts.get("too large", 0) + 1
                continue
            if not stored.created:
                counts["already imported"] = counts.get("already imported", 0) + 1
                continue
            inbound = inbound_process(inbound_id=stored.message.pk)
            status = inbound.status if inbound else "gone"
            counts[status] = counts.get(status, 0) + 1
            if status == InboundStatus.FAILED and inbound is not None:
                self.stderr.write(f"{source}: {inbound.reason}")
        summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "nothing"
        self.stdout.write(f"Imported from {path}: {summary}.")
