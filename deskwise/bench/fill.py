"""Fill a database with N tickets and their timelines, fast.

Services are the only write path for real work; a benchmark needs a million
tickets in minutes, so this writes rows in bulk (COPY on PostgreSQL, batched
inserts on SQLite) with the same shapes the services produce.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Contact, Membership, Team, User
from deskwise.core import clock
from deskwise.sla.targets import target_for
from deskwise.tickets.choices import (
    Channel,
    EventKind,
    Impact,
    Status,
    TriageClass,
    Urgency,
    Visibility,
)
from deskwise.tickets.models import Ticket
from deskwise.triage.priority import priority_for

TEAMS = [
    "Service Desk",
    "Infrastructure",
    "Applications",
    "Identity & Access",
    "Field Support",
    "Security",
]
AGENTS = 40
BENCH_AGENT = "bench-agent"
BENCH_REQUESTER = "bench-requester@example.org"
HEAVY_REQUESTS = 300  # tickets of the one requester whose portal list is measured

STATUS_WEIGHTS = [
    (Status.CLOSED, 880),
    (Status.RESOLVED, 25),
    (Status.DECLINED, 10),
    (Status.DEFERRED, 15),
    (Status.NEW, 15),
    (Status.OPEN, 40),
    (Status.WAITING, 15),
]
CHANNEL_WEIGHTS = [
    (Channel.EMAIL, 45),
    (Channel.PORTAL, 30),
    (Channel.PHONE, 12),
    (Channel.API, 5),
    (Channel.WALK_UP, 5),
    (Channel.CHAT, 3),
]
SUBJECTS = [
    "Outlook keeps asking for my password",
    "Printer on floor {n} jams on every job",
    "VPN disconnects every few minutes",
    "Cannot open the shared drive",
    "New starter needs a laptop",
    "Laptop very slow after the update",
    "Teams calls drop after ten minutes",
    "Access to the finance folder",
    "Monitor flickers",
    "Phone not syncing email",
    "Wi-Fi in meeting room {n} is down",
    "Password expired while travelling",
    "Excel crashes opening the forecast",
    "Request a software licence",
    "Badge reader at door {n}",
]
BODIES = [
    "It started this morning after I restarted. I have tried logging out and in again. "
    "Error message: 'Something went wrong (code {n})'.",
    "Several people on my team have the same problem since yesterday afternoon. "
    "We can work around it but it slows us down.",
    "Could you please set this up before Monday? My manager has approved it by email.",
    "The screen shows 'No signal' with both cables. I have a presentation at {n} o'clock.",
]
REPLIES = [
    "Thanks for the details. I'm looking at it now and will update you within the hour.",
    "Could you send a screenshot of the error and tell me when it last worked?",
    "I've reset it on our side. Please restart and let me know if it's better.",
]


Log = Callable[[str], object]


@dataclass(frozen=True)
class Filled:
    tickets: int
    events: int
    contacts: int


def _pick[T](rng: random.Random, weights: Sequence[tuple[T, int]]) -> T:
    values, w = zip(*weights, strict=True)
    return rng.choices(values, weights=w)[0]


def _people(
    rng: random.Random, n_contacts: int
) -> tuple[list[Team], list[User], User, list[int], int]:
    now = clock.now()
    teams = [
        Team.objects.create(name=name, slug=f"team-{i}", is_default=i == 0)
        for i, name in enumerate(TEAMS)
    ]
    agents = User.objects.bulk_create(
        User(
            username=f"agent{i}",
            email=f"agent{i}@example.org",
            first_name="Agent",
            last_name=str(i),
            role=Role.AGENT,
            date_joined=now,
            password="!",
        )
        for i in range(AGENTS)
    )
    bench_agent = User.objects.create(
        username=BENCH_AGENT,
        email="bench-agent@example.org",
        first_name="Bench",
        last_name="Agent",
        role=Role.AGENT,
        date_joined=now,
        password="!",
    )
    Membership.objects.bulk_create(
        [
            Membership(team=teams[i % len(teams)], user=a, joined_at=now)
            for i, a in enumerate(agents)
        ]
        + [
            Membership(team=teams[0], user=bench_agent, joined_at=now),
            Membership(team=teams[1], user=bench_agent, joined_at=now),
        ]
    )
    contacts: list[int] = []
    batch = 5000
    for start in range(0, n_contacts, batch):
        made = Contact.objects.bulk_create(
            Contact(email=f"person{i}@example.org", name=f"Person {i}", created_at=now)
            for i in range(start, min(n_contacts, start + batch))
        )
        contacts += [c.pk for c in made]
    heavy = Contact.objects.create(email=BENCH_REQUESTER, name="Bench Requester", created_at=now)
    User.objects.create(
        username=BENCH_REQUESTER,
        email=BENCH_REQUESTER,
        role=Role.REQUESTER,
        contact=heavy,
        date_joined=now,
        password="!",
    )
    return teams, [*agents, bench_agent], bench_agent, contacts, heavy.pk


# Automatic triage as the engine leaves it: the model proposes a class for
# most tickets and applies the confident ones; a phrase rule proposes the
# urgency for some. Agents change some of what was applied.
APPLY_AT = 0.6
CLASS_CHANGED = 0.12
URGENCY_RULE = 0.35
URGENCY_CHANGED = 0.08


def _triage(
    rng: random.Random, urgency: Urgency, *, worked: bool
) -> tuple[str, Urgency, dict[str, object], dict[str, dict[str, object]]]:
    """The class the ticket ends with, its urgency then, the triage JSON and
    the changes an agent made (none on a ticket nobody has worked)."""
    proposals: dict[str, dict[str, object]] = {}
    changes: dict[str, dict[str, object]] = {}
    final_class = ""
    if rng.random() < 0.85:
        proposed = rng.choice(list(TriageClass)).value
        confidence = round(rng.uniform(0.3, 0.99), 2)
        applied = confidence >= APPLY_AT
        proposals["triage_class"] = {
            "field": "triage_class",
            "value": proposed,
            "confidence": confidence,
            "source": "model",
            "why": f"The trained model ({confidence:.0%} sure).",
            "applied": applied,
        }
        final_class = proposed if applied else ""
        if worked and applied and rng.random() < CLASS_CHANGED:
            final_class = rng.choice([c.value for c in TriageClass if c.value != proposed])
            changes["triage_class"] = {"from": proposed, "to": final_class, "overrode": True}
    final_urgency = urgency
    if rng.random() < URGENCY_RULE:
        proposals["urgency"] = {
            "field": "urgency",
            "value": urgency.value,
            "confidence": 0.9,
            "source": "rule",
            "why": "Phrase rule: \u201ccan't work\u201d.",
            "applied": True,
        }
        if worked and rng.random() < URGENCY_CHANGED:
            final_urgency = rng.choice([u for u in Urgency if u != urgency])
            changes["urgency"] = {
                "from": urgency.value,
                "to": final_urgency.value,
                "overrode": True,
            }
    found: dict[str, object] = {
        "proposals": proposals,
        "frustration": {},
        "clarifying_questions": [],
        "notes": [],
    }
    return final_class, final_urgency, found, changes


def _rows(
    n: int,
    *,
    rng: random.Random,
    teams: list[Team],
    agents: list[User],
    contacts: list[int],
    heavy: int,
) -> Iterator[tuple[tuple, list[tuple]]]:
    """Ticket rows and their event rows, oldest first, over two years."""
    now = clock.now()
    span = dt.timedelta(days=730).total_seconds()
    members: dict[int, list[int]] = {t.pk: [] for t in teams}
    for m in Membership.objects.all():
        members[m.team_id].append(m.user_id)
    event_id = 0
    heavy_every = max(1, n // HEAVY_REQUESTS)
    for ticket_id in range(1, n + 1):
        age = span * (1 - ticket_id / n) + rng.random() * 600
        status = _pick(rng, STATUS_WEIGHTS)
        if status in {Status.NEW, Status.OPEN, Status.WAITING, Status.DEFERRED}:
            age = rng.random() * 14 * 86400  # the backlog is recent
        created = now - dt.timedelta(seconds=age)
        team = teams[min(int(rng.expovariate(0.6)), len(teams) - 1)]
        impact, proposed_urgency = rng.choice(list(Impact)), rng.choice(list(Urgency))
        triage_class, urgency, triage, changes = _triage(
            rng, proposed_urgency, worked=status != Status.NEW
        )
        priority = priority_for(impact=impact, urgency=urgency)
        if urgency != proposed_urgency:
            before = priority_for(impact=impact, urgency=proposed_urgency)
            if before != priority:
                changes["priority"] = {"from": int(before), "to": int(priority), "overrode": False}
        target = target_for(priority)
        answered = status != Status.NEW and rng.random() < 0.97
        first_response = created + dt.timedelta(minutes=rng.uniform(3, 600)) if answered else None
        if first_response and first_response > now:
            first_response = now
        owner = rng.choice(members[team.pk]) if status != Status.NEW else None
        resolved = closed = None
        if status in {Status.RESOLVED, Status.CLOSED}:
            resolved = min(
                now, (first_response or created) + dt.timedelta(hours=rng.uniform(0.2, 72))
            )
        if status == Status.CLOSED:
            closed = min(now, (resolved or created) + dt.timedelta(hours=rng.uniform(0.1, 48)))
        due = created + (target.resolution if first_response else target.first_response)
        updated = closed or resolved or first_response or created
        requester = heavy if ticket_id % heavy_every == 0 else rng.choice(contacts)
        n_subject = rng.randint(1, 9)
        ticket = (
            ticket_id,
            SUBJECTS[ticket_id % len(SUBJECTS)].format(n=n_subject),
            requester,
            _pick(rng, CHANNEL_WEIGHTS),
            team.pk,
            owner,
            status,
            impact.value,
            urgency.value,
            priority,
            triage_class,
            "[]",
            due,
            None,
            0,
            0,
            True if closed and rng.random() < 0.8 else None,
            created,
            updated,
            updated,
            first_response,
            resolved,
            closed,
            False,
            json.dumps(triage),
            "",
            0,  # no time stopped (microseconds on SQLite, an interval on PostgreSQL)
            "ok",
            "",
            first_response or created,
        )
        body = BODIES[ticket_id % len(BODIES)].format(n=n_subject)
        events: list[tuple[object, ...]] = []
        event_id += 1
        events.append(
            (
                event_id,
                ticket_id,
                EventKind.MESSAGE_IN,
                Visibility.PUBLIC,
                None,
                requester,
                ticket[3],
                body,
                f"<p>{body}</p>",
                '{"opened": true}',
                created,
            )
        )
        if changes:
            event_id += 1
            events.append(
                (
                    event_id,
                    ticket_id,
                    EventKind.TRIAGE,
                    Visibility.INTERNAL,
                    owner,
                    None,
                    "",
                    "Triage corrected.",
                    "",
                    json.dumps({"changes": changes}),
                    first_response or created,
                )
            )
        if first_response and owner:
            text = REPLIES[ticket_id % len(REPLIES)]
            event_id += 1
            events.append(
                (
                    event_id,
                    ticket_id,
                    EventKind.REPLY,
                    Visibility.PUBLIC,
                    owner,
                    None,
                    "",
                    text,
                    f"<p>{text}</p>",
                    "{}",
                    first_response,
                )
            )
        if resolved and owner:
            event_id += 1
            events.append(
                (
                    event_id,
                    ticket_id,
                    EventKind.RESOLUTION,
                    Visibility.PUBLIC,
                    owner,
                    None,
                    "",
                    "Fixed and tested with the requester.",
                    "<p>Fixed and tested with the requester.</p>",
                    json.dumps({"status": {"from": "open", "to": "resolved"}}),
                    resolved,
                )
            )
        if closed:
            event_id += 1
            events.append(
                (
                    event_id,
                    ticket_id,
                    EventKind.CONFIRMATION,
                    Visibility.PUBLIC,
                    None,
                    requester,
                    "",
                    "",
                    "",
                    json.dumps({"solved": True}),
                    closed,
                )
            )
        yield ticket, events


TICKET_COLUMNS = (
    "id",
    "subject",
    "requester_id",
    "channel",
    "team_id",
    "owner_id",
    "status",
    "impact",
    "urgency",
    "priority",
    "triage_class",
    "red_flags",
    "due_at",
    "escalated_to_id",
    "escalation_level",
    "reopen_count",
    "resolution_confirmed",
    "created_at",
    "updated_at",
    "status_changed_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "frustrated",
    "triage",
    "estimate_basis",
    "sla_paused_for",
    "sla_state",
    "sla_warned_for",
    "requester_updated_at",
)
EVENT_COLUMNS = (
    "id",
    "ticket_id",
    "kind",
    "visibility",
    "actor_id",
    "contact_id",
    "channel",
    "body_text",
    "body_html",
    "data",
    "created_at",
)


def _copy_value(value: object) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


# Every table the fill (and runs of the bench) write, children first.
BENCH_TABLES = [
    "reports_openedday", "reports_durationday", "reports_eventday", "reports_countedday",
    "reports_watermark", "reports_triageday", "coach_coachrecord",
    "timelog_timer", "timelog_timeentry",
    "mail_inboundmessage", "mail_mailboxsecret", "mail_mailbox",
    "notifications_threadkey", "notifications_outboundemail", "tickets_attachment",
    "tickets_timelineevent", "tickets_ticket_participants", "tickets_ticket",
    "accounts_apitoken", "accounts_loginlink", "accounts_membership", "django_session",
    "accounts_user_groups", "accounts_user_user_permissions", "accounts_user",
    "accounts_contact", "accounts_team", "django_tasks_database_dbtaskresult",
]  # fmt: skip


def _empty() -> None:
    """Empty the bench's tables at once (Django's delete would read a million
    rows back to cascade them one batch at a time)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(BENCH_TABLES)} RESTART IDENTITY CASCADE")
        else:
            for table in BENCH_TABLES:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)


def fill(n: int, *, seed: int = 42, log: Log = print) -> Filled:
    """Empty the ticket tables and fill them with ``n`` tickets."""
    rng = random.Random(seed)
    _empty()
    with transaction.atomic():
        teams, agents, _, contacts, heavy = _people(rng, max(100, n // 10))
    rows = _rows(n, rng=rng, teams=teams, agents=agents, contacts=contacts, heavy=heavy)
    tickets = events = 0
    if connection.vendor == "postgresql":
        tickets, events = _fill_postgres(rows, log=log)
    else:
        tickets, events = _fill_sqlite(rows, log=log)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("tickets_ticket", "tickets_timelineevent"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
        cursor.execute("ANALYZE")
    return Filled(tickets=tickets, events=events, contacts=len(contacts) + 1)


def _fill_postgres(rows: Iterator[tuple[tuple, list[tuple]]], *, log: Log) -> tuple[int, int]:
    tickets = events = 0
    ticket_buf, event_buf = io.StringIO(), io.StringIO()

    def flush() -> None:
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg cursor
            with raw.copy(f"COPY tickets_ticket ({', '.join(TICKET_COLUMNS)}) FROM STDIN") as copy:
                copy.write(ticket_buf.getvalue())
            with raw.copy(
                f"COPY tickets_timelineevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
            ) as copy:
                copy.write(event_buf.getvalue())
        ticket_buf.seek(0), ticket_buf.truncate()
        event_buf.seek(0), event_buf.truncate()

    with transaction.atomic():
        for ticket, ticket_events in rows:
            ticket_buf.write("\t".join(map(_copy_value, ticket)) + "\n")
            for event in ticket_events:
                event_buf.write("\t".join(map(_copy_value, event)) + "\n")
            tickets += 1
            events += len(ticket_events)
            if tickets % 50_000 == 0:
                flush()
                log(f"  {tickets:,} tickets, {events:,} events")
        flush()
    return tickets, events


def _fill_sqlite(rows: Iterator[tuple[tuple, list[tuple]]], *, log: Log) -> tuple[int, int]:
    tickets = events = 0
    ticket_sql = (
        f"INSERT INTO tickets_ticket ({', '.join(TICKET_COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join('?' * len(TICKET_COLUMNS))})"
    )
    event_sql = (
        f"INSERT INTO tickets_timelineevent ({', '.join(EVENT_COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
    )

    def plain(row: tuple) -> tuple:
        # Django keeps SQLite datetimes as naive UTC text.
        return tuple(
            v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
            if isinstance(v, dt.datetime)
            else v
            for v in row
        )

    ticket_batch: list[tuple] = []
    event_batch: list[tuple] = []
    connection.ensure_connection()
    raw = connection.connection
    with transaction.atomic():
        for ticket, ticket_events in rows:
            ticket_batch.append(plain(ticket))
            event_batch += [plain(e) for e in ticket_events]
            tickets += 1
            events += len(ticket_events)
            if tickets % 20_000 == 0:
                raw.executemany(ticket_sql, ticket_batch)
                raw.executemany(event_sql, event_batch)
                ticket_batch, event_batch = [], []
                log(f"  {tickets:,} tickets, {events:,} events")
        raw.executemany(ticket_sql, ticket_batch)
        raw.executemany(event_sql, event_batch)
    return tickets, events


def is_filled(n: int) -> bool:
    """Whether the database holds this fill of ``n`` tickets, recent enough that
    the backlog is still the backlog. Tickets an earlier run created through the
    API (ids above ``n``) are removed, so every run measures the same data."""
    newest = Ticket.objects.filter(id=n).values_list("created_at", flat=True).first()
    filled = (
        newest is not None
        and timezone.now() - newest < dt.timedelta(days=2)
        and Ticket.objects.filter(id__lte=n).count() == n
        and User.objects.filter(username=BENCH_AGENT).exists()
    )
    if filled:
        from deskwise.notifications.models import OutboundEmail

        OutboundEmail.objects.filter(ticket_id__gt=n).delete()
        Ticket.objects.filter(id__gt=n).delete()
    return filled
