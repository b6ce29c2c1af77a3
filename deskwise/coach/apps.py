from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "deskwise.coach"
    label = "coach"
    verbose_name = "Reply coach"
