"""``deskwise kb import PATH`` and ``deskwise kb export PATH``: bring a folder of
Markdown and reStructuredText pages in as articles, or write the articles out.
``deskwise kb render`` renders every body again after the sanitiser's rules change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from deskwise.accounts.models import User
from deskwise.core.errors import ServiceError
from deskwise.kb.exporter import export_folder
from deskwise.kb.importer import import_folder
from deskwise.kb.models import Visibility
from deskwise.kb.services import articles_rerender


class Command(BaseCommand):
    help = "Import a folder of .md/.rst pages as knowledge base articles, or export them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import (or re-import) a folder of pages.")
        imp.add_argument("path")
        imp.add_argument("--visibility", choices=Visibility.values, default=Visibility.PUBLIC,
                         help="For pages that do not say their own (default: public).")  # fmt: skip
        imp.add_argument("--as", dest="username", help="The agent recorded as the author.")
        exp = sub.add_parser("export", help="Write every article as <slug>.md into a folder.")
        exp.add_argument("path")
        sub.add_parser("render", help="Render every article's body again (no new versions).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "render":
            changed = articles_rerender()
            self.stdout.write(f"{changed} article{'s' if changed != 1 else ''} rendered anew.")
            return
        path = Path(options["path"])
        if options["action"] == "export":
            exported = export_folder(path)
            self.stdout.write(exported.summary())
            for missing in exported.missing_files:
                self.stderr.write(f"missing file: {missing}")
            return
        if not path.is_dir():
            raise CommandError(f"{path} is not a folder.")
        actor = None
        if options.get("username"):
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None or not actor.is_agent:
                raise CommandError(f"There is no agent {options['username']!r}.")
        try:
            report = import_folder(path, actor=actor, visibility=options["visibility"])
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        verbose = int(options.get("verbosity", 1)) > 1
        for page in report.pages:
            if page.status == "failed":
                self.stderr.write(f"failed: {page.path}: {page.reason}")
            elif verbose:
                self.stdout.write(f"{page.status}: {page.path} -> /kb/{page.slug}/")
            if verbose:
                for warning in page.warnings:
                    self.stdout.write(f"  note: {warning}")
        self.stdout.write(report.summary())
