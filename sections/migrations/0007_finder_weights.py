"""The finder's default weights as rows admins can edit (partnerships/finder.py documents them)."""

from django.db import migrations

DEFAULT_WEIGHTS = {
    "interests": 3,
    "complementarity": 4,
    "maturity": 2,
    "language": 2,
    "time_zone": 1,
    "country": 1,
    "readiness": 1,
    "load": 1,
}


def load(apps, schema_editor):
    FinderWeight = apps.get_model("sections", "FinderWeight")
    for factor, weight in DEFAULT_WEIGHTS.items():
        FinderWeight.objects.get_or_create(factor=factor, defaults={"weight": weight})


class Migration(migrations.Migration):
    dependencies = [("sections", "0006_finder")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
