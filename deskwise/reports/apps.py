from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "deskwise.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # The builders register themselves in base.REGISTRY on import.
        from deskwise.reports import metrics, metrics_more  # noqa: F401
