from django.db import models


class Role(models.TextChoices):
    """What a person may do at the desk; each role includes the ones above it."""

    REQUESTER = "requester", "Requester"
    AGENT = "agent", "Agent"
    SUPERVISOR = "supervisor", "Supervisor"
    ADMIN = "admin", "Admin"


STAFF_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})


class AutoAssign(models.TextChoices):
    NONE = "none", "No: agents take tickets"
    ROUND_ROBIN = "round_robin", "In turn, among agents with capacity"
    LEAST_LOADED = "least_loaded", "To the least loaded agent with capacity"
