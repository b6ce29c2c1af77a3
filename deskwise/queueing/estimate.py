"""How long a new request will wait for its first answer, said honestly.

The estimate comes from the desk's own recent history: how long requests of
this priority in this team actually waited for a first response, and how many
requests are ahead in the queue. With too little history it says so and
quotes the target instead of inventing a number.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.core.cache import cache

from deskwise.core import clock
from deskwise.core.display import humanise
from deskwise.sla.targets import target_for
from deskwise.tickets.choices import ACTIVE_STATES
from deskwise.tickets.models import Ticket

HISTORY_DAYS = 30
MIN_SAMPLES = 5
SAMPLE_SIZE = 50


@dataclass(frozen=True)
class WaitEstimate:
    ahead: int
    typical: dt.timedelta | None  # median wait for a first answer
    likely_max: dt.timedelta | None  # four in five waited no longer
    target: dt.timedelta
    samples: int

    @property
    def sentence(self) -> str:
        if self.ahead == 0:
            ahead = "Yours is the next request in the queue."
        elif self.ahead == 1:
            ahead = "There is 1 request of the same or higher priority ahead of yours."
        else:
            ahead = (
                f"There are {self.ahead} requests of the same or higher priority ahead of yours."
            )
        if self.typical is not None and self.likely_max is not None:
            return (
                f"{ahead} Over the last {HISTORY_DAYS} days, half of the requests like yours had "
                f"a first answer within {humanise(self.typical)}, and four in five within "
                f"{humanise(self.likely_max)}."
            )
        return (
            f"{ahead} We do not yet have enough history to predict the wait; our target for a "
            f"first answer is {humanise(self.target)}."
        )


def _recent_waits(team_id: int, priority: int) -> tuple[float | None, float | None, int]:
    key = f"wait:recent:{team_id}:{priority}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    since = clock.now() - dt.timedelta(days=HISTORY_DAYS)
    rows = list(
        Ticket.objects.filter(
            team_id=team_id,
            priority=priority,
            created_at__gte=since,
            first_response_at__isnull=False,
        )
        .order_by("-created_at")
        .values_list("created_at", "first_response_at")[:SAMPLE_SIZE]
    )
    waits = [(answered - created).total_seconds() for created, answered in rows if answered]
    result: tuple[float | None, float | None, int]
    if len(waits) >= MIN_SAMPLES:
        result = (statistics.median(waits), statistics.quantiles(waits, n=5)[-1], len(waits))
    else:
        result = (None, None, len(waits))
    cache.set(key, result, 300)
    return result


def estimate_wait(
    *, team_id: int, priority: int, exclude_ticket_id: int | None = None
) -> WaitEstimate:
    ahead_qs = Ticket.objects.filter(
        team_id=team_id,
        status__in=sorted(ACTIVE_STATES),
        first_response_at__isnull=True,
        priority__lte=priority,
    )
    if exclude_ticket_id is not None:
        ahead_qs = ahead_qs.exclude(pk=exclude_ticket_id)
    median, p80, samples = _recent_waits(team_id, priority)
    return WaitEstimate(
        ahead=ahead_qs.count(),
        typical=dt.timedelta(seconds=median) if median is not None else None,
        likely_max=dt.timedelta(seconds=p80) if p80 is not None else None,
        target=target_for(priority).first_response,
        samples=samples,
    )
