from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "deskwise.reports"
    label = "reports"
    verbose_name = "Reports"
