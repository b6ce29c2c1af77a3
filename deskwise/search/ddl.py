"""The full-text indexes, per database: defined once, applied by the migration
and repaired after every ``migrate``.

The index follows the rows by itself, in the database, because tickets are
written by many services (intake, mail, the API, bulk updates): no app has to
remember to index. On SQLite that takes FTS5 tables kept by triggers; on
PostgreSQL, GIN expression indexes that the planner keeps current.

Change a definition here only together with a new migration of this app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TOKENIZE = "porter unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class FtsTable:
    """An FTS5 table whose content is another table's columns (no copy of the text)."""

    name: str
    content: str
    columns: tuple[str, ...]

    @property
    def create(self) -> str:
        cols = ", ".join(self.columns)
        return (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} USING fts5({cols}, "
            f"content='{self.content}', content_rowid='id', tokenize='{TOKENIZE}')"
        )

    @property
    def triggers(self) -> dict[str, str]:
        """Trigger name -> statement. Updates that leave the text alone (status,
        owner, counters) do not touch the index: most updates are of that kind."""
        cols = ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in self.columns)
        # Our own names only (S608): nothing here comes from outside.
        insert = f"INSERT INTO {self.name}(rowid, {cols}) VALUES (new.id, {new});"  # noqa: S608
        delete = (
            f"INSERT INTO {self.name}({self.name}, rowid, {cols}) "  # noqa: S608
            f"VALUES ('delete', old.id, {old});"
        )
        return {
            f"{self.name}_ai": (
                f"CREATE TRIGGER IF NOT EXISTS {self.name}_ai AFTER INSERT ON {self.content} "
                f"BEGIN {insert} END"
            ),
            f"{self.name}_ad": (
                f"CREATE TRIGGER IF NOT EXISTS {self.name}_ad AFTER DELETE ON {self.content} "
                f"BEGIN {delete} END"
            ),
            f"{self.name}_au": (
                f"CREATE TRIGGER IF NOT EXISTS {self.name}_au AFTER UPDATE OF {cols} "
                f"ON {self.content} WHEN {changed} BEGIN {delete} {insert} END"
            ),
        }

    @property
    def rebuild(self) -> str:
        return f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')"  # noqa: S608


TICKET_FTS = FtsTable("search_ticket_fts", "tickets_ticket", ("subject",))
EVENT_FTS = FtsTable("search_event_fts", "tickets_timelineevent", ("body_text",))
CONTACT_FTS = FtsTable("search_contact_fts", "accounts_contact", ("name", "email"))
ARTICLE_FTS = FtsTable("search_article_fts", "kb_article", ("title", "body"))
FTS_TABLES = (TICKET_FTS, EVENT_FTS, CONTACT_FTS, ARTICLE_FTS)

# PostgreSQL: the expressions the queries in ``engines`` repeat word for word,
# so that the planner recognises them as these indexes.
TICKET_VECTOR = "to_tsvector('english', tickets_ticket.subject)"
EVENT_VECTOR = "to_tsvector('english', tickets_timelineevent.body_text)"
CONTACT_VECTOR = "to_tsvector('simple', accounts_contact.name || ' ' || accounts_contact.email)"
ARTICLE_VECTOR = "to_tsvector('english', kb_article.title || ' ' || kb_article.body)"
PG_INDEXES = {
    "search_ticket_subject_tsv": (
        "tickets_ticket",
        "to_tsvector('english', subject)",
    ),
    "search_event_body_tsv": (
        "tickets_timelineevent",
        "to_tsvector('english', body_text)",
    ),
    "search_contact_tsv": (
        "accounts_contact",
        "to_tsvector('simple', name || ' ' || email)",
    ),
    "search_article_tsv": (
        "kb_article",
        "to_tsvector('english', title || ' ' || body)",
    ),
}


def create(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the indexes for this database and fill them from the rows already there."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in FTS_TABLES:
            schema_editor.execute(table.create, params=None)
            for statement in table.triggers.values():
                schema_editor.execute(statement, params=None)
            schema_editor.execute(table.rebuild, params=None)
    elif vendor == "postgresql":
        # Plain CREATE INDEX: CONCURRENTLY cannot run inside the migration's
        # transaction. On a large existing desk, create them concurrently by
        # hand first; IF NOT EXISTS then makes this a no-op.
        for name, (on, expression) in PG_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {on} USING gin ({expression})",
                params=None,
            )


def drop(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in FTS_TABLES:
            for trigger in table.triggers:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}", params=None)
            schema_editor.execute(f"DROP TABLE IF EXISTS {table.name}", params=None)
    elif vendor == "postgresql":
        for name in PG_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


def repair(connection: BaseDatabaseWrapper) -> list[str]:
    """Put back SQLite triggers that a later migration removed, and refill the
    index they kept; return the tables repaired.

    Django changes a SQLite table by copying it into a new one and dropping the
    old, and dropping a table drops its triggers: after an AlterField on
    ``tickets_ticket`` the index would silently stop following. Run after every
    ``migrate`` (see ``apps``)."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if TICKET_FTS.name not in present:
            return []  # not migrated yet (or migrated back): nothing to repair
        repaired = []
        for table in FTS_TABLES:
            missing = [sql for name, sql in table.triggers.items() if name not in present]
            if table.name in present and not missing:
                continue
            cursor.execute(table.create)
            for statement in missing:
                cursor.execute(statement)
            cursor.execute(table.rebuild)
            repaired.append(table.name)
    return repaired
