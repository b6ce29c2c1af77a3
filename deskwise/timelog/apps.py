from django.apps import AppConfig


class TimelogConfig(AppConfig):
    name = "deskwise.timelog"
    label = "timelog"
    verbose_name = "Time on tickets"

    def ready(self) -> None:
        # The time reports register themselves in reports.base.REGISTRY on import.
        from deskwise.timelog import reports  # noqa: F401
