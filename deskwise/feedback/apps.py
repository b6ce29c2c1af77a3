from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "deskwise.feedback"
    label = "feedback"
    verbose_name = "Closing questions"
