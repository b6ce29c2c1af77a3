"""PostgreSQL: the tsvectors of timeline event bodies and article bodies kept in
generated columns, GIN-indexed, instead of recomputed from the text for every
row a search checks or ranks (see deskwise.search.ddl). Nothing on SQLite.

On a large desk this rewrites ``tickets_timelineevent`` under an exclusive
lock (about a minute for four million events): run it in a quiet hour."""

from django.db import migrations


def forwards(apps, schema_editor):
    from deskwise.search import ddl

    ddl.store_vectors(schema_editor)


def backwards(apps, schema_editor):
    from deskwise.search import ddl

    ddl.drop_vectors(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_fulltext")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
