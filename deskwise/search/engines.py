"""The SQL of search, one engine per database vendor.

Both engines answer the same questions with the same shape of query: find the
matching rows through the full-text index, rank them in SQL, keep the first
few, and only then build snippets for the rows a page shows. Who may see what
arrives as a WHERE clause compiled from the permission policy's Q, so the
filter is applied inside the query, before ranking and LIMIT, never in Python.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet

from deskwise.search import ddl
from deskwise.search.terms import MARK_CLOSE, MARK_OPEN, Query
from deskwise.tickets.choices import Visibility

# A piece of SQL and its parameters.
Fragment = tuple[str, list[Any]]
# (ticket id, score, best matching event id or None)
TicketRow = tuple[int, float, int | None]
# (id, score, marked title or name, marked snippet or email)
MarkedRow = tuple[int, float, str, str]

# How many matches per source (subjects, timeline events) are ranked. Bounding
# them keeps a common word from ranking a million rows; on PostgreSQL the
# bound takes the matches on the newest tickets, which on a desk are also the
# likeliest.
CANDIDATES = 100
ARTICLE_CANDIDATES = 300
# PostgreSQL: a person who may see at most this many tickets (a requester) is
# searched from their tickets, whatever the words.
NARROW_SCOPE = 5_000
# PostgreSQL (see PostgresEngine.tickets): words in at most FEW_MATCHES rows
# are found through the GIN index; others by walking the newest RECENT_TICKETS
# tickets first, and then, if those do not fill the page, by walking them all
# where at least this COMMON_SHARE of the rows the walk reads is expected to
# match, else through the index.
FEW_MATCHES = 5_000
RECENT_TICKETS = 5_000
COMMON_SHARE = 0.02
SUBJECT_WEIGHT = 2.0  # a word in the subject counts twice a word in a message
TITLE_WEIGHT = 10.0  # SQLite's bm25 column weight for article titles and contact names
SNIPPET_WORDS = 24


def where(queryset: QuerySet[Any]) -> Fragment | None:
    """The filter of a queryset as SQL on its own table (which the raw SQL then
    names without an alias), or None when it can match nothing."""
    query = queryset.query
    table = queryset.model._meta.db_table
    try:
        if any(alias != table and query.alias_refcount[alias] for alias in query.alias_map):
            # A filter through a join (joins the ORM trimmed have no references):
            # keep it whole, as a subquery on the key.
            sql, params = queryset.values("pk").query.sql_with_params()
            return f"{table}.id IN ({sql})", list(params)
        sql, params = query.get_compiler(using=queryset.db).compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1=1", []
    return (sql or "1=1"), list(params)


def _in(ids: Sequence[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class Engine(Protocol):
    def tickets(
        self, query: Query, scope: Fragment, *, internal: bool, limit: int
    ) -> list[TicketRow]: ...

    def ticket_marks(
        self, query: Query, ticket_ids: Sequence[int], event_ids: Sequence[int]
    ) -> tuple[dict[int, str], dict[int, str]]: ...

    def articles(self, query: Query, scope: Fragment, *, limit: int) -> list[MarkedRow]: ...

    def contacts(self, query: Query, *, limit: int) -> list[MarkedRow]: ...


# Both engines gather (ticket, event-or-null, score) candidates, then keep each
# ticket's best subject score and best event score, and rank tickets by their sum.
_TICKET_TOP = """
, best AS (
    SELECT ticket_id, event_id, score, ROW_NUMBER() OVER (
        PARTITION BY ticket_id, (event_id IS NULL) ORDER BY score DESC, event_id DESC
    ) AS n
    FROM hits
)
SELECT ticket_id, SUM(score) AS total, MAX(event_id)
FROM best WHERE n = 1
GROUP BY ticket_id
ORDER BY total DESC, ticket_id DESC
LIMIT %s
"""


class SqliteEngine:
    """FTS5 with bm25 ranking (bm25 is negative: more negative is better)."""

    def tickets(
        self, query: Query, scope: Fragment, *, internal: bool, limit: int
    ) -> list[TicketRow]:
        scope_sql, scope_params = scope
        public = "" if internal else "AND tickets_timelineevent.visibility = %s"
        sql = f"""
        WITH hits AS (
            SELECT * FROM (
                SELECT tickets_ticket.id AS ticket_id, NULL AS event_id,
                       -{SUBJECT_WEIGHT} * bm25({ddl.TICKET_FTS.name}) AS score
                FROM {ddl.TICKET_FTS.name}
                JOIN tickets_ticket ON tickets_ticket.id = {ddl.TICKET_FTS.name}.rowid
                WHERE {ddl.TICKET_FTS.name} MATCH %s AND ({scope_sql})
                ORDER BY score DESC LIMIT {CANDIDATES}
            )
            UNION ALL
            SELECT * FROM (
                SELECT tickets_timelineevent.ticket_id AS ticket_id,
                       tickets_timelineevent.id AS event_id,
                       -bm25({ddl.EVENT_FTS.name}) AS score
                FROM {ddl.EVENT_FTS.name}
                JOIN tickets_timelineevent
                  ON tickets_timelineevent.id = {ddl.EVENT_FTS.name}.rowid
                JOIN tickets_ticket ON tickets_ticket.id = tickets_timelineevent.ticket_id
                WHERE {ddl.EVENT_FTS.name} MATCH %s AND ({scope_sql}) {public}
                ORDER BY score DESC LIMIT {CANDIDATES}
            )
        )
        {_TICKET_TOP}
        """  # noqa: S608 (our names and ORM-compiled filters; values are parameters)
        params = [query.fts5, *scope_params, query.fts5, *scope_params]
        if not internal:
            params.append(Visibility.PUBLIC.value)
        params.append(limit)
        return [(int(t), float(s), e) for t, s, e in _rows(sql, params)]

    def ticket_marks(
        self, query: Query, ticket_ids: Sequence[int], event_ids: Sequence[int]
    ) -> tuple[dict[int, str], dict[int, str]]:
        subjects: dict[int, str] = {}
        bodies: dict[int, str] = {}
        if ticket_ids:
            table = ddl.TICKET_FTS.name
            sql = (
                f"SELECT rowid, highlight({table}, 0, %s, %s) FROM {table} "  # noqa: S608
                f"WHERE {table} MATCH %s AND rowid IN ({_in(ticket_ids)})"
            )
            subjects = dict(_rows(sql, [MARK_OPEN, MARK_CLOSE, query.fts5, *ticket_ids]))
        if event_ids:
            table = ddl.EVENT_FTS.name
            sql = (
                f"SELECT rowid, snippet({table}, 0, %s, %s, '…', {SNIPPET_WORDS}) "  # noqa: S608
                f"FROM {table} "
                f"WHERE {table} MATCH %s AND rowid IN ({_in(event_ids)})"
            )
            bodies = dict(_rows(sql, [MARK_OPEN, MARK_CLOSE, query.fts5, *event_ids]))
        return subjects, bodies

    def articles(self, query: Query, scope: Fragment, *, limit: int) -> list[MarkedRow]:
        table = ddl.ARTICLE_FTS.name
        scope_sql, scope_params = scope
        sql = f"""
        SELECT kb_article.id, -bm25({table}, {TITLE_WEIGHT}, 1.0) AS score,
               highlight({table}, 0, %s, %s),
               snippet({table}, 1, %s, %s, '…', {SNIPPET_WORDS})
        FROM {table} JOIN kb_article ON kb_article.id = {table}.rowid
        WHERE {table} MATCH %s AND ({scope_sql})
        ORDER BY score DESC, kb_article.id DESC
        LIMIT %s
        """  # noqa: S608
        params = [MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, query.fts5, *scope_params, limit]
        return [(int(i), float(s), t, b) for i, s, t, b in _rows(sql, params)]

    def contacts(self, query: Query, *, limit: int) -> list[MarkedRow]:
        table = ddl.CONTACT_FTS.name
        sql = f"""
        SELECT accounts_contact.id, -bm25({table}, {TITLE_WEIGHT}, 1.0) AS score,
               highlight({table}, 0, %s, %s), highlight({table}, 1, %s, %s)
        FROM {table} JOIN accounts_contact ON accounts_contact.id = {table}.rowid
        WHERE {table} MATCH %s
        ORDER BY score DESC, accounts_contact.id DESC
        LIMIT %s
        """  # noqa: S608
        params = [MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, query.fts5, limit]
        return [(int(i), float(s), n, e) for i, s, n, e in _rows(sql, params)]


# ts_headline options: our markers, whole subjects, a couple of fragments of a body.
_WHOLE = f'HighlightAll=true, StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
_FRAGMENTS = (
    f"MaxFragments=2, MaxWords={SNIPPET_WORDS}, MinWords=8, ShortWord=2, "
    f'FragmentDelimiter=" … ", StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}"'
)
_EN = "websearch_to_tsquery('english', %s)"
_SIMPLE = "websearch_to_tsquery('simple', %s)"
# A lexeme in a tsquery's text, quotes included ('it''s').
_LEXEME = re.compile(r"'(?:[^']|'')+'")


# Search plans are short: compiling them (JIT) or starting parallel workers
# costs more than it saves, and lossy bitmaps would recheck whole pages. The
# matches lead and each looks its ticket up by key: the planner's guesses for
# rare words would rather hash a team's whole history.
_SETTINGS = {
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    "work_mem": "32MB",
    "enable_hashjoin": "off",
    "enable_mergejoin": "off",
}


def _set(cursor: CursorWrapper, settings: dict[str, str]) -> None:
    """SET LOCAL, for the rest of the transaction, in one statement."""
    calls = ", ".join(["set_config(%s, %s, true)"] * len(settings))
    cursor.execute(f"SELECT {calls}", [v for item in settings.items() for v in item])


@contextmanager
def _tuned() -> Iterator[CursorWrapper]:
    """A cursor in a transaction with the search settings (local to it, so a
    pooled connection is given back as it came)."""
    with transaction.atomic(), connection.cursor() as cursor:
        _set(cursor, _SETTINGS)
        yield cursor


def _fetch(cursor: CursorWrapper, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    cursor.execute(sql, params)
    return list(cursor.fetchall())


class PostgresEngine:
    """GIN indexes (on stored vectors for the long texts); ts_rank_cd ranking;
    ts_headline snippets.

    The match conditions repeat the indexed expressions of ``ddl`` exactly, and
    the query text is a literal each time (psycopg binds on the client), so the
    planner sees the tsquery and estimates from the index's statistics."""

    def tickets(
        self, query: Query, scope: Fragment, *, internal: bool, limit: int
    ) -> list[TicketRow]:
        """Matches on the newest tickets first, read the way that suits how
        common the words are.

        There are two ways to find a source's (subjects', timeline events')
        newest matches: ask the GIN index for every match, which costs in
        proportion to how many there are (a common word is in a million
        events), or walk the newest rows testing each (an event's stored
        vector; a subject, short, is read again) until enough match, which
        costs in proportion to how rare the words are. The
        planner cannot weigh them (it guesses a phrase or two words together to
        be as rare as the words' frequencies multiplied, when words that go
        together are as common as the rarer of them), so we choose from its
        estimates, as bounds:

        - a person who may see few tickets (a requester) is searched from
          their tickets, whatever the words;
        - a source where the rows holding any of the words are at most
          ``FEW_MATCHES`` is read through the index: that is cheap;
        - any other source is walked first among the newest
          ``RECENT_TICKETS`` tickets, which costs at most that window, and
          finds enough when the words are common, as they probably are;
        - only a page the window cannot fill looks at every ticket: walking a
          source whose words the planner too thinks common enough (every
          ``1 / COMMON_SHARE``-th row the walk reads would match), else
          through the index."""
        with _tuned() as cursor:
            plan = self._plan(cursor, query, scope)
            if plan is None:
                return []  # only stop words: nothing can match
            newest, narrow, probe, walk = plan
            if narrow:
                return self._tickets(cursor, query, scope, internal, limit, 0, (True, True), True)
            if any(probe):
                after = max(newest - RECENT_TICKETS, 0)
                rows = self._tickets(cursor, query, scope, internal, limit, after, probe, False)
                if len(rows) >= limit or not after:
                    return rows
            return self._tickets(cursor, query, scope, internal, limit, 0, walk, False)

    def _plan(
        self, cursor: CursorWrapper, query: Query, scope: Fragment
    ) -> tuple[int, bool, tuple[bool, bool], tuple[bool, bool]] | None:
        """(newest ticket, narrow, walk the window, walk everything), for
        subjects and events; None when the query has no word to look for."""
        sizes = (
            "SELECT (SELECT max(id) FROM tickets_ticket),"
            " (SELECT reltuples FROM pg_class WHERE oid = 'tickets_ticket'::regclass),"
            " (SELECT reltuples FROM pg_class WHERE oid = 'tickets_timelineevent'::regclass)"
        )
        cursor.execute(f"{sizes}, {_EN}::text", [query.websearch])
        newest, tickets, events, tsquery = cursor.fetchone()
        words = list(dict.fromkeys(_LEXEME.findall(tsquery)))
        if not words:
            return None
        visible = self._estimate(cursor, "tickets_ticket", *scope)
        if visible <= NARROW_SCOPE:
            return newest or 0, True, (True, True), (True, True)
        share = min(1.0, visible / max(float(tickets), 1.0))
        probe, walk = [], []
        for table, vector, rows in (
            ("tickets_ticket", ddl.TICKET_VECTOR, max(float(tickets), 1.0)),
            ("tickets_timelineevent", ddl.EVENT_VECTOR, max(float(events), 1.0)),
        ):
            matches = self._estimate(cursor, table, f"{vector} @@ {_EN}", [query.websearch])
            # Rows with any of the words: more than hold them all, or the phrase.
            any_word = (
                matches
                if len(words) == 1
                else self._estimate(cursor, table, f"{vector} @@ %s::tsquery", [" | ".join(words)])
            )
            probe.append(any_word > FEW_MATCHES)
            walk.append(any_word > FEW_MATCHES and matches * share >= COMMON_SHARE * rows)
        return newest or 0, False, (probe[0], probe[1]), (walk[0], walk[1])

    def _estimate(
        self, cursor: CursorWrapper, table: str, condition: str, params: list[Any]
    ) -> float:
        """How many rows of ``table`` the planner expects ``condition`` to let
        through (for the words, from the statistics of their GIN index or
        stored vector; a table never analysed counts as small)."""
        sql = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE {condition}"  # noqa: S608
        cursor.execute(sql, params)
        raw = cursor.fetchone()[0]
        return float((json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]["Plan Rows"])

    def _tickets(
        self,
        cursor: CursorWrapper,
        query: Query,
        scope: Fragment,
        internal: bool,
        limit: int,
        after: int,
        walk: tuple[bool, bool],
        narrow: bool,
    ) -> list[TicketRow]:
        """Tickets after ``after``. ``walk`` says, for subjects and for events,
        whether to walk the newest (the condition then hides from the index, as
        ``IS TRUE``) or to ask the GIN index. Matching events found through the
        index are gathered first (a materialised CTE of keys) and only then
        looked up by key for the permission filter, so that the planner cannot
        turn this into a walk of a team's tickets. A ``narrow`` scope (a
        requester's tickets) is read from its tickets: the order (``id + 0``)
        is then one no index gives, so the planner starts from the scope."""
        q = query.websearch
        scope_sql, scope_params = scope
        public = "" if internal else "AND tickets_timelineevent.visibility = %s"
        public_params = [] if internal else [Visibility.PUBLIC.value]
        newest_first = "tickets_ticket.id + 0 DESC" if narrow else "tickets_ticket.id DESC"
        if walk[0]:
            subject_match = f"({ddl.TICKET_VECTOR} @@ {_EN}) IS TRUE"
            subject_order = newest_first
        else:
            subject_match = f"{ddl.TICKET_VECTOR} @@ {_EN}"
            subject_order = "tickets_ticket.id + 0 DESC"
        if walk[1]:
            matched, matched_params = "", []
            events = f"""
                SELECT tickets_timelineevent.id, tickets_timelineevent.ticket_id,
                       {ddl.EVENT_VECTOR} AS vector
                FROM tickets_timelineevent
                JOIN tickets_ticket ON tickets_ticket.id = tickets_timelineevent.ticket_id
                WHERE ({ddl.EVENT_VECTOR} @@ {_EN}) IS TRUE AND ({scope_sql}) {public}
                  AND tickets_ticket.id > %s AND tickets_timelineevent.ticket_id > %s
                ORDER BY {newest_first} LIMIT {CANDIDATES}
            """  # noqa: S608
            events_params = [q, *scope_params, *public_params, after, after]
        else:
            matched = f"""
            matched AS MATERIALIZED (
                SELECT tickets_timelineevent.id, tickets_timelineevent.ticket_id
                FROM tickets_timelineevent
                WHERE {ddl.EVENT_VECTOR} @@ {_EN} {public}
                  AND tickets_timelineevent.ticket_id > %s
            ),"""  # noqa: S608
            matched_params = [q, *public_params, after]
            # The vectors are read for the candidates only, after the LIMIT.
            events = f"""
                SELECT tickets_timelineevent.id, tickets_timelineevent.ticket_id,
                       {ddl.EVENT_VECTOR} AS vector
                FROM (
                    SELECT matched.id FROM matched
                    JOIN tickets_ticket ON tickets_ticket.id = matched.ticket_id
                    WHERE ({scope_sql}) AND tickets_ticket.id > %s
                    ORDER BY tickets_ticket.id + 0 DESC LIMIT {CANDIDATES}
                ) newest
                JOIN tickets_timelineevent ON tickets_timelineevent.id = newest.id
            """  # noqa: S608
            events_params = [*scope_params, after]
        sql = f"""
        WITH {matched}
        hits AS (
            SELECT s.id AS ticket_id, NULL::bigint AS event_id,
                   {SUBJECT_WEIGHT} * ts_rank_cd(to_tsvector('english', s.subject), {_EN}) AS score
            FROM (
                SELECT tickets_ticket.id, tickets_ticket.subject FROM tickets_ticket
                WHERE {subject_match} AND ({scope_sql}) AND tickets_ticket.id > %s
                ORDER BY {subject_order} LIMIT {CANDIDATES}
            ) s
            UNION ALL
            SELECT s.ticket_id, s.id, ts_rank_cd(s.vector, {_EN}, 1)
            FROM ({events}) s
        )
        {_TICKET_TOP}
        """  # noqa: S608
        params: list[Any] = [
            *matched_params,
            q, q, *scope_params, after,
            q, *events_params,
            limit,
        ]  # fmt: skip
        cursor.execute(sql, params)
        return [(int(t), float(s), e) for t, s, e in cursor.fetchall()]

    def ticket_marks(
        self, query: Query, ticket_ids: Sequence[int], event_ids: Sequence[int]
    ) -> tuple[dict[int, str], dict[int, str]]:
        subjects: dict[int, str] = {}
        bodies: dict[int, str] = {}
        q = query.websearch
        if ticket_ids:
            sql = (
                f"SELECT id, ts_headline('english', subject, {_EN}, %s) "  # noqa: S608
                "FROM tickets_ticket "
                f"WHERE id IN ({_in(ticket_ids)})"
            )
            subjects = dict(_rows(sql, [q, _WHOLE, *ticket_ids]))
        if event_ids:
            sql = (
                f"SELECT id, ts_headline('english', body_text, {_EN}, %s) "  # noqa: S608
                f"FROM tickets_timelineevent WHERE id IN ({_in(event_ids)})"
            )
            bodies = dict(_rows(sql, [q, _FRAGMENTS, *event_ids]))
        return subjects, bodies

    def articles(self, query: Query, scope: Fragment, *, limit: int) -> list[MarkedRow]:
        if query.words:
            return self._any_words_articles(query, scope, limit=limit)
        return self._articles(query, scope, limit=limit)

    def _any_words_articles(self, query: Query, scope: Fragment, *, limit: int) -> list[MarkedRow]:
        """For a whole request as someone wrote it: each shared word counts by
        its rarity among the articles (tf-idf: ts_rank of the word, titles
        weighing more, times the log of how few articles hold it). ts_rank_cd
        alone would let "use", "get" and "help" outweigh the one word that
        names the problem. The rarity is counted among the matching articles,
        which is exact while they are at most ``ARTICLE_CANDIDATES``. The
        bodies' words are stored (``ddl.PG_VECTORS``); a body itself is read
        only for the snippets of the few articles shown."""
        scope_sql, scope_params = scope
        sql = f"""
        WITH words AS (
            SELECT DISTINCT ON (q::text) q FROM (
                SELECT websearch_to_tsquery('english', w) AS q FROM unnest(%s::text[]) w
            ) each WHERE numnode(q) > 0
        ),
        candidates AS MATERIALIZED (
            SELECT kb_article.id, {ddl.ARTICLE_VECTOR} AS vec
            FROM kb_article
            WHERE {ddl.ARTICLE_VECTOR} @@ {_EN} AND ({scope_sql})
            ORDER BY ts_rank(to_tsvector('english', kb_article.title), {_EN}) DESC,
                     kb_article.id DESC
            LIMIT {ARTICLE_CANDIDATES}
        ),
        total AS (SELECT count(*) + 1.0 AS n FROM kb_article WHERE ({scope_sql})),
        rarity AS (
            SELECT words.q, ln((SELECT n FROM total) / (count(*) + 0.5)) AS idf
            FROM words JOIN candidates ON candidates.vec @@ words.q
            GROUP BY words.q::text, words.q
        ),
        ranked AS (
            SELECT candidates.id, sum(rarity.idf * ts_rank(candidates.vec, rarity.q)) AS score
            FROM candidates JOIN rarity ON candidates.vec @@ rarity.q
            GROUP BY candidates.id
            ORDER BY score DESC, candidates.id DESC
            LIMIT %s
        )
        SELECT kb_article.id, ranked.score,
               ts_headline('english', kb_article.title, {_EN}, %s),
               ts_headline('english', kb_article.body, {_EN}, %s)
        FROM ranked JOIN kb_article ON kb_article.id = ranked.id
        ORDER BY ranked.score DESC, kb_article.id DESC
        """  # noqa: S608
        q = query.websearch
        params = [
            list(query.words), q, *scope_params, q, *scope_params, limit,
            q, _WHOLE, q, _FRAGMENTS,
        ]  # fmt: skip
        with _tuned() as cursor:
            rows = _fetch(cursor, sql, params)
        return [(int(i), float(s), t, b) for i, s, t, b in rows]

    def _articles(self, query: Query, scope: Fragment, *, limit: int) -> list[MarkedRow]:
        """The index finds the articles; the rank weighs the title (A) above the
        body (D), from the stored vectors. In a large knowledge base only the
        ``ARTICLE_CANDIDATES`` matches whose titles match best are ranked
        (titles are short to read); most knowledge bases have fewer matches
        than that, and all of them are ranked. Bodies are read for the
        snippets of the page only."""
        scope_sql, scope_params = scope
        sql = f"""
        SELECT kb_article.id, s.score,
               ts_headline('english', kb_article.title, {_EN}, %s),
               ts_headline('english', kb_article.body, {_EN}, %s)
        FROM (
            SELECT c.id, ts_rank_cd(c.vec, {_EN}, 1) AS score
            FROM (
                SELECT kb_article.id, {ddl.ARTICLE_VECTOR} AS vec FROM kb_article
                WHERE {ddl.ARTICLE_VECTOR} @@ {_EN} AND ({scope_sql})
                ORDER BY ts_rank(to_tsvector('english', kb_article.title), {_EN}) DESC,
                         kb_article.id DESC
                LIMIT {ARTICLE_CANDIDATES}
            ) c
            ORDER BY score DESC, c.id DESC
            LIMIT %s
        ) s
        JOIN kb_article ON kb_article.id = s.id
        ORDER BY s.score DESC, s.id DESC
        """  # noqa: S608
        q = query.websearch
        params = [q, _WHOLE, q, _FRAGMENTS, q, q, *scope_params, q, limit]
        with _tuned() as cursor:
            rows = _fetch(cursor, sql, params)
        return [(int(i), float(s), t, b) for i, s, t, b in rows]

    def contacts(self, query: Query, *, limit: int) -> list[MarkedRow]:
        """The newest matching contacts, ranked. The order is on an expression
        (``id + 0``) that no index gives, so that the planner asks the GIN
        index, instead of reading every contact newest first in the hope that
        many match."""
        sql = f"""
        SELECT s.id, s.score,
               ts_headline('simple', s.name, {_SIMPLE}, %s),
               ts_headline('simple', s.email, {_SIMPLE}, %s)
        FROM (
            SELECT c.id, c.name, c.email,
                   ts_rank_cd(to_tsvector('simple', c.name || ' ' || c.email), {_SIMPLE}) AS score
            FROM (
                SELECT accounts_contact.id, accounts_contact.name, accounts_contact.email
                FROM accounts_contact
                WHERE {ddl.CONTACT_VECTOR} @@ {_SIMPLE}
                ORDER BY accounts_contact.id + 0 DESC LIMIT {CANDIDATES}
            ) c
            ORDER BY score DESC, c.id DESC
            LIMIT %s
        ) s
        ORDER BY s.score DESC, s.id DESC
        """  # noqa: S608
        q = query.websearch
        params = [q, _WHOLE, q, _WHOLE, q, q, limit]
        with _tuned() as cursor:
            rows = _fetch(cursor, sql, params)
        return [(int(i), float(s), n, e) for i, s, n, e in rows]


def engine() -> Engine:
    """The engine for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"Search does not support {connection.vendor}.")
