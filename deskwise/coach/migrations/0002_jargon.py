from django.db import migrations


def create(apps, schema_editor):
    from deskwise.coach.defaults import JARGON

    JargonTerm = apps.get_model("coach", "JargonTerm")
    existing = {term.lower() for term in JargonTerm.objects.values_list("term", flat=True)}
    JargonTerm.objects.bulk_create(
        JargonTerm(term=term, plain_words=plain, is_active=True)
        for term, plain in JARGON
        if term.lower() not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("coach", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
