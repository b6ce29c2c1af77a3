from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ResponsesConfig(AppConfig):
    name = "deskwise.responses"
    label = "responses"
    verbose_name = "Response templates"

    def ready(self) -> None:
        from deskwise.responses import models, selectors

        def forget(*args: Any, **kwargs: Any) -> None:
            selectors.reply_templates.forget()

        for signal in (post_save, post_delete):
            signal.connect(forget, sender=models.ResponseTemplate, weak=False,
                           dispatch_uid=f"forget-templates-{signal}")  # fmt: skip
