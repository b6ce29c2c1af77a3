from django.db import models


class Role(models.TextChoices):
    """What a person may do at the desk; each role includes the ones above it."""

    REQUESTER = "requester", "Requester"
    AGENT = "agent", "Agent"
    SUPERVISOR = "supervisor", "Supervisor"
    ADMIN = "admin", "Admin"


STAFF_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
