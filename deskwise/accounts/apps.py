from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "deskwise.accounts"
    label = "accounts"
    verbose_name = "People and teams"
