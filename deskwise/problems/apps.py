from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "deskwise.problems"
    label = "problems"
    verbose_name = "Problems and root causes"
