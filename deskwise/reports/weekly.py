"""The weekly summary: each supervisor gets their teams' last week by mail.

Last week is Monday to Sunday in the desk's time zone. The summary holds the
headline figures of the reports that matter at a glance — volume, backlog,
service levels, satisfaction, deferrals and declines — each only if it is
registered, with links to the full reports and the dashboard. Mail goes
through the outbox (``notifications.services.email_queue``).

The task runs every hour and sends from Monday
``settings.DESKWISE_WEEKLY_SUMMARY_HOUR`` on (7 by default); a summary
already queued for a supervisor and week is not queued again, so a retry, a
second scheduler or a late run never sends twice, and a missed run is caught
up by the next one.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Team, User
from deskwise.core import clock
from deskwise.core.schedule import periodic
from deskwise.notifications.models import OutboundEmail
from deskwise.notifications.services import email_queue
from deskwise.reports import base, charts, selectors
from deskwise.reports.base import Filters
from deskwise.tickets.permissions import team_ids

logger = logging.getLogger(__name__)

TEMPLATE = "weekly_summary"
SECTIONS = (
    ("volume", "Volume"),
    ("backlog", "Backlog"),
    ("sla", "Service levels"),
    ("satisfaction", "Satisfaction"),
    ("decisions", "Deferrals and declines"),
)
MAX_FIGURES = 6


def last_week(moment: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """The last whole week (Monday to Sunday, desk time) before ``moment``."""
    local = (moment or clock.now()).astimezone(ZoneInfo(settings.TIME_ZONE))
    monday = local.date() - dt.timedelta(days=local.weekday())
    return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)


def recipients() -> list[User]:
    """Supervisors (and admins) who work in a team and have an address."""
    return list(
        User.objects.filter(
            is_active=True, role__in=[Role.SUPERVISOR, Role.ADMIN], memberships__isnull=False
        )
        .exclude(Q(email="") | Q(email__isnull=True))
        .distinct()
        .order_by("pk")
    )


def summary_context(user: User, *, since: dt.date, until: dt.date) -> dict[str, Any] | None:
    """What one supervisor's mail says (JSON, as the outbox keeps it), or
    None when they have no team."""
    teams = team_ids(user)
    if not teams:
        return None
    filters = Filters(since=since, until=until, team_ids=teams)
    query = f"since={since:%Y-%m-%d}&until={until:%Y-%m-%d}"
    sections: list[dict[str, Any]] = []
    for slug, title in SECTIONS:
        if slug not in base.REGISTRY or not selectors.may_see(user, slug):
            continue
        try:
            report = selectors.run(user, slug, filters)
        except Exception:
            logger.exception("weekly summary: report %s failed for user %s", slug, user.pk)
            continue
        figures = [
            [str(label), charts.display_value(value, unit)]
            for label, value, unit in report.figures[:MAX_FIGURES]
        ]
        sections.append(
            {
                "slug": slug,
                "title": title,
                "figures": figures,
                "path": f"{reverse('reports:detail', args=[slug])}?{query}",
            }
        )
    names = list(
        Team.objects.filter(pk__in=sorted(teams)).order_by("name").values_list("name", flat=True)
    )
    return {
        "supervisor_id": user.pk,
        "week": since.isoformat(),
        "name": user.first_name or user.username,
        "teams": ", ".join(names),
        "since_label": f"{since:%a %d %b}",
        "until_label": f"{until:%a %d %b %Y}",
        "sections": sections,
        "dashboard_path": reverse("reports:dashboard"),
        "reports_path": reverse("reports:list"),
    }


def already_sent(week: dt.date) -> set[int]:
    contexts = OutboundEmail.objects.filter(
        template=TEMPLATE, context__week=week.isoformat()
    ).values_list("context", flat=True)
    return {
        int(c["supervisor_id"]) for c in contexts if isinstance(c, dict) and "supervisor_id" in c
    }


def send_weekly_summaries(*, moment: dt.datetime | None = None, force: bool = False) -> int:
    """Queue last week's summary for every supervisor who has not had it; the
    number queued. Before the sending hour on Monday nothing is sent (unless ``force``)."""
    moment = moment or clock.now()
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    if not force and local.weekday() == 0 and local.hour < settings.DESKWISE_WEEKLY_SUMMARY_HOUR:
        return 0
    since, until = last_week(moment)
    done = already_sent(since)
    queued = 0
    for user in recipients():
        if user.pk in done:
            continue
        try:
            with transaction.atomic():
                context = summary_context(user, since=since, until=until)
                if context is None:
                    continue
                if email_queue(template=TEMPLATE, to=[user.email], context=context) is not None:
                    queued += 1
        except Exception:
            logger.exception("weekly summary for user %s failed", user.pk)
    return queued


@periodic(every=dt.timedelta(hours=1))
@task()
def weekly_summary() -> int:
    """Mail each supervisor their teams' last week, once a week."""
    return send_weekly_summaries()
