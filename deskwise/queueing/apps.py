from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "deskwise.queueing"
    label = "queueing"
    verbose_name = "Queue and wait estimates"
