"""Full-text indexes over tickets, their timelines, contacts and articles:
FTS5 tables kept by triggers on SQLite, GIN expression indexes on PostgreSQL
(see deskwise.search.ddl). Existing rows are indexed here, once."""

from django.db import migrations


def forwards(apps, schema_editor):
    from deskwise.search import ddl

    ddl.create(schema_editor)


def backwards(apps, schema_editor):
    from deskwise.search import ddl

    ddl.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_ticket_back_at_ticket_deferred_until_and_more"),
        ("accounts", "0003_team_auto_assign_team_last_assigned_team_time_zone_and_more"),
        ("kb", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
