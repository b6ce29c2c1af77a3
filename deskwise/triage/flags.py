"""Red flags: requests likely to become a time sink, each with its reason.

Flags are hints for the agent, never refusals. Each is a small dict kept on
the ticket: ``{"code", "label", "reason", "source", "at"}`` (``source`` is
"auto" or the agent who set it), so the queue can show it without a join.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from deskwise.core import clock
from deskwise.core.memo import timed_memo
from deskwise.triage.models import FlagPhrase, Product


class Flag:
    UNCLEAR = "unclear"
    UNSUPPORTED = "unsupported"
    RESEARCH = "research"
    HISTORY = "history"
    OUT_OF_SCOPE = "out_of_scope"
    FRUSTRATED = "frustrated"


LABELS = {
    Flag.UNCLEAR: "Cannot explain the problem",
    Flag.UNSUPPORTED: "Unsupported software or hardware",
    Flag.RESEARCH: "Needs extensive research or training",
    Flag.HISTORY: "History of unrealistic expectations",
    Flag.OUT_OF_SCOPE: "Outside our responsibilities",
    Flag.FRUSTRATED: "Frustrated requester",
}
AGENT_SETTABLE = (Flag.UNCLEAR, Flag.UNSUPPORTED, Flag.RESEARCH, Flag.HISTORY, Flag.OUT_OF_SCOPE)

# A requester's last year that makes expectations worth watching: any one of
# these reached.
HISTORY_WINDOW = dt.timedelta(days=365)
HISTORY_THRESHOLDS = {"declined": 3, "escalated": 3, "reopened": 4}


def make_flag(code: str, reason: str, *, source: str = "auto", **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "label": LABELS.get(code, code),
        "reason": reason,
        "source": source,
        "at": clock.now().isoformat(),
        **extra,
    }


def _words(phrases: Iterable[str]) -> re.Pattern[str] | None:
    items = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    if not items:
        return None
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in items)
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


@dataclass(frozen=True)
class _Catalogue:
    pattern: re.Pattern[str] | None
    products: dict[str, tuple[str, bool, str]]  # lower-cased name -> (product, supported, note)


@timed_memo(60)
def catalogue() -> _Catalogue:
    names: dict[str, tuple[str, bool, str]] = {}
    for product in Product.objects.all():
        for name in product.names():
            names[name.lower()] = (product.name, product.supported, product.note)
    return _Catalogue(_words(names), names)


@dataclass(frozen=True)
class _Phrases:
    research: re.Pattern[str] | None
    research_notes: dict[str, str]
    scope: dict[int | None, re.Pattern[str] | None]
    scope_notes: dict[str, str]


@timed_memo(60)
def phrases() -> _Phrases:
    research: dict[str, str] = {}
    scope: dict[int | None, dict[str, str]] = {}
    for item in FlagPhrase.objects.all():
        if item.kind == FlagPhrase.Kind.RESEARCH:
            research[item.phrase.lower()] = item.note
        else:
            scope.setdefault(item.team_id, {})[item.phrase.lower()] = item.note
    notes = {p: n for team in scope.values() for p, n in team.items()}
    return _Phrases(
        research=_words(research),
        research_notes=research,
        scope={team: _words(items) for team, items in scope.items()},
        scope_notes=notes,
    )


def forget() -> None:
    catalogue.forget()
    phrases.forget()


def text_flags(text: str, *, team_id: int | None) -> list[dict[str, Any]]:
    """Flags that the words of a request raise: unsupported products, research,
    scope. (Vagueness and frustration come from ``signals``.)"""
    lowered = text.lower()
    found: list[dict[str, Any]] = []
    cat = catalogue()
    if cat.pattern is not None:
        unsupported: list[tuple[str, str]] = []
        for hit in cat.pattern.finditer(lowered):
            product, supported, note = cat.products[" ".join(hit.group().split())]
            if not supported and product not in {u[0] for u in unsupported}:
                unsupported.append((product, note))
        if unsupported:
            named = ", ".join(p for p, _ in unsupported)
            notes = " ".join(n for _, n in unsupported if n)
            found.append(
                make_flag(Flag.UNSUPPORTED, f"Mentions {named}, which we do not support. {notes}")
            )
    known = phrases()
    if known.research is not None:
        said = known.research.search(lowered)
        if said:
            note = known.research_notes.get(" ".join(said.group().split()), "")
            found.append(make_flag(Flag.RESEARCH, f"Mentions “{said.group()}”. {note}".strip()))
    for scope_team in (team_id, None):
        pattern = known.scope.get(scope_team)
        outside = pattern.search(lowered) if pattern is not None else None
        if outside:
            note = known.scope_notes.get(" ".join(outside.group().split()), "")
            found.append(
                make_flag(
                    Flag.OUT_OF_SCOPE,
                    f"“{outside.group()}” is outside this desk's responsibilities. {note}".strip(),
                )
            )
            break
    return found


def history_flag(
    requester_id: int, *, exclude_ticket_id: int | None = None
) -> dict[str, Any] | None:
    """A requester whose past requests were often declined, escalated or reopened."""
    from deskwise.tickets.choices import Status
    from deskwise.tickets.models import Ticket

    past = Ticket.objects.filter(
        requester_id=requester_id, created_at__gte=clock.now() - HISTORY_WINDOW
    )
    if exclude_ticket_id is not None:
        past = past.exclude(pk=exclude_ticket_id)
    record = past.aggregate(
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        escalated=Count("pk", filter=Q(escalation_level__gt=0)),
        reopened=Sum("reopen_count"),
    )
    counts = {k: int(v or 0) for k, v in record.items()}
    over = [k for k, limit in HISTORY_THRESHOLDS.items() if counts[k] >= limit]
    if not over:
        return None
    said = ", ".join(f"{counts[k]} {k}" for k in HISTORY_THRESHOLDS if counts[k])
    return make_flag(
        Flag.HISTORY,
        f"In the last year: {said}. Agree on what can be done and by when, in writing.",
        counts=counts,
    )
