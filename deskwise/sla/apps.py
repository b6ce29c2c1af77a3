from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "deskwise.sla"
    label = "sla"
    verbose_name = "Service levels"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from deskwise.accounts.models import Team
        from deskwise.sla import calendar, policies
        from deskwise.sla.models import Holiday, SlaPolicy

        def forget(**_: object) -> None:
            policies.forget()
            calendar.forget()

        for model in (SlaPolicy, Holiday, Team):
            post_save.connect(forget, sender=model, dispatch_uid=f"sla-forget-{model.__name__}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"sla-del-{model.__name__}")
