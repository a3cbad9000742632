"""The partnership list's text search: a stored, folded search text per partnership
(partnerships.search) and, on PostgreSQL, GIN trigram indexes on it and on the folded title
(what a mistyped word is matched against). `twinning_fold` and the extensions come from
sections' 0010."""

from django.db import migrations, models

INDEXES = {
    "partnership_search_trgm": "partnerships_partnership USING gin (search_text gin_trgm_ops)",
    "partnership_title_trgm": "partnerships_partnership USING gin (twinning_fold(title) gin_trgm_ops)",
}


def fill(apps, schema_editor):
    from partnerships.search import partnership_search_text_refresh

    partnership_search_text_refresh(partnerships=apps.get_model("partnerships", "Partnership").objects.all())


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0011_handover"), ("sections", "0010_search")]

    operations = [
        migrations.AddField(
            model_name="partnership",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
