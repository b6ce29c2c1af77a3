"""The full-text indexes, per database: defined once, applied by the migrations
and repaired after every ``migrate``.

The index follows the rows by itself, in the database, because tickets are
written by many services (intake, mail, the API, bulk updates): no app has to
remember to index. On SQLite that takes FTS5 tables kept by triggers; on
PostgreSQL, GIN indexes on expressions and on generated (stored) tsvector
columns, which the database keeps current.

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

# PostgreSQL. The expressions the queries in ``engines`` repeat word for word,
# so that the planner recognises them as the indexes below.
#
# Migration 0001 indexed every text through a GIN expression index. An
# expression index finds the rows, but every row it is asked to check again (a
# phrase, a word in a walk of the newest tickets) and every row ranked runs
# to_tsvector over the text once more, which for a timeline message or an
# article costs far more than reading it. Migration 0002 therefore keeps the
# vector of the long texts, timeline event bodies and article bodies, in a
# generated column of their own table, computed once when the row is written,
# and indexes that. Subjects, names and addresses are short: their expression
# indexes stay.
#
# A generated column follows renames, but PostgreSQL refuses to change the type
# of a column one is computed from ("cannot alter type of a column used by a
# generated column"). Both sources are text (TextField), whose type there is no
# reason to change; a migration that must change one runs
# ``ddl.drop_vectors`` before and ``ddl.store_vectors`` after it. Django never
# sees these columns (they are in no model), so it never drops them, and the
# rows it writes get their vectors from the database.
TICKET_VECTOR = "to_tsvector('english', tickets_ticket.subject)"
EVENT_VECTOR = "tickets_timelineevent.search_vector"
CONTACT_VECTOR = "to_tsvector('simple', accounts_contact.name || ' ' || accounts_contact.email)"
# The title weighs more (A) than the body (D, to_tsvector's weight) when ranked.
ARTICLE_VECTOR = (
    "(setweight(to_tsvector('english', kb_article.title), 'A') || kb_article.search_body_vector)"
)


@dataclass(frozen=True)
class StoredVector:
    """A generated column holding a text's tsvector (PostgreSQL)."""

    table: str
    column: str
    expression: str

    @property
    def add(self) -> str:
        return (
            f"ALTER TABLE {self.table} ADD COLUMN IF NOT EXISTS {self.column} tsvector "
            f"GENERATED ALWAYS AS ({self.expression}) STORED"
        )

    @property
    def drop(self) -> str:
        return f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS {self.column}"


PG_VECTORS = (
    StoredVector("tickets_timelineevent", "search_vector", "to_tsvector('english', body_text)"),
    StoredVector("kb_article", "search_body_vector", "to_tsvector('english', body)"),
)
# Index name -> (table, what is indexed), as migration 0001 made them.
PG_INDEXES_0001 = {
    "search_ticket_subject_tsv": ("tickets_ticket", "to_tsvector('english', subject)"),
    "search_event_body_tsv": ("tickets_timelineevent", "to_tsvector('english', body_text)"),
    "search_contact_tsv": ("accounts_contact", "to_tsvector('simple', name || ' ' || email)"),
    "search_article_tsv": ("kb_article", "to_tsvector('english', title || ' ' || body)"),
}
# ... and as they are since 0002: two of them replaced by indexes on the stored vectors.
PG_REPLACED = {
    "search_event_body_tsv": ("search_event_vector", ("tickets_timelineevent", "search_vector")),
    "search_article_tsv": (
        "search_article_vector",
        ("kb_article", "(setweight(to_tsvector('english', title), 'A') || search_body_vector)"),
    ),
}
PG_INDEXES = {
    **{k: v for k, v in PG_INDEXES_0001.items() if k not in PG_REPLACED},
    **dict(PG_REPLACED.values()),
}


def _create_indexes(
    schema_editor: BaseDatabaseSchemaEditor, indexes: dict[str, tuple[str, str]]
) -> None:
    # Plain CREATE INDEX: CONCURRENTLY cannot run inside the migration's
    # transaction. On a large existing desk, create them concurrently by
    # hand first; IF NOT EXISTS then makes this a no-op.
    for name, (on, expression) in indexes.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {on} USING gin ({expression})", params=None
        )


def create(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration 0001: create the indexes for this database and fill them from
    the rows already there."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in FTS_TABLES:
            schema_editor.execute(table.create, params=None)
            for statement in table.triggers.values():
                schema_editor.execute(statement, params=None)
            schema_editor.execute(table.rebuild, params=None)
    elif vendor == "postgresql":
        _create_indexes(schema_editor, PG_INDEXES_0001)


def drop(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Undo ``create`` (after ``drop_vectors``, when going back past 0002)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in FTS_TABLES:
            for trigger in table.triggers:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}", params=None)
            schema_editor.execute(f"DROP TABLE IF EXISTS {table.name}", params=None)
    elif vendor == "postgresql":
        for name in PG_INDEXES_0001:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


def store_vectors(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Migration 0002, PostgreSQL only: the stored vectors and their indexes, in
    place of the expression indexes they replace.

    Adding a stored generated column rewrites the table (and its indexes) under
    an exclusive lock: about a minute for four million timeline events. The old
    expression indexes go first, so that the rewrite does not rebuild them."""
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite's FTS5 tables hold their own copy of the words
    for old in PG_REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {old}", params=None)
    for vector in PG_VECTORS:
        schema_editor.execute(vector.add, params=None)
    _create_indexes(schema_editor, dict(PG_REPLACED.values()))
    for table in dict.fromkeys(v.table for v in PG_VECTORS):
        # The planner's estimates of how many rows hold a word, which the
        # search relies on (see ``PostgresEngine.tickets``), come from here.
        schema_editor.execute(f"ANALYZE {table}", params=None)


def drop_vectors(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Undo ``store_vectors``: back to migration 0001's expression indexes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for new, _ in PG_REPLACED.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {new}", params=None)
    for vector in PG_VECTORS:
        schema_editor.execute(vector.drop, params=None)
    _create_indexes(schema_editor, {k: PG_INDEXES_0001[k] for k in PG_REPLACED})


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
