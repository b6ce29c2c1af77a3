from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "deskwise.demo"
    label = "demo"
    verbose_name = "Demo desk"
