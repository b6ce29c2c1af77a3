from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "deskwise.portal"
    label = "portal"
    verbose_name = "Requester portal"
