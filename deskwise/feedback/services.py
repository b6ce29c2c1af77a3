"""The closing questions: sending them once a ticket is closed, the
requester's answer, and the supervisor's follow-up on a poor one.

Each is one transaction that locks the ticket and appends its timeline
event, like every ticket service; mail leaves after the commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Team, User
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from deskwise.core.queries import one
from deskwise.core.text import clean_body
from deskwise.feedback import links
from deskwise.feedback.models import RATING_MAX, RATING_MIN, FollowUp, Survey, is_poor
from deskwise.notifications.services import email_queue
from deskwise.tickets import services as tickets
from deskwise.tickets.choices import Channel, EventKind, Status, Visibility
from deskwise.tickets.models import Ticket

# The ticket internals the survey shares with the ticket services: the lock,
# the timeline, the text rules and what a mail about a ticket says.
_lock = tickets._lock
_append = tickets._append
_clean = tickets._clean
_ticket_context = tickets._ticket_context
service = tickets.service

DEFAULT_DAYS = 14
BETTER_MAX = 5000
NOTE_MAX = 5000


class AlreadyAnswered(Conflict):
    code = "already_answered"


class Expired(Conflict):
    code = "expired"


def survey_days() -> int:
    """How long a survey link works: ``DESKWISE_SURVEY_DAYS``, 14 by default."""
    try:
        days = int(getattr(settings, "DESKWISE_SURVEY_DAYS", DEFAULT_DAYS))
    except (TypeError, ValueError):
        days = DEFAULT_DAYS
    return max(1, days)


def _day(moment: dt.datetime) -> str:
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return f"{local.day} {local:%B %Y}"


@service
def survey_send(*, ticket: Ticket) -> Survey:
    """Ask the requester of a closed ticket the three closing questions.

    A ticket gets one survey, ever: called again (a ticket closed a second
    time after reopening), it returns the survey it has and sends nothing.
    Call it once the ticket is saved as closed, in the same transaction.
    The survey it creates carries the raw token in ``token`` (not a column);
    only its hash is stored.
    """
    ticket = _lock(ticket)
    existing = one(Survey.objects.filter(ticket_id=ticket.pk))
    if existing is not None:
        existing.token = None
        return existing
    if ticket.status != Status.CLOSED:
        raise Conflict(
            f"{ticket.reference} is {Status(ticket.status).label.lower()}; the closing "
            "questions are asked once it is closed."
        )
    now = clock.now()
    days = survey_days()
    raw = links.new_token()
    survey = Survey.objects.create(
        ticket=ticket,
        token_hash=links.token_hash(raw),
        requester_id=ticket.requester_id,
        agent_id=ticket.owner_id,
        team_id=ticket.team_id,
        category_id=ticket.category_id,
        sent_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    survey.token = raw
    requester = ticket.requester
    event = _append(
        ticket,
        kind=EventKind.SURVEY,
        visibility=Visibility.INTERNAL,
        body=(
            f"The closing questions were sent to {requester.email}; the link works until "
            f"{_day(survey.expires_at)}."
        ),
        data={
            "survey": {"id": survey.pk, "sent": True, "expires_at": survey.expires_at.isoformat()}
        },
    )
    ticket.save(update_fields=["updated_at"])
    owner = ticket.owner
    email_queue(
        template="survey",
        to=[requester.email],
        context={
            **_ticket_context(ticket),
            **links.sealed(raw),
            "agent_name": owner.display_name if owner else "",
            "days": days,
            "expires_on": _day(survey.expires_at),
        },
        ticket=ticket,
        event=event,
    )
    return survey


def _rating(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            f"Satisfaction is a whole number from {RATING_MIN} to {RATING_MAX}.",
            fields={"satisfaction": ["Not a whole number."]},
        )
    if not RATING_MIN <= value <= RATING_MAX:
        raise InvalidInput(
            f"Satisfaction {value} is out of range: choose from {RATING_MIN} (very "
            f"dissatisfied) to {RATING_MAX} (very satisfied).",
            fields={"satisfaction": [f"From {RATING_MIN} to {RATING_MAX}."]},
        )
    return value


def _solved(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InvalidInput(
        "Solved is yes or no (true or false).", fields={"solved": ["Not yes or no."]}
    )


def _find(*, token: str | None, survey: Survey | None, actor: User | None) -> Survey:
    """The survey the answer is for, locked after its ticket. A token that is
    not ours, or is another ticket's, is not found: they look the same."""
    if token is not None:
        if not links.plausible(token):
            raise NotFound("There is no such survey link.")
        found = one(Survey.objects.filter(token_hash=links.token_hash(token)))
        if found is None or (survey is not None and found.pk != survey.pk):
            raise NotFound("There is no such survey link.")
    elif survey is not None:
        # Without the link, only the requester, signed in, answers.
        if actor is None or actor.contact_id is None or actor.contact_id != survey.requester_id:
            raise NotAllowed("Only the person who asked for help answers its closing questions.")
        found = survey
    else:
        raise InvalidInput("Which survey? Give the link's token.", fields={"token": ["Required."]})
    _lock(Ticket(pk=found.ticket_id))
    return (
        Survey.objects.select_for_update(of=("self",))
        .select_related("ticket", "ticket__requester", "team", "agent", "requester")
        .get(pk=found.pk)
    )


def check_open(survey: Survey) -> None:
    """Refuse an answered or expired survey, saying which and what to do."""
    if survey.answered_at is not None:
        raise AlreadyAnswered(
            f"The closing questions for {survey.reference} were already answered on "
            f"{_day(survey.answered_at)}. Thank you: each request is asked once."
        )
    if clock.now() >= survey.expires_at:
        raise Expired(
            f"This link to the closing questions for {survey.reference} expired on "
            f"{_day(survey.expires_at)}. If something is still not right, reply to our last "
            "mail or open the request in the portal."
        )


def _supervisor_for(team: Team, *, agent: User | None) -> User | None:
    """Who a follow-up is for: a supervisor of the team other than the agent who
    handled it, else any supervisor, else an admin; None if the desk has none."""
    candidates = User.objects.filter(is_active=True)
    if agent is not None:
        candidates = candidates.exclude(pk=agent.pk)
    for qs in (
        candidates.filter(role=Role.SUPERVISOR, memberships__team=team),
        candidates.filter(role=Role.SUPERVISOR),
        candidates.filter(role=Role.ADMIN),
    ):
        found = qs.order_by("pk").first()
        if found is not None:
            return found
    return None


def _reason(*, solved: bool | None, satisfaction: int | None) -> str:
    parts = []
    if solved is False:
        parts.append("Not solved")
    if satisfaction is not None and is_poor(solved=None, satisfaction=satisfaction):
        parts.append(f"Satisfaction {satisfaction} of {RATING_MAX}")
    return "; ".join(parts)


@service
def survey_answer(
    *,
    token: str | None = None,
    survey: Survey | None = None,
    solved: bool | None = None,
    satisfaction: int | None = None,
    better: str | None = "",
    actor: User | None = None,
    channel: Channel | str = "",
) -> Survey:
    """The requester's answers, once: solved, satisfaction (1-5) and anything we
    could have done better; any of them may be left out, not all.

    ``token`` is the link's (no sign-in); or ``survey`` with ``actor``, the
    requester signed in. Both given: the token must be that survey's. A poor
    answer (not solved, or 1 or 2) opens a follow-up for a supervisor."""
    found = _find(token=token, survey=survey, actor=actor)
    check_open(found)
    solved = _solved(solved)
    satisfaction = _rating(satisfaction)
    better = _clean(better, clean_body, "better", label="What we could have done better",
                    max_length=BETTER_MAX, required=False)  # fmt: skip
    if solved is None and satisfaction is None and not better:
        raise InvalidInput(
            "Answer at least one of the questions: solved, satisfaction, or what we could "
            "have done better.",
            fields={"solved": ["Answer at least one question."]},
        )
    ticket = found.ticket
    now = clock.now()
    found.answered_at = now
    found.solved = solved
    found.satisfaction = satisfaction
    found.better = better
    event = _append(
        ticket,
        kind=EventKind.SURVEY,
        actor=actor,
        contact=found.requester,
        visibility=Visibility.PUBLIC,
        channel=Channel(channel) if channel else "",
        body=better,
        data={"survey": found.pk, "solved": solved, "satisfaction": satisfaction},
    )
    ticket.save(update_fields=["updated_at"])
    found.event = event
    found.save(update_fields=["answered_at", "solved", "satisfaction", "better", "event"])
    if is_poor(solved=solved, satisfaction=satisfaction):
        _open_followup(found)
    return found


def _open_followup(survey: Survey) -> FollowUp:
    supervisor = _supervisor_for(survey.team, agent=survey.agent)
    followup = FollowUp.objects.create(
        survey=survey,
        team=survey.team,
        supervisor=supervisor,
        reason=_reason(solved=survey.solved, satisfaction=survey.satisfaction),
        created_at=clock.now(),
    )
    if supervisor is not None and supervisor.email:
        ticket = survey.ticket
        email_queue(
            template="survey_followup",
            to=[supervisor.email],
            context={
                **_ticket_context(ticket),
                "supervisor_name": supervisor.display_name,
                "requester_name": survey.requester.display_name,
                "agent_name": survey.agent.display_name if survey.agent else "",
                "team_name": survey.team.name,
                "reason": followup.reason,
                "solved": survey.solved,
                "satisfaction": survey.satisfaction,
                "better": survey.better,
                "followups_path": "/desk/satisfaction/followups/",
            },
        )
    return followup


@service
def followup_done(*, followup: FollowUp, actor: User, note: str) -> FollowUp:
    """A supervisor says what they did about a poor answer; kept on the ticket."""
    if not actor.is_supervisor:
        raise NotAllowed("Follow-ups on the closing questions are for supervisors.")
    note = _clean(note, clean_body, "note", label="What you did", max_length=NOTE_MAX)
    ticket_id = Survey.objects.filter(pk=followup.survey_id).values_list("ticket_id", flat=True)
    ticket = _lock(Ticket(pk=ticket_id.get()))
    followup = FollowUp.objects.select_for_update(of=("self",)).get(pk=followup.pk)
    if followup.status == FollowUp.Status.DONE:
        who = followup.handled_by.display_name if followup.handled_by else "someone"
        when = _day(followup.done_at) if followup.done_at else "earlier"
        raise Conflict(f"This follow-up was already done by {who} on {when}.")
    now = clock.now()
    followup.status = FollowUp.Status.DONE
    followup.note = note
    followup.handled_by = actor
    followup.done_at = now
    followup.save(update_fields=["status", "note", "handled_by", "done_at"])
    _append(
        ticket,
        kind=EventKind.NOTE,
        actor=actor,
        visibility=Visibility.INTERNAL,
        body=f"Followed up on the closing questions ({followup.reason}): {note}",
        data={"survey_followup": {"id": followup.pk, "status": FollowUp.Status.DONE.value}},
    )
    ticket.save(update_fields=["updated_at"])
    return followup
