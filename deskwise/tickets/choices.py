"""Named values for tickets, with the groups and colours defined once."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    WAITING = "waiting_on_requester", "Waiting on requester"
    DEFERRED = "deferred", "Deferred"
    DECLINED = "declined", "Declined"
    RESOLVED = "resolved", "Resolved, awaiting confirmation"
    CLOSED = "closed", "Closed"

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self]


STATUS_COLOURS = {
    Status.NEW: "blue",
    Status.OPEN: "teal",
    Status.WAITING: "amber",
    Status.DEFERRED: "purple",
    Status.DECLINED: "grey",
    Status.RESOLVED: "green",
    Status.CLOSED: "grey",
}

# Work the desk still owes: the queue shows these unless asked otherwise.
ACTIVE_STATES = frozenset({Status.NEW, Status.OPEN, Status.WAITING})
# Not finished: active work plus what was put off for later.
UNFINISHED_STATES = ACTIVE_STATES | {Status.DEFERRED}
# The work queue's order: priority, then the next deadline, then age.
QUEUE_ORDER = ("priority", "due_at", "id")
# A requester's reply to a ticket in one of these states reopens it.
REOPENED_BY_REPLY = frozenset({Status.RESOLVED, Status.CLOSED, Status.DECLINED})

# The one transition table. Anything not listed is refused with a reason.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.OPEN, Status.WAITING, Status.DEFERRED, Status.DECLINED,
                           Status.RESOLVED, Status.CLOSED}),
    Status.OPEN: frozenset({Status.WAITING, Status.DEFERRED, Status.DECLINED, Status.RESOLVED,
                            Status.CLOSED}),
    Status.WAITING: frozenset({Status.OPEN, Status.DEFERRED, Status.DECLINED, Status.RESOLVED,
                               Status.CLOSED}),
    Status.DEFERRED: frozenset({Status.OPEN, Status.DECLINED, Status.RESOLVED, Status.CLOSED}),
    Status.DECLINED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.OPEN}),
}  # fmt: skip

# What a refused transition tells the person who tried it.
REFUSAL_HINTS: dict[Status, str] = {
    Status.NEW: "A new ticket is first opened, deferred, declined, resolved or closed.",
    Status.OPEN: "An open ticket can wait on the requester, be deferred, declined, resolved or closed.",
    Status.WAITING: "A ticket waiting on the requester can be reopened, deferred, declined, resolved or closed.",
    Status.DEFERRED: "A deferred ticket can be taken up again, declined, resolved or closed.",
    Status.DECLINED: "A declined ticket can only be reopened for review or closed.",
    Status.RESOLVED: "A resolved ticket waits for the requester: it is confirmed (closed) or reopened.",
    Status.CLOSED: "A closed ticket can only be reopened.",
}  # fmt: skip


class Channel(models.TextChoices):
    PORTAL = "portal", "Portal"
    EMAIL = "email", "Email"
    API = "api", "API"
    PHONE = "phone", "Phone"
    WALK_UP = "walk_up", "Walk-up"
    CHAT = "chat", "Chat"


# Channels an agent logs on the requester's behalf.
LOGGED_CHANNELS = (Channel.PHONE, Channel.WALK_UP, Channel.CHAT)


class Impact(models.TextChoices):
    """Who is affected, in the requester's words."""

    ORGANISATION = "organisation", "The whole organisation"
    TEAM = "team", "My team or department"
    PERSON = "person", "Just me"


class Urgency(models.TextChoices):
    """What the requester cannot do right now."""

    BLOCKED = "blocked", "I can't do essential work at all"
    DEGRADED = "degraded", "I can work, but slowly or with a workaround"
    CAN_WAIT = "can_wait", "Nothing is blocked; this can wait"


class Priority(models.IntegerChoices):
    P1 = 1, "P1 critical"
    P2 = 2, "P2 high"
    P3 = 3, "P3 normal"
    P4 = 4, "P4 low"

    @property
    def colour(self) -> str:
        return {1: "red", 2: "orange", 3: "blue", 4: "grey"}[self.value]


class TriageClass(models.TextChoices):
    """In the order of the prioritisation checklist."""

    OUTAGE = "outage", "Outage"
    SECURITY = "security", "Security"
    URGENT = "urgent", "Urgent"
    MAINTENANCE = "maintenance", "Maintenance"
    REQUEST = "request", "Request (non-urgent)"


class EventKind(models.TextChoices):
    MESSAGE_IN = "message_in", "Message from requester"
    REPLY = "reply", "Reply"
    NOTE = "note", "Internal note"
    CALL = "call", "Phone call"
    WALK_UP = "walk_up", "Walk-up"
    CHAT = "chat", "Chat"
    STATUS_CHANGE = "status_change", "Status change"
    ASSIGNMENT = "assignment", "Assignment"
    ESCALATION = "escalation", "Escalation"
    PRIORITY_CHANGE = "priority_change", "Priority change"
    PARTICIPANTS = "participants", "Participants changed"
    RESOLUTION = "resolution", "Resolution"
    CONFIRMATION = "confirmation", "Requester's answer"
    DELIVERY_FAILURE = "delivery_failure", "Mail not delivered"
    TRIAGE = "triage", "Triage"
    FLAG = "flag", "Red flag"
    DECISION = "decision", "Deferral or decline"
    SLA = "sla", "Service level"
    SILENCE = "silence", "No update for a while"
    SURVEY = "survey", "Closing questions"
    PROBLEM = "problem", "Linked to a problem"
    REMINDER = "reminder", "Reminder sent"
    TIME = "time", "Time logged"


# The contact an agent logs maps to the event that documents it.
CONTACT_EVENT = {
    Channel.PHONE: EventKind.CALL,
    Channel.WALK_UP: EventKind.WALK_UP,
    Channel.CHAT: EventKind.CHAT,
}
# Events that carry words somebody wrote (rather than a change of state).
MESSAGE_KINDS = frozenset({EventKind.MESSAGE_IN, EventKind.REPLY, EventKind.NOTE, EventKind.CALL,
                           EventKind.WALK_UP, EventKind.CHAT, EventKind.RESOLUTION,
                           EventKind.DECISION})  # fmt: skip


class SlaState(models.TextChoices):
    OK = "ok", "On time"
    WARNING = "warning", "Close to its target"
    BREACHED = "breached", "Target missed"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Requester can see"
    INTERNAL = "internal", "Agents only"
