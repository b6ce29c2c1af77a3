"""Deferred tickets come back by themselves on their date."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task

from deskwise.core.schedule import periodic
from deskwise.tickets.models import Ticket

logger = logging.getLogger(__name__)


@periodic(every=dt.timedelta(minutes=5))
@task()
def return_deferred_tickets() -> int:
    """Open again every deferred ticket whose date has come; one failure does
    not hold back the others."""
    from deskwise.outcomes.services import due_deferrals, return_deferred

    returned = 0
    for pk in due_deferrals():
        try:
            if return_deferred(ticket=Ticket.objects.get(pk=pk)) is not None:
                returned += 1
        except Exception:
            logger.exception("deferred ticket %s could not come back", pk)
    return returned
