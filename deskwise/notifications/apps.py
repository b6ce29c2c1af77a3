from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "deskwise.notifications"
    label = "notifications"
    verbose_name = "Outbound mail"
