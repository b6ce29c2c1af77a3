"""The stored vectors of migration 0002 (PostgreSQL) and how a search chooses
its way to the matches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskwise.search import ddl, engines
from deskwise.search.selectors import search, suggest_articles
from deskwise.tickets import services
from deskwise.tickets.models import TimelineEvent

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="stored vectors are PostgreSQL's"
)


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def test_the_lexemes_of_a_tsquery_are_read_with_their_quotes():
    text = "'it''s' & !'team' | ( 'shared' <-> 'drive' ) & 'vpn':*"
    assert engines._LEXEME.findall(text) == ["'it''s'", "'team'", "'shared'", "'drive'", "'vpn'"]
    assert engines._LEXEME.findall("") == []


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's schema")
def test_sqlite_tables_have_no_stored_vectors():
    for vector in ddl.PG_VECTORS:
        assert vector.column not in _columns(vector.table)


@postgres_only
class TestStoredVectors:
    def test_the_columns_are_the_databases_not_the_models(self):
        for vector in ddl.PG_VECTORS:
            assert vector.column in _columns(vector.table)
        assert "search_vector" not in {f.column for f in TimelineEvent._meta.concrete_fields}

    def test_vectors_follow_every_kind_of_write(self, desk, article):
        ticket = desk.ticket(subject="Camera", description="The camera is blurry")
        services.reply(ticket=ticket, actor=desk.agent, body="Try cleaning the lens")
        assert [t.id for t in search(user=desk.agent, q="lens").tickets] == [ticket.pk]
        TimelineEvent.objects.filter(ticket=ticket).update(body_text="Replaced the tripod")
        assert search(user=desk.agent, q="lens").tickets == []
        assert [t.id for t in search(user=desk.agent, q="tripod").tickets] == [ticket.pk]
        page = article("Lens care", "Use a cloth.")
        type(page).objects.filter(pk=page.pk).update(body="Use a microfibre cloth.")
        assert [a.id for a in suggest_articles("my microfibre is dirty")] == [page.pk]

    def test_the_migration_goes_back_and_forth(self, desk, article):
        ticket = desk.ticket(subject="Scanner", description="The scanner jams on glossy paper")
        page = article("Glossy paper", "Feed glossy paper by hand.")
        with connection.cursor() as cursor:
            # The rows above were written in this test's transaction; their
            # deferred foreign key checks must run before the table changes.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with connection.schema_editor() as editor:
            ddl.drop_vectors(editor)
        for vector in ddl.PG_VECTORS:
            assert vector.column not in _columns(vector.table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
                [list(ddl.PG_INDEXES_0001)],
            )
            assert {row[0] for row in cursor.fetchall()} == set(ddl.PG_INDEXES_0001)
        with connection.schema_editor() as editor:
            ddl.store_vectors(editor)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
                [[*ddl.PG_INDEXES_0001, *ddl.PG_INDEXES]],
            )
            assert {row[0] for row in cursor.fetchall()} == set(ddl.PG_INDEXES)
        assert [t.id for t in search(user=desk.agent, q="glossy").tickets] == [ticket.pk]
        assert [a.id for a in search(user=desk.agent, q="glossy").articles] == [page.pk]


@postgres_only
class TestWays:
    def test_only_stop_words_ask_nothing_more(self, desk):
        desk.ticket(subject="The printer", description="It is the one on the left")
        with CaptureQueriesContext(connection) as captured:
            assert search(user=desk.agent, q="the", kinds=["tickets"]).tickets == []
        assert not any("hits AS" in q["sql"] for q in captured.captured_queries)

    def test_a_requester_is_searched_from_their_tickets(self, desk, monkeypatch):
        """Whatever the words, the conditions hide from the full-text indexes,
        so the plan starts from the requester's few tickets."""
        desk.ticket(subject="Toner low", description="The toner is low")
        with CaptureQueriesContext(connection) as captured:
            found = search(user=desk.requester, q="toner", kinds=["tickets"]).tickets
        assert len(found) == 1
        sql = next(q["sql"] for q in captured.captured_queries if "hits AS" in q["sql"])
        assert f"({ddl.EVENT_VECTOR} @@" in sql
        assert "IS TRUE" in sql
        assert "matched AS" not in sql

    def test_words_that_may_be_common_together_are_looked_for_in_the_window_first(
        self, desk, monkeypatch
    ):
        """Two words, or a phrase: the planner would guess them rare; the
        rows with either word bound how many there can be."""
        for i in range(3):
            desk.ticket(subject=f"Shared drive {i}", description="The shared drive is gone")
        monkeypatch.setattr(engines, "NARROW_SCOPE", -1)
        monkeypatch.setattr(engines, "RECENT_TICKETS", 1)
        with connection.cursor() as cursor:
            for table in ("tickets_ticket", "tickets_timelineevent"):
                cursor.execute(f"ANALYZE {table}")
        calls = []
        real = engines.PostgresEngine._tickets

        def spy(self, cursor, query, scope, internal, limit, after, walk, narrow):
            calls.append((after > 0, walk))
            return real(self, cursor, query, scope, internal, limit, after, walk, narrow)

        monkeypatch.setattr(engines.PostgresEngine, "_tickets", spy)
        monkeypatch.setattr(engines, "FEW_MATCHES", 1)  # "either word" is in 3 rows or more
        found = search(user=desk.agent, q='"shared drive"', kinds=["tickets"]).tickets
        assert len(found) == 3
        assert calls[0] == (True, (True, True))  # the window, walked
        assert calls[-1][0] is False  # then every ticket, the page being short
        calls.clear()
        monkeypatch.setattr(engines, "FEW_MATCHES", 10**9)  # few: the index only
        assert len(search(user=desk.agent, q='"shared drive"', kinds=["tickets"]).tickets) == 3
        assert calls == [(False, (False, False))]
