from django.db import migrations


def create(apps, schema_editor):
    from deskwise.outcomes.defaults import REASONS

    Reason = apps.get_model("outcomes", "DecisionReason")
    for order, (code, label, applies_to, explanation) in enumerate(REASONS):
        Reason.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "applies_to": applies_to,
                "explanation": explanation,
                "order": (order + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
