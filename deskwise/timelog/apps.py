from django.apps import AppConfig


class TimelogConfig(AppConfig):
    name = "deskwise.timelog"
    label = "timelog"
    verbose_name = "Time on tickets"
