from __future__ import annotations

from django.contrib import admin

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.core.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    """Which workers and schedulers are alive, and since when."""

    list_display = ["name", "kind", "host", "pid", "started_at", "last_seen"]
    list_filter = ["kind"]
