from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "deskwise.tickets"
    label = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        from deskwise.tickets import notifications  # noqa: F401 (registers mail enrichers)
