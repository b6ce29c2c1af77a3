"""The index itself: created by the migration, kept by the database, repaired
after schema changes, and reached by the queries (PostgreSQL plans)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskwise.search import ddl
from deskwise.search.selectors import search, suggest_articles
from deskwise.tickets import services

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="FTS5 is SQLite's")
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="GIN plans are PostgreSQL's"
)


@sqlite_only
class TestSqlite:
    def _integrity(self) -> None:
        with connection.cursor() as cursor:
            for table in ddl.FTS_TABLES:
                # Raises "database disk image is malformed" if the index has
                # drifted from its content table.
                name = table.name
                cursor.execute(f"INSERT INTO {name}({name}, rank) VALUES ('integrity-check', 1)")  # noqa: S608

    def test_the_index_matches_its_tables_after_every_kind_of_write(self, desk, article):
        ticket = desk.ticket(subject="Camera", description="The camera is blurry")
        services.reply(ticket=ticket, actor=desk.agent, body="Try cleaning the lens")
        type(ticket).objects.filter(pk=ticket.pk).update(subject="Webcam")
        page = article("Lens care", "Use a cloth.")
        type(page).objects.filter(pk=page.pk).update(body="Use a soft cloth.")
        self._integrity()
        type(ticket).objects.filter(pk=ticket.pk).delete()
        page.delete()
        self._integrity()

    def test_rebuild_indexes_the_rows_already_there(self, desk):
        """What the migration does for a desk that has tickets before it runs."""
        ticket = desk.ticket(subject="Turntable spins backwards")
        with connection.cursor() as cursor:
            name = ddl.TICKET_FTS.name
            cursor.execute(f"INSERT INTO {name}({name}) VALUES ('delete-all')")  # noqa: S608
            assert search(user=desk.agent, q="turntable").tickets == []
            cursor.execute(ddl.TICKET_FTS.rebuild)
        assert [t.id for t in search(user=desk.agent, q="turntable").tickets] == [ticket.pk]

    def test_repair_puts_back_triggers_a_table_rebuild_dropped(self, desk):
        """Django alters a SQLite table by copying it and dropping the old one,
        triggers and all; ``repair`` runs after every migrate to undo that."""
        with connection.cursor() as cursor:
            for trigger in ddl.TICKET_FTS.triggers:
                cursor.execute(f"DROP TRIGGER {trigger}")
        ticket = desk.ticket(subject="Vending machine eats coins")  # unseen by the index
        assert search(user=desk.agent, q="vending").tickets == []
        assert ddl.repair(connection) == [ddl.TICKET_FTS.name]
        assert [t.id for t in search(user=desk.agent, q="vending").tickets] == [ticket.pk]
        assert ddl.repair(connection) == []  # nothing left to repair
        self._integrity()


@postgres_only
class TestPostgresPlans:
    """The queries repeat the indexed expressions exactly; if they drift, the
    planner falls back to scanning every row, which only shows at scale. So
    check the plans, with sequential scans priced out on these tiny tables."""

    def _plans(self, run) -> str:
        with CaptureQueriesContext(connection) as captured:
            run()
        plans = []
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            for query in captured.captured_queries:
                if "@@" in query["sql"] and not query["sql"].startswith("EXPLAIN"):
                    cursor.execute(f"EXPLAIN {query['sql']}")
                    plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return "\n".join(plans)

    def _expression(self, index: str) -> str:
        """What the index holds, as PostgreSQL prints it: an expression, or the
        name of a (stored vector) column."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(pg_get_expr(indexprs, indrelid), attname) FROM pg_index "
                "LEFT JOIN pg_attribute ON attrelid = indrelid AND attnum = indkey[0] "
                "WHERE indexrelid = %s::regclass",
                [index],
            )
            return cursor.fetchone()[0]

    def test_search_conditions_are_the_indexed_expressions(self, desk, article):
        """Whether an index is used depends on sizes (and, for tickets, on how
        common the words are: see ``PostgresEngine.tickets``); that it can be
        used depends on the condition being the indexed expression."""
        desk.ticket(subject="Router blinks", description="The router blinks red")
        article("Router lights", "What the lights mean.")
        plans = self._plans(lambda: search(user=desk.agent, q="router"))
        for index in ddl.PG_INDEXES:
            assert self._expression(index) in plans, (index, plans)

    def test_suggestions_use_the_indexed_expression(self, desk, article):
        """On a tiny table the planner may prefer another index; what matters is
        that the condition is the indexed expression, as PostgreSQL prints it."""
        article("Router lights", "What the lights mean.")
        plans = self._plans(lambda: suggest_articles("my router lights blink", user=desk.agent))
        expression = self._expression("search_article_vector")
        assert expression in plans, (expression, plans)


class TestScopes:
    """The permission filter becomes a plain WHERE on the searched table, so the
    planner can combine it with the full-text index (a subquery would not)."""

    def test_policy_filters_compile_to_a_where_on_the_table(self, desk):
        from deskwise.search.engines import where
        from deskwise.tickets.models import Ticket
        from deskwise.tickets.permissions import visible_tickets

        for user in (desk.agent, desk.requester):
            sql, params = where(Ticket.objects.filter(visible_tickets(user)))
            assert "SELECT" not in sql.upper()
            assert params
        assert where(Ticket.objects.filter(visible_tickets(desk.admin))) == ("1=1", [])
        assert where(Ticket.objects.none()) is None

    def test_a_filter_through_a_join_is_kept_whole(self, desk):
        from deskwise.search.engines import where
        from deskwise.tickets.models import Ticket

        sql, params = where(Ticket.objects.filter(participants__email="a@example.org"))
        assert sql.startswith("tickets_ticket.id IN (SELECT")
        assert params == ["a@example.org"]


@postgres_only
class TestPostgresWindows:
    """On a large desk PostgreSQL looks at the newest tickets first, then at
    all; here the thresholds and the window are made tiny so that every path
    runs."""

    @pytest.fixture
    def tickets(self, desk):
        old = [
            desk.ticket(subject=f"Modem {i} resets", description="The modem resets")
            for i in range(4)
        ]
        for i in range(6):
            desk.ticket(subject=f"Filler {i}", description="Nothing about it")
        new = desk.ticket(subject="Modem resets again", description="And again")
        return old, new

    @pytest.mark.parametrize("common_share", [0.0, 1.0])  # then walk everything, or the index
    @pytest.mark.parametrize("few", [0, 10**9])  # in the window first, or the index only
    @pytest.mark.parametrize("narrow", [0, 10**9])  # from the visible tickets, or not
    @pytest.mark.parametrize("window", [1, 3, 100])
    @pytest.mark.parametrize("q", ["modem", "modem resets", '"modem resets"'])
    def test_every_way_finds_the_same(
        self, desk, tickets, monkeypatch, common_share, few, narrow, window, q
    ):
        from deskwise.search import engines

        old, new = tickets
        expected = [(t.id, t.rank) for t in search(user=desk.agent, q=q, limit=5).tickets]
        monkeypatch.setattr(engines, "NARROW_SCOPE", narrow)
        monkeypatch.setattr(engines, "COMMON_SHARE", common_share)
        monkeypatch.setattr(engines, "FEW_MATCHES", few)
        monkeypatch.setattr(engines, "RECENT_TICKETS", window)
        found = [(t.id, t.rank) for t in search(user=desk.agent, q=q, limit=5).tickets]
        assert found == expected  # the same tickets, ranked the same
        assert {t for t, _ in found} == {new.pk, *(t.pk for t in old)}
        # A page the newest window fills stops there.
        assert len(search(user=desk.agent, q=q, limit=1).tickets) == 1
        assert search(user=desk.requester, q=f"{q} -resets").tickets == []
