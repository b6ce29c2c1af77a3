from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TriageConfig(AppConfig):
    name = "deskwise.triage"
    label = "triage"
    verbose_name = "Triage"

    def ready(self) -> None:
        from deskwise.triage import flags, learning, models, priority, rules

        # A change an admin makes takes effect at once in the process that
        # made it (others pick it up when their memo expires).
        memos = {
            models.PriorityCell: (priority.matrix,),
            models.TriageRule: (rules.compiled_rules,),
            models.Product: (flags.catalogue,),
            models.FlagPhrase: (flags.phrases,),
            models.TriageModel: (learning.active_models,),
        }
        for model, forget in memos.items():

            def handler(*args: Any, _forget: tuple[Any, ...] = forget, **kwargs: Any) -> None:
                for memo in _forget:
                    memo.forget()

            post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"forget-{model}")
            post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"forget-d-{model}")
