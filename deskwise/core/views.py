from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from deskwise.core import clock
from deskwise.core.models import Heartbeat


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable, worker and scheduler heartbeats fresh: 200, else 503."""
    stale = dt.timedelta(seconds=settings.DESKWISE_HEARTBEAT_STALE_SECONDS)
    report: dict[str, object] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beats = dict(
            Heartbeat.objects.values("kind")
            .annotate(last=Max("last_seen"))
            .values_list("kind", "last")
        )
        report["database"] = {"ok": True, "vendor": connection.vendor}
    except DatabaseError as exc:
        report["database"] = {"ok": False, "error": type(exc).__name__}
        beats = {}
        healthy = False
    now = clock.now()
    for kind in (Heartbeat.Kind.WORKER, Heartbeat.Kind.SCHEDULER):
        last = beats.get(kind)
        age = (now - last).total_seconds() if last else None
        ok = age is not None and age <= stale.total_seconds()
        healthy &= ok
        report[kind.value] = {
            "ok": ok,
            "heartbeat_age_seconds": round(age, 1) if age is not None else None,
        }
    report["status"] = "ok" if healthy else "unhealthy"
    return JsonResponse(report, status=200 if healthy else 503)
