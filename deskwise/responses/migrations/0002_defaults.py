from django.db import migrations


def create(apps, schema_editor):
    from deskwise.responses.defaults import PHRASES, TEMPLATES

    ResponseTemplate = apps.get_model("responses", "ResponseTemplate")
    LanguagePhrase = apps.get_model("responses", "LanguagePhrase")
    for order, (name, purpose, body) in enumerate(TEMPLATES):
        ResponseTemplate.objects.get_or_create(
            name=name, defaults={"purpose": purpose, "body": body, "order": order * 10}
        )
    for step, texts in PHRASES.items():
        for order, text in enumerate(texts):
            LanguagePhrase.objects.get_or_create(
                step=step, text=text, defaults={"order": order * 10}
            )


class Migration(migrations.Migration):
    dependencies = [("responses", "0001_initial")]
    # Going back leaves the rows: 0001's reversal drops the tables anyway, and
    # going forward again finds them rather than adding a second copy.
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
