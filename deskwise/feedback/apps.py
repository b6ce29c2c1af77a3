from typing import Any

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "deskwise.feedback"
    label = "feedback"
    verbose_name = "Closing questions"

    def ready(self) -> None:
        # The survey mail makes its links when it is rendered (in a worker).
        from deskwise.feedback import links  # noqa: F401
        from deskwise.tickets import services as tickets

        if _ask_after_closing not in tickets.CLOSED_HOOKS:
            tickets.CLOSED_HOOKS.append(_ask_after_closing)


def _ask_after_closing(ticket: Any) -> None:
    """The three closing questions go out when a ticket that was resolved is
    closed (confirmed, unconfirmed, or closed by an agent after resolving);
    not for one closed without ever being resolved (a duplicate, a decline)."""
    if ticket.resolved_at is None:
        return
    from deskwise.feedback.services import survey_send

    survey_send(ticket=ticket)
