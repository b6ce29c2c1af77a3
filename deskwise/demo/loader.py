"""Replays the demo stories through the ticket services, with the clock set back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Contact, Team, User
from deskwise.accounts.services import membership_add, team_create, user_create
from deskwise.core import clock
from deskwise.demo.data import (
    CATEGORIES,
    DEMO_PASSWORD,
    FLAG_PHRASES,
    PRODUCTS,
    REQUESTERS,
    STAFF,
    STORIES,
    TEAM_EMAILS,
    TEAMS,
    Story,
)
from deskwise.notifications.services import muted
from deskwise.tickets import services
from deskwise.tickets.choices import Channel, EventKind, Impact, Status, Urgency
from deskwise.tickets.models import Ticket
from deskwise.triage import flags, rules
from deskwise.triage.models import Category, FlagPhrase, Product, RuleField, TriageRule


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    name: str


def demo_logins() -> list[Login]:
    people = [(u, role, f"{first} {last}") for u, first, last, _, role, _ in STAFF]
    people += [(u, "requester", f"{first} {last}") for u, first, last, _, _ in REQUESTERS]
    return [Login(username=u, role=r, name=n) for u, r, n in people]


def is_empty() -> bool:
    return not User.objects.exists() and not Ticket.objects.exists()


@transaction.atomic
def load_demo(*, now: dt.datetime | None = None) -> int:
    """Create the demo desk in an empty database; returns the number of tickets."""
    now = now or clock.now()
    with muted(), clock.frozen_at(now - dt.timedelta(days=60)):
        teams = {
            name: team_create(name=name, description=desc, is_default=default)
            for name, desc, default in TEAMS
        }
        users: dict[str, User] = {}
        for username, first, last, email, role, team_names in STAFF:
            users[username] = user_create(
                username=username,
                email=email,
                role=Role(role),
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                validate=False,
            )
            for name in team_names:
                membership_add(team=teams[name], user=users[username])
        for username, first, last, email, organisation in REQUESTERS:
            users[username] = user_create(
                username=username,
                email=email,
                role=Role.REQUESTER,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                validate=False,
            )
            Contact.objects.filter(email=email).update(organisation=organisation)
        _configure_triage(teams)
    for story in sorted(STORIES, key=lambda s: -s.age):
        _replay(story, users=users, teams=teams, now=now)
    return len(STORIES)


def _configure_triage(teams: dict[str, Team]) -> None:
    """Categories, their phrases, the product catalogue and red-flag phrases."""
    for name, email in TEAM_EMAILS.items():
        Team.objects.filter(pk=teams[name].pk).update(email=email)
    for order, (name, team, phrases) in enumerate(CATEGORIES):
        Category.objects.create(name=name, team=teams[team])
        TriageRule.objects.create(
            name=f"About {name.lower()}",
            field=RuleField.CATEGORY,
            value=name,
            confidence=0.8,
            phrases="\n".join(phrases),
            order=200 + order,
        )
    for name, aliases, supported, note in PRODUCTS:
        Product.objects.create(name=name, aliases=aliases, supported=supported, note=note)
    for kind, scope_team, phrase, note in FLAG_PHRASES:
        FlagPhrase.objects.create(
            kind=kind, team=teams[scope_team] if scope_team else None, phrase=phrase, note=note
        )
    rules.compiled_rules.forget()
    flags.forget()


def _replay(
    story: Story, *, users: dict[str, User], teams: dict[str, Team], now: dt.datetime
) -> None:
    requester_user = users[story.requester]
    requester = requester_user.contact
    assert requester is not None
    opened = now - dt.timedelta(minutes=story.age)
    channel = Channel(story.channel)
    with muted(), clock.frozen_at(opened):
        if story.logged_by:
            ticket = services.log_contact(
                actor=users[story.logged_by],
                channel=channel,
                body=story.description,
                requester=requester,
                subject=story.subject,
                team=teams[story.team],
                impact=Impact(story.impact),
                urgency=Urgency(story.urgency),
            )
        else:
            ticket = services.open_ticket(
                requester=requester,
                subject=story.subject,
                description=story.description,
                channel=channel,
                actor=requester_user if channel != Channel.EMAIL else None,
                team=teams[story.team],
                impact=Impact(story.impact),
                urgency=Urgency(story.urgency),
                participants=[c for u in story.cc if (c := users[u].contact) is not None],
                event_kind=EventKind.MESSAGE_IN,
            )
    as_requester = requester_user if channel not in {Channel.EMAIL, Channel.PHONE} else None
    for offset, action, args in story.steps:
        at = opened + dt.timedelta(minutes=offset)
        if at >= now:
            raise ValueError(f"demo story {story.subject!r} has a step in the future")
        ticket.refresh_from_db()
        with muted(), clock.frozen_at(at):
            if action == "message":
                services.add_requester_message(
                    ticket=ticket,
                    contact=requester,
                    actor=as_requester,
                    body=args["body"],
                    channel=Channel.EMAIL if as_requester is None else Channel.PORTAL,
                )
            elif action == "confirm":
                services.confirm_resolution(
                    ticket=ticket,
                    contact=requester,
                    actor=as_requester,
                    solved=args["solved"],
                    comment=args["comment"],
                )
            else:
                _agent_step(ticket, action, args, who=users[args["who"]], users=users, teams=teams)


def _agent_step(
    ticket: Ticket,
    action: str,
    args: dict[str, Any],
    *,
    who: User,
    users: dict[str, User],
    teams: dict[str, Team],
) -> None:
    match action:
        case "take":
            services.take_ownership(ticket=ticket, actor=who)
        case "assign":
            services.assign(ticket=ticket, actor=who, owner=users[args["owner"]])
        case "reply":
            then = Status(args["then"]) if args["then"] else None
            services.reply(ticket=ticket, actor=who, body=args["body"], then=then)
        case "note":
            services.add_note(ticket=ticket, actor=who, body=args["body"])
        case "log":
            channel = Channel(args["channel"])
            services.log_contact(actor=who, channel=channel, body=args["body"], ticket=ticket)
        case "resolve":
            services.resolve(ticket=ticket, actor=who, resolution=args["body"])
        case "decide":
            from deskwise.outcomes import services as outcomes
            from deskwise.outcomes.models import DecisionReason

            days = args["days"]
            outcomes.decide(
                ticket=ticket,
                actor=who,
                kind=args["kind"],
                reason=DecisionReason.objects.get(code=args["reason"]),
                message=args["message"],
                alternatives=args["alternatives"],
                expected_date=(clock.now() + dt.timedelta(days=days)).date() if days else None,
            )
        case "status":
            services.transition(
                ticket=ticket, actor=who, to=Status(args["to"]), reason=args["reason"]
            )
        case "escalate":
            services.escalate(
                ticket=ticket,
                actor=who,
                reason=args["reason"],
                to_user=users[args["to_user"]] if args["to_user"] else None,
                to_team=teams[args["to_team"]] if args["to_team"] else None,
            )
        case "close":
            services.close(ticket=ticket, actor=who, reason=args["reason"])
        case _:
            raise ValueError(f"unknown demo step {action!r}")
