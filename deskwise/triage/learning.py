"""The desk learns to triage from its own tickets.

A scheduled task trains one classifier per field (class, category, team) on
the tickets agents have triaged, keeps each training as a new version with
its held-out accuracy, and activates it only when it beats predicting the
most common value. Intake uses the active versions, loaded once per process
and reloaded when a new version is activated.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from deskwise.core import clock
from deskwise.core.memo import timed_memo
from deskwise.triage.models import RuleField, TriageModel

logger = logging.getLogger(__name__)

FIELDS = (RuleField.TRIAGE_CLASS, RuleField.CATEGORY, RuleField.TEAM)
MAX_SAMPLES = 20_000
MIN_PER_LABEL = 5
HOLDOUT = 0.2


@dataclass(frozen=True)
class LoadedModel:
    field: str
    version: int
    classifier: Any  # deskwise.triage.classifier.TextClassifier


_loaded: dict[tuple[str, int], LoadedModel] = {}


@timed_memo(60)
def active_models() -> dict[str, LoadedModel]:
    """The active version of each field's model, as loaded classifiers."""
    found: dict[str, LoadedModel] = {}
    for row in TriageModel.objects.filter(is_active=True).only("pk", "field", "version"):
        key = (row.field, row.version)
        if key not in _loaded:
            from deskwise.triage.classifier import TextClassifier

            data = TriageModel.objects.values_list("data", flat=True).get(pk=row.pk)
            _loaded[key] = LoadedModel(
                row.field, row.version, TextClassifier.from_bytes(bytes(data))
            )
        found[row.field] = _loaded[key]
    return found


def _samples(field: str) -> list[tuple[str, str]]:
    """(text, label) from the desk's tickets: subject and first message, and
    the value the ticket has now (what agents settled on)."""
    from deskwise.tickets.choices import EventKind
    from deskwise.tickets.models import Ticket, TimelineEvent

    label_path = {
        RuleField.TRIAGE_CLASS: "triage_class",
        RuleField.CATEGORY: "category__name",
        RuleField.TEAM: "team__name",
    }[RuleField(field)]
    tickets = (
        Ticket.objects.exclude(**{f"{label_path}__isnull": True})
        .exclude(**{label_path: ""})
        .order_by("-id")
        .values_list("pk", "subject", label_path)[:MAX_SAMPLES]
    )
    rows = list(tickets)
    bodies: dict[int, str] = {}
    ids = [pk for pk, _, _ in rows]
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for ticket_id, body in (
            TimelineEvent.objects.filter(ticket_id__in=chunk, kind=EventKind.MESSAGE_IN)
            .order_by("ticket_id", "id")
            .values_list("ticket_id", "body_text")
        ):
            bodies.setdefault(ticket_id, body[:5000])
    return [(f"{subject}\n{bodies.get(pk, '')}", str(label)) for pk, subject, label in rows]


def train(field: str, *, seed: int = 0) -> TriageModel | None:
    """Train a new version of one field's model; None when there is too little
    to learn from. The new version is activated only if it beats the baseline."""
    samples = _samples(field)
    counts = Counter(label for _, label in samples)
    samples = [(t, label) for t, label in samples if counts[label] >= MIN_PER_LABEL]
    labels = {label for _, label in samples}
    if len(samples) < settings.DESKWISE_TRIAGE_MODEL_MIN_SAMPLES or len(labels) < 2:
        logger.info(
            "not training %s: %d usable tickets, %d values", field, len(samples), len(labels)
        )
        return None
    from deskwise.triage.classifier import TextClassifier

    rng = random.Random(seed)  # noqa: S311 (a reproducible split, not a secret)
    rng.shuffle(samples)
    cut = max(1, int(len(samples) * HOLDOUT))
    test, train_set = samples[:cut], samples[cut:]
    held_out = TextClassifier.fit(
        [t for t, _ in train_set], [label for _, label in train_set], seed=seed
    )
    predictions = held_out.predict_many([t for t, _ in test])
    correct = sum(p.label == label for p, (_, label) in zip(predictions, test, strict=True))
    accuracy = correct / len(test)
    baseline = Counter(label for _, label in train_set).most_common(1)[0][0]
    baseline_accuracy = sum(label == baseline for _, label in test) / len(test)
    final = TextClassifier.fit([t for t, _ in samples], [label for _, label in samples], seed=seed)
    with transaction.atomic():
        version = (
            TriageModel.objects.filter(field=field).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        better = accuracy > baseline_accuracy
        if better:
            TriageModel.objects.filter(field=field, is_active=True).update(is_active=False)
        model = TriageModel.objects.create(
            field=field,
            version=version,
            trained_at=clock.now(),
            samples=len(samples),
            labels=sorted(labels),
            metrics={
                "holdout_accuracy": round(accuracy, 4),
                "baseline_accuracy": round(baseline_accuracy, 4),
                "holdout": len(test),
            },
            data=final.to_bytes(),
            is_active=better,
        )
    active_models.forget()
    return model


def train_all() -> dict[str, Any]:
    report: dict[str, Any] = {}
    for field in FIELDS:
        model = train(field)
        report[field] = (
            {"version": model.version, "active": model.is_active, **model.metrics}
            if model is not None
            else "too little to learn from"
        )
    return report
