from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "deskwise.core"
    label = "core"
    verbose_name = "Deskwise core"
