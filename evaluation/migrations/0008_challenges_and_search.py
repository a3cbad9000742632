"""The challenge categories lessons and evaluations are tagged with, and full-text search
on PostgreSQL: the unaccent extension and a GIN index on the lessons' search vector.
SQLite searches the plain `search_text` column instead (evaluation.selectors)."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

# The presentation's challenge categories, then three that evaluations keep naming.
CHALLENGES = [
    ("finding-partner", "Finding a partner"),
    ("sustainability", "Sustainability"),
    ("infrastructure", "Infrastructure"),
    ("priorities", "Pressing priorities"),
    ("conflict", "Conflict"),
    ("culture-clash", "Culture clash"),
    ("funding", "Funding"),
    ("communication", "Communication"),
    ("planning", "Planning"),
]


def load(apps, schema_editor):
    ChallengeCategory = apps.get_model("evaluation", "ChallengeCategory")
    for position, (code, name) in enumerate(CHALLENGES):
        ChallengeCategory.objects.update_or_create(code=code, defaults={"name": name, "position": position})


def gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS lesson_search_gin ON evaluation_lesson USING gin (search_vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS lesson_search_gin")


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_closing_and_lessons")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(gin_index, drop_gin_index),
    ]
