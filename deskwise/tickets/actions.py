"""The actions on the desk's ticket page: each one's form, wording, when it
applies, and the one service call it makes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from deskwise.accounts.models import User
from deskwise.core.forms import DeskForm
from deskwise.tickets import forms as f
from deskwise.tickets import selectors, services
from deskwise.tickets.choices import REOPENED_BY_REPLY, Status
from deskwise.tickets.models import Ticket

Data = dict[str, Any]


@dataclass(frozen=True)
class TicketAction:
    name: str
    title: str
    button: str
    form: type[forms.Form]
    run: Callable[[Ticket, User, Data], str]
    applies: Callable[[Ticket], bool] = lambda ticket: True
    sidebar: bool = True
    style: str = "secondary"
    note: str = ""

    def make_form(
        self, ticket: Ticket, data: Any = None, files: Any = None, *, user: User | None = None
    ) -> forms.Form:
        """The action's form for this ticket; ``user``, the agent who will see
        it, for what is suggested to them in it (a resolution's tips)."""
        if self.form is f.AssignForm:
            agents = selectors.agents_for(team=ticket.team)
            return f.AssignForm(
                data,
                files,
                agents=selectors.agents_for() if data else agents,
                initial={"owner": ticket.owner_id},
            )
        if self.form is f.TriageForm:
            initial = {
                "triage_class": ticket.triage_class,
                "impact": ticket.impact,
                "urgency": ticket.urgency,
                "category": ticket.category_id,
            }
            return f.TriageForm(data, files, initial=initial)
        if self.form is f.ResolveForm:
            suggested: list[int] = []
            if data is None and user is not None:
                from deskwise.search.selectors import tips_for_ticket

                suggested = [hit.id for hit in tips_for_ticket(user=user, ticket=ticket)]
            return f.ResolveForm(data, files, suggested=suggested)
        return self.form(data, files)


def _reply(t: Ticket, u: User, d: Data) -> str:
    then = Status(d["then"]) if d["then"] else None
    services.reply(ticket=t, actor=u, body=d["body"], uploads=d["attachments"], then=then)
    return "Reply sent."


def _note(t: Ticket, u: User, d: Data) -> str:
    services.add_note(ticket=t, actor=u, body=d["body"], uploads=d["attachments"])
    return "Note added."


def _log(t: Ticket, u: User, d: Data) -> str:
    services.log_contact(
        actor=u, channel=d["channel"], body=d["body"], ticket=t, public=d["public"]
    )
    return "Contact logged."


def _take(t: Ticket, u: User, d: Data) -> str:
    services.take_ownership(ticket=t, actor=u)
    return "It's yours now."


def _assign(t: Ticket, u: User, d: Data) -> str:
    services.assign(
        ticket=t, actor=u, owner=d["owner"], team=d["team"], override=d.get("override", False)
    )
    return "Assignment saved."


def _triage(t: Ticket, u: User, d: Data) -> str:
    services.change_triage(
        ticket=t,
        actor=u,
        reason=d["reason"],
        triage_class=d["triage_class"],
        impact=d["impact"],
        urgency=d["urgency"],
        category=d["category"],
        priority=d["priority"],
    )
    return "Triage changed."


def _flag(t: Ticket, u: User, d: Data) -> str:
    services.set_flag(ticket=t, actor=u, code=d["code"], reason=d["reason"], on=d["on"])
    return "Red flag raised." if d["on"] else "Red flag cleared."


def _status(t: Ticket, u: User, d: Data) -> str:
    services.transition(ticket=t, actor=u, to=Status(d["to"]), reason=d["reason"])
    return "Status changed."


def _escalate(t: Ticket, u: User, d: Data) -> str:
    services.escalate(
        ticket=t, actor=u, reason=d["reason"], to_user=d["to_user"], to_team=d["to_team"]
    )
    return "Escalated."


def _resolve(t: Ticket, u: User, d: Data) -> str:
    article = d.get("tip")
    tip = None
    if article is not None:
        from django.conf import settings

        tip = services.Tip(
            article_id=article.pk,
            title=article.title,
            url=f"{settings.BASE_URL}{article.get_absolute_url()}",
            summary=article.summary,
        )
    services.resolve(ticket=t, actor=u, resolution=d["resolution"], tip=tip)
    return "Resolved: the requester has been asked to confirm."


def _reopen(t: Ticket, u: User, d: Data) -> str:
    services.reopen(ticket=t, actor=u, reason=d["reason"])
    return "Reopened."


def _close(t: Ticket, u: User, d: Data) -> str:
    services.close(ticket=t, actor=u, reason=d["reason"])
    return "Closed."


def _unfinished(ticket: Ticket) -> bool:
    return ticket.status not in REOPENED_BY_REPLY


_ALL = [
    TicketAction("reply", "Reply", "Send reply", f.ReplyForm, _reply, sidebar=False, style=""),
    TicketAction("note", "Internal note", "Add note", f.NoteForm, _note, sidebar=False),
    TicketAction("log", "Log a call, walk-up or chat", "Log it", f.LogForm, _log, sidebar=False),
    TicketAction("take", "Take ownership", "Take ownership", DeskForm, _take, sidebar=False),
    TicketAction("assign", "Assign", "Assign", f.AssignForm, _assign),
    TicketAction("triage", "Change triage", "Change", f.TriageForm, _triage),
    TicketAction("flag", "Red flag", "Save", f.FlagForm, _flag),
    TicketAction(
        "resolve",
        "Resolve",
        "Resolve",
        f.ResolveForm,
        _resolve,
        applies=_unfinished,
        style="",
        note='The requester is asked "Have I solved your problem?"; it closes when they say yes.',
    ),
    TicketAction("status", "Change status", "Change", f.StatusForm, _status, applies=_unfinished),
    TicketAction("escalate", "Escalate", "Escalate", f.EscalateForm, _escalate),
    TicketAction(
        "reopen",
        "Reopen",
        "Reopen",
        f.ReasonForm,
        _reopen,
        applies=lambda t: t.status in REOPENED_BY_REPLY,
    ),
    TicketAction(
        "close",
        "Close without confirmation",
        "Close",
        f.OptionalReasonForm,
        _close,
        applies=lambda t: t.status != Status.CLOSED,
        style="danger",
    ),
]
ACTIONS: dict[str, TicketAction] = {action.name: action for action in _ALL}
SIDEBAR = [action for action in _ALL if action.sidebar]
COMPOSER = [ACTIONS["reply"], ACTIONS["note"], ACTIONS["log"]]


def clarifying_reply_for(ticket: Ticket) -> str:
    """A reply asking the questions that fit what the request left out."""
    from deskwise.triage.signals import clarifying_reply, vagueness

    first = ticket.opening_event if hasattr(ticket, "opening_event") else None
    text = first.body_text if first else ""
    if not text:
        opening = ticket.events.order_by("id").values_list("body_text", flat=True).first()
        text = opening or ""
    return clarifying_reply(
        first_name=ticket.requester.first_name,
        subject=ticket.subject,
        vagueness=vagueness(ticket.subject, text),
    )
