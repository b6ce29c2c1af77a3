"""Reads of problems, with the policy applied: what you may not see is not found.

Every read is bounded: lists page by keyset, known errors are matched among
the most recently updated ``KNOWN_ERROR_CANDIDATES``, repeat incidents come
from the search service's similar tickets, and the recurring-incidents view
clusters at most ``RECURRING_ROWS`` recent incidents.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Substr

from deskwise.accounts.choices import Role
from deskwise.accounts.models import User
from deskwise.core import clock
from deskwise.core.errors import InvalidInput, NotFound
from deskwise.core.pagination import Page, keyset_page
from deskwise.core.queries import one
from deskwise.outcomes import analysis
from deskwise.problems.models import Problem, ProblemEvent, ProblemIncident, ProblemStatus
from deskwise.problems.permissions import can_see, require_reader, visible_problems
from deskwise.problems.services import MAX_LINKED_AT_ONCE, TEXT_MAX, TITLE_MAX
from deskwise.search import terms
from deskwise.search.selectors import SimilarTicket, similar_tickets, ticket_text
from deskwise.tickets.choices import EventKind, Status
from deskwise.tickets.models import Ticket, TimelineEvent
from deskwise.tickets.permissions import visible_tickets

Person = User | AnonymousUser

LIST_ORDER = ("-updated_at", "-id")
REPEAT_DAYS = 30
MAX_REPEAT_DAYS = 366
SIMILAR_LIMIT = 100  # the search service's most
KNOWN_ERROR_CANDIDATES = 1_000
KNOWN_ERROR_WORDS = 12
SEARCH_WORDS = 8
STEM_CHARS = 6  # "printers" finds "printer", "connection" finds "connecting"
RECURRING_ROWS = analysis.MAX_ROWS
OPENING_KINDS = (EventKind.MESSAGE_IN, EventKind.CALL, EventKind.WALK_UP, EventKind.CHAT)
INCIDENTS_SHOWN = 100
HISTORY_SHOWN = 100
_REFERENCE = re.compile(r"^\s*PRB-?(\d{1,18})\s*$", re.IGNORECASE)
_IGNORED_WORDS = analysis.MAIL_WORDS


def repeat_threshold() -> int:
    """How many similar incidents in the window make the desk ask for a root cause."""
    value = getattr(settings, "DESKWISE_REPEAT_INCIDENTS", 3)
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 3


def with_counts(qs: QuerySet[Problem]) -> QuerySet[Problem]:
    """Each problem with its team, owner and ``incident_count``, in the same query."""
    count = (
        ProblemIncident.objects.filter(problem_id=OuterRef("pk"))
        .order_by()
        .values("problem_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    # Named through a dict: the model declares ``incident_count`` for readers.
    named = {"incident_count": Coalesce(Subquery(count), Value(0), output_field=IntegerField())}
    return qs.select_related("team", "owner").annotate(**named)


def _visible(user: Person | None) -> QuerySet[Problem]:
    require_reader(user)
    return Problem.objects.filter(visible_problems(user))


def _status(value: str) -> ProblemStatus:
    try:
        return ProblemStatus(value)
    except ValueError:
        message = (
            f"There is no status {value[:40]!r}: use one of {', '.join(ProblemStatus.values)}."
        )
        raise InvalidInput(message, fields={"status": [message]}) from None


def _stems(text: str, limit: int) -> list[str]:
    """The distinct content words of a text, cut to a stem, at most ``limit``."""
    found: list[str] = []
    for word in terms.words(text, max_terms=limit * 3):
        if len(word) < 3 or word.isdigit() or word in _IGNORED_WORDS:
            continue
        stem = word[:STEM_CHARS]
        if stem not in found:
            found.append(stem)
        if len(found) >= limit:
            break
    return found


def _any_text(word: str) -> Q:
    return (
        Q(title__icontains=word)
        | Q(symptoms__icontains=word)
        | Q(root_cause__icontains=word)
        | Q(workaround__icontains=word)
        | Q(permanent_fix__icontains=word)
    )


def _search(qs: QuerySet[Problem], q: str) -> QuerySet[Problem]:
    """Problems whose words hold every word of ``q``, or the one it names (PRB-12)."""
    text = terms.clean(q, max_chars=200)
    if not text:
        return qs
    reference = _REFERENCE.match(text)
    if reference:
        return qs.filter(pk=int(reference.group(1)))
    stems = _stems(text, SEARCH_WORDS)
    if not stems:
        return qs.filter(title__icontains=text)
    for stem in stems:
        qs = qs.filter(_any_text(stem))
    return qs


def problem_list(
    *,
    user: Person,
    q: str = "",
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> Page[Problem]:
    """The problems a user may see, most recently changed first; ``q`` finds
    words in their texts (or a reference), ``status`` narrows them."""
    qs = _visible(user)
    if status:
        qs = qs.filter(status=_status(status))
    qs = with_counts(_search(qs, q))
    return keyset_page(qs, ordering=LIST_ORDER, cursor=cursor, limit=limit)


def problem_get(*, user: Person, pk: int) -> Problem:
    problem = one(_visible(user).select_related("team", "owner", "created_by").filter(pk=pk))
    if problem is None:
        raise NotFound(f"There is no problem PRB-{pk}, or you may not see it.")
    return problem


@dataclass(frozen=True)
class Incidents:
    """A problem's incidents that the reader may see (the most recently linked
    first, at most ``INCIDENTS_SHOWN``), and how many there are in all."""

    tickets: list[Ticket]
    total: int
    visible: int

    @property
    def hidden(self) -> int:
        return self.total - self.visible


def problem_incidents(*, user: Person, problem: Problem, limit: int = INCIDENTS_SHOWN) -> Incidents:
    require_reader(user)
    limit = max(1, min(limit, 500))
    mine = Ticket.objects.filter(visible_tickets(user), problem_link__problem=problem)
    tickets = list(
        mine.select_related("requester", "owner", "category", "problem_link__linked_by").order_by(
            "-problem_link__linked_at", "-id"
        )[:limit]
    )
    return Incidents(
        tickets=tickets,
        total=ProblemIncident.objects.filter(problem=problem).count(),
        visible=mine.count() if len(tickets) >= limit else len(tickets),
    )


def problem_history(*, problem: Problem, limit: int = HISTORY_SHOWN) -> list[ProblemEvent]:
    """What happened to a problem, newest first (the caller has read the problem)."""
    return list(
        ProblemEvent.objects.filter(problem=problem)
        .select_related("actor")
        .order_by("-created_at", "-id")[: max(1, min(limit, 500))]
    )


# --- from a ticket ------------------------------------------------------------------


@functools.cache
def _desk() -> User:
    """The desk itself as a reader (never saved): it sees every ticket, for
    counts that do not depend on who asks."""
    return User(username="deskwise", role=Role.ADMIN, is_active=True)


def _same_category(ticket: Ticket) -> Q:
    if ticket.category_id is None:
        return Q(category__isnull=True)
    return Q(category_id=ticket.category_id)


def repeat_incidents(
    ticket: Ticket, days: int = REPEAT_DAYS, *, user: Person | None = None
) -> list[SimilarTicket]:
    """The recent incidents like this one: finished tickets the search service
    finds similar by text, in the same category (uncategorised ones with
    uncategorised ones), opened in the last ``days`` days. Only those ``user``
    may see; without a user, across the desk."""
    if not 1 <= days <= MAX_REPEAT_DAYS:
        raise InvalidInput(
            f"Look back between 1 and {MAX_REPEAT_DAYS} days.", fields={"days": ["Out of range."]}
        )
    similar = similar_tickets(user=user or _desk(), ticket=ticket, limit=SIMILAR_LIMIT)
    if not similar:
        return []
    since = clock.now() - dt.timedelta(days=days)
    recent = set(
        Ticket.objects.filter(_same_category(ticket))
        .filter(pk__in=[hit.id for hit in similar], created_at__gte=since)
        .values_list("pk", flat=True)
    )
    return [hit for hit in similar if hit.id in recent]


def _recorded_root_cause(ticket: Ticket) -> str | None:
    """The root cause last recorded on the ticket, or None."""
    found = (
        TimelineEvent.objects.filter(
            ticket=ticket, kind=EventKind.PROBLEM, data__action="root_cause"
        )
        .order_by("-created_at", "-id")
        .values_list("data__root_cause", flat=True)
        .first()
    )
    return None if found is None else str(found)


def needs_root_cause(ticket: Ticket, *, user: Person | None = None) -> bool:
    """Whether to ask for this ticket's root cause: it has no problem and no
    root cause yet, and at least ``DESKWISE_REPEAT_INCIDENTS`` similar
    incidents were seen in the last 30 days."""
    if ProblemIncident.objects.filter(ticket_id=ticket.pk).exists():
        return False
    if _recorded_root_cause(ticket) is not None:
        return False
    return len(repeat_incidents(ticket, user=user)) >= repeat_threshold()


def _points(condition: Q, points: int) -> Case:
    return Case(
        When(condition, then=Value(points)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _sum(parts: Sequence[Combinable]) -> Combinable:
    return functools.reduce(operator.add, parts)


def known_errors_for(
    ticket: Ticket, *, user: Person, limit: int = 5, text: str | None = None
) -> list[Problem]:
    """Known errors that may explain this ticket, the likeliest first: those
    sharing the most of its words (a word in the title counts twice), at least
    two of them (one when the ticket has only one). Matched among the
    ``KNOWN_ERROR_CANDIDATES`` most recently updated known errors ``user`` may
    see. ``text`` saves reading the ticket's words again."""
    if not getattr(user, "is_agent", False):
        return []
    stems = _stems(ticket_text(ticket) if text is None else text, KNOWN_ERROR_WORDS)
    if not stems:
        return []
    candidates = (
        Problem.objects.filter(visible_problems(user), status=ProblemStatus.KNOWN_ERROR)
        .order_by(*LIST_ORDER)
        .values("pk")[:KNOWN_ERROR_CANDIDATES]
    )
    one_ = Value(1, output_field=IntegerField())
    zero = Value(0, output_field=IntegerField())
    score = _sum(
        [
            Case(When(title__icontains=s, then=Value(2)), default=zero, output_field=IntegerField())
            + Case(
                When(symptoms__icontains=s, then=one_), default=zero, output_field=IntegerField()
            )
            for s in stems
        ]
    )
    shared = _sum(
        [
            Case(
                When(Q(title__icontains=s) | Q(symptoms__icontains=s), then=one_),
                default=zero,
                output_field=IntegerField(),
            )
            for s in stems
        ]
    )
    needed = min(2, len(stems))
    return list(
        with_counts(Problem.objects.filter(pk__in=candidates))
        .annotate(score=score, shared=shared)
        .filter(shared__gte=needed)
        .order_by("-score", "-updated_at", "-id")[: max(1, min(limit, 20))]
    )


@dataclass(frozen=True)
class TicketProblems:
    """What the ticket page's problem panel shows."""

    ticket: Ticket
    problem: Problem | None = None  # the ticket's problem, when linked and visible
    linked_elsewhere: bool = False  # linked to a problem the reader may not see
    known_errors: list[Problem] = field(default_factory=list)
    repeats: list[SimilarTicket] = field(default_factory=list)
    related: list[Problem] = field(default_factory=list)  # the repeats' problems
    root_cause: str | None = None  # recorded on the ticket already
    needs_root_cause: bool = False
    threshold: int = 3
    days: int = REPEAT_DAYS


def for_ticket(*, user: Person, ticket: Ticket, days: int = REPEAT_DAYS) -> TicketProblems:
    """The ticket's problem if it has one; else the known errors that may match,
    the similar recent incidents and their problems, and whether to ask for
    the root cause."""
    require_reader(user)
    threshold = repeat_threshold()
    link = one(
        ProblemIncident.objects.filter(ticket_id=ticket.pk).select_related(
            "problem__team", "problem__owner"
        )
    )
    if link is not None:
        if can_see(user, link.problem):
            return TicketProblems(ticket=ticket, problem=link.problem, threshold=threshold)
        return TicketProblems(ticket=ticket, linked_elsewhere=True, threshold=threshold)
    known = known_errors_for(ticket, user=user)
    repeats = repeat_incidents(ticket, days, user=user)
    related: list[Problem] = []
    if repeats:
        linked = ProblemIncident.objects.filter(ticket_id__in=[hit.id for hit in repeats]).values(
            "problem_id"
        )
        related = list(
            with_counts(Problem.objects.filter(visible_problems(user), pk__in=linked))
            .exclude(pk__in=[p.pk for p in known])
            .order_by(*LIST_ORDER)[:5]
        )
    recorded = _recorded_root_cause(ticket)
    return TicketProblems(
        ticket=ticket,
        known_errors=known,
        repeats=repeats,
        related=related,
        root_cause=recorded,
        needs_root_cause=recorded is None and len(repeats) >= threshold,
        threshold=threshold,
        days=days,
    )


# --- recurring incidents ------------------------------------------------------------


@dataclass(frozen=True)
class Incident:
    id: int
    subject: str
    status: Status
    created_at: dt.datetime
    team: str

    @property
    def reference(self) -> str:
        return f"DW-{self.id}"


@dataclass(frozen=True)
class Proposal:
    """Recent incidents in one category that read alike and have no problem
    yet: a problem waiting to be written down."""

    category_id: int | None
    category: str
    label: str
    terms: tuple[str, ...]
    incidents: tuple[Incident, ...]  # the most recent first
    first_at: dt.datetime
    last_at: dt.datetime
    trend: str

    @property
    def size(self) -> int:
        return len(self.incidents)

    @property
    def ticket_ids(self) -> list[int]:
        return [incident.id for incident in self.incidents]

    @property
    def title(self) -> str:
        """A title to start from."""
        words = self.label or (self.incidents[0].subject if self.incidents else "")
        title = f"Recurring: {words}"
        return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"

    @property
    def symptoms(self) -> str:
        """Symptoms to start from: what the incidents said, in their words."""
        where = f" in {self.category}" if self.category else ""
        head = (
            f"{self.size} incidents{where} from {self.first_at:%-d %b %Y} to "
            f"{self.last_at:%-d %b %Y}:"
        )
        lines = [head, *(f"- {i.reference}: {i.subject}" for i in self.incidents)]
        text = "\n".join(lines)
        return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1].rstrip() + "…"


@dataclass(frozen=True)
class Recurring:
    proposals: list[Proposal]
    rows: int  # incidents clustered
    capped: bool  # more recent incidents than were clustered
    since: dt.datetime
    days: int
    min_size: int


def recurring(
    *, user: Person, days: int = REPEAT_DAYS, limit_rows: int = RECURRING_ROWS
) -> Recurring:
    """Clusters of recent incidents (opened in the last ``days`` days, not
    declined, not linked to a problem, visible to ``user``) that share a
    category and read alike: at least ``DESKWISE_REPEAT_INCIDENTS`` each. At
    most ``limit_rows`` incidents are clustered, the newest first."""
    require_reader(user)
    if not 1 <= days <= MAX_REPEAT_DAYS:
        raise InvalidInput(
            f"Look back between 1 and {MAX_REPEAT_DAYS} days.", fields={"days": ["Out of range."]}
        )
    limit_rows = max(1, min(limit_rows, RECURRING_ROWS))
    now = clock.now()
    since = now - dt.timedelta(days=days)
    opening = (
        TimelineEvent.objects.filter(ticket_id=OuterRef("pk"), kind__in=OPENING_KINDS)
        .order_by("created_at", "id")
        .values("body_text")[:1]
    )
    values = (
        Ticket.objects.filter(visible_tickets(user), created_at__gte=since)
        .exclude(status=Status.DECLINED)
        .filter(~Exists(ProblemIncident.objects.filter(ticket_id=OuterRef("pk"))))
        .annotate(opening=Substr(Subquery(opening), 1, analysis.MAX_CHARS))
        .order_by("-created_at", "-id")
        .values_list(
            "pk", "created_at", "subject", "status", "category_id", "category__name",
            "team__name", "opening",
        )[: limit_rows + 1]
    )  # fmt: skip
    fetched = list(values)
    capped = len(fetched) > limit_rows
    fetched = fetched[:limit_rows]
    min_size = max(2, repeat_threshold())
    incidents: dict[int, Incident] = {}
    names: dict[int | None, str] = {}
    members: list[Member] = []
    for pk, at, subject, status, category_id, category, team, body in fetched:
        names[category_id] = category or ""
        incidents[pk] = Incident(
            id=pk, subject=subject, status=Status(status), created_at=at, team=team
        )
        members.append((pk, at, subject, category_id, category, team, body))
    proposals: list[Proposal] = []
    for group, cluster in cluster_by_category(members, min_size=min_size, now=now):
        proposals.append(
            Proposal(
                category_id=group,
                category=names[group],
                label=cluster.label,
                terms=cluster.terms,
                incidents=tuple(incidents[i] for i in cluster.member_ids),
                first_at=cluster.first_at,
                last_at=cluster.last_at,
                trend=cluster.trend,
            )
        )
    proposals.sort(key=lambda p: (-p.size, -p.last_at.timestamp(), p.category, p.ticket_ids))
    return Recurring(
        proposals=proposals,
        rows=len(fetched),
        capped=capped,
        since=since,
        days=days,
        min_size=min_size,
    )


# An incident as the clustering reads it: id, opened at, subject, category id,
# category name, team name, opening message.
Member = tuple[int, dt.datetime, str, int | None, str | None, str, str | None]


def cluster_by_category(
    members: Sequence[Member], *, min_size: int, now: dt.datetime
) -> list[tuple[int | None, analysis.Cluster]]:
    """Similar incidents grouped within each category (by their subject and
    opening message): the recurring view's clusters, and the recurring report's."""
    groups: dict[int | None, list[analysis.Row]] = defaultdict(list)
    for pk, at, subject, category_id, category, team, body in members:
        groups[category_id].append(
            analysis.Row(
                id=pk,
                at=at,
                kind="incident",
                reason="",
                category=category or "",
                team=team,
                requester="",
                agent="",
                text=f"{subject}\n{body or ''}",
            )
        )
    found: list[tuple[int | None, analysis.Cluster]] = []
    for group, rows in groups.items():
        if len(rows) >= min_size:
            found += [(group, c) for c in analysis.clusters(rows, min_size=min_size, now=now)]
    return found


def incidents_for_proposal(*, user: Person, ticket_ids: Sequence[int]) -> list[Ticket]:
    """The tickets a "create a problem from these" names, as the reader may see
    them; a ticket missing or hidden is NotFound."""
    require_reader(user)
    wanted = list(dict.fromkeys(ticket_ids))
    if len(wanted) > MAX_LINKED_AT_ONCE:
        raise InvalidInput(
            f"{len(wanted)} incidents were given; link at most {MAX_LINKED_AT_ONCE} at once.",
            fields={"incident_ids": ["Too many."]},
        )
    found = Ticket.objects.filter(visible_tickets(user)).in_bulk(wanted)
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise NotFound(
            f"There is no ticket DW-{missing[0]}, or you may not see it.",
            fields={"incident_ids": ["No such ticket."]},
        )
    return [found[pk] for pk in wanted]
