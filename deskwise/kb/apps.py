from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "deskwise.kb"
    label = "kb"
    verbose_name = "Knowledge base"
