from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "deskwise.outcomes"
    label = "outcomes"
    verbose_name = "Deferrals, declines and off-channel requests"
