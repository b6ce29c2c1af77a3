from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "deskwise.coach"
    label = "coach"
    verbose_name = "Reply coach"

    def ready(self) -> None:
        # Each message an agent sends the requester is checked and recorded for
        # the measurement, so the tickets app depends on nothing of the coach.
        from deskwise.coach.services import after_reply
        from deskwise.tickets import services as tickets

        if after_reply not in tickets.REPLY_HOOKS:
            tickets.REPLY_HOOKS.append(after_reply)
