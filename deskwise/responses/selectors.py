"""The templates and phrases an agent is offered; only active ones are offered.

No permission check lives here: every agent may use every active template,
and the admin is the only place that edits them.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from deskwise.core.errors import InvalidInput, NotFound
from deskwise.core.memo import timed_memo
from deskwise.responses.models import LanguagePhrase, ResponseTemplate

Purpose = ResponseTemplate.Purpose


def templates_for(purpose: str) -> list[ResponseTemplate]:
    """Active templates written for ``purpose``, then the active 'any reply' ones.

    The ones written for the moment come first because they are what the agent
    most likely wants; the general ones follow so the dialog is never empty.
    """
    if purpose not in Purpose.values:
        raise InvalidInput(
            f"{purpose!r} is not a kind of response template; "
            f"the kinds are: {', '.join(Purpose.values)}.",
            fields={"purpose": ["No such kind of response template."]},
        )
    return list(
        ResponseTemplate.objects.filter(is_active=True, purpose__in={purpose, Purpose.ANY})
        .annotate(
            general=Case(
                When(purpose=Purpose.ANY, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("general", "order", "name")
    )


def phrases() -> dict[str, list[str]]:
    """The language bank by step, the steps in the order a reply takes them
    (acknowledge, explain, alternatives, expectations); every step is present,
    even with no phrases, so the dialog can show all four."""
    bank: dict[str, list[str]] = {step: [] for step in LanguagePhrase.Step.values}
    rows = LanguagePhrase.objects.filter(is_active=True).order_by("order", "id")
    for step, text in rows.values_list("step", "text"):
        bank.setdefault(step, []).append(text)
    return bank


def template_get(pk: int) -> ResponseTemplate:
    """One active template; an inactive one is as good as gone to the agent."""
    try:
        return ResponseTemplate.objects.get(pk=pk, is_active=True)
    except (ResponseTemplate.DoesNotExist, ValueError, TypeError):
        raise NotFound("There is no such response template, or it is no longer in use.") from None


@timed_memo(60)
def reply_templates() -> list[tuple[int, str]]:
    """The templates any reply may start from, as (id, name): read on every
    ticket page, so kept a minute (at once renewed in the process that edits)."""
    return [
        (t.pk, t.name)
        for t in ResponseTemplate.objects.filter(
            purpose=ResponseTemplate.Purpose.ANY, is_active=True
        ).order_by("order", "name")[:20]
    ]
