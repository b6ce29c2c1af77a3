"""Triage's background work: learning from the desk's own tickets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import task

from deskwise.core.schedule import periodic


@periodic(every=dt.timedelta(days=1))
@task()
def retrain_triage_models() -> dict[str, Any]:
    """Train a new version of each field's model; it is used only if it beats
    guessing the most common value on tickets it has not seen."""
    from deskwise.triage.learning import train_all

    return train_all()
