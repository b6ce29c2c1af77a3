from django.db import migrations


def create(apps, schema_editor):
    from deskwise.triage.defaults import MATRIX, RULES

    PriorityCell = apps.get_model("triage", "PriorityCell")
    TriageRule = apps.get_model("triage", "TriageRule")
    for (impact, urgency), priority in MATRIX.items():
        PriorityCell.objects.get_or_create(
            impact=impact, urgency=urgency, defaults={"priority": priority}
        )
    for order, (name, field, value, confidence, phrases) in enumerate(RULES):
        TriageRule.objects.get_or_create(
            name=name,
            defaults={
                "field": field,
                "value": value,
                "confidence": confidence,
                "phrases": "\n".join(phrases),
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
