from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "deskwise.tickets"
    label = "tickets"
    verbose_name = "Tickets"
