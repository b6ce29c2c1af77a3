from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "deskwise.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Not sender=self: Django sends post_migrate only for apps with models,
        # and this app has none. Repairing is idempotent and cheap, so it may
        # run once per app migrated.
        post_migrate.connect(_repair_index, dispatch_uid="search.repair_index")


def _repair_index(using: str = "default", **kwargs: Any) -> None:
    """After every ``migrate``: SQLite loses triggers when Django rebuilds a table
    for a schema change, so put them back (see ``ddl.repair``)."""
    from deskwise.search import ddl

    ddl.repair(connections[using])
