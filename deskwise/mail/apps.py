from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "deskwise.mail"
    label = "mail"
    verbose_name = "Email"
