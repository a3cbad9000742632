"""The directory's text search: a stored, folded search text per section (sections.search)
and, on PostgreSQL, the pg_trgm and unaccent extensions, the IMMUTABLE `twinning_fold`
function the text is folded with (twinning.search) and GIN trigram indexes on the text and
on the short fields a mistyped word is matched against (name, city)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

# unaccent is only STABLE (its dictionary could change), so PostgreSQL refuses it in an index
# expression; the dictionary named explicitly and the function declared IMMUTABLE is the
# usual wrapper. Schema-qualified so that it works whatever the caller's search_path.
FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION twinning_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""

INDEXES = {
    "section_search_trgm": "sections_section USING gin (search_text gin_trgm_ops)",
    "section_name_trgm": "sections_section USING gin (twinning_fold(name) gin_trgm_ops)",
    "section_city_trgm": "sections_section USING gin (twinning_fold(city) gin_trgm_ops)",
}


def create_fold(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FOLD_FUNCTION)


def drop_fold(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS twinning_fold(text)")


def fill(apps, schema_editor):
    from sections.search import section_search_text_refresh

    section_search_text_refresh(sections=apps.get_model("sections", "Section").objects.all())


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("sections", "0009_open_partnerships")]

    operations = [
        # Both are no-ops on other databases.
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_fold, drop_fold),
        migrations.AddField(
            model_name="section",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
