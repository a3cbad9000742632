"""The "Society admins" group grants the records of the forms of twinning the way it grants
every other model (web/migrations/0002_society_admins_group.py): exchanges, support
agreements, instalments and spending, growth milestones and their kinds, snapshots and
maturity proposals."""

import importlib

from django.db import migrations

group = importlib.import_module("web.migrations.0002_society_admins_group")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0003_society_admins_new_models"),
        ("partnerships", "0009_growth"),
    ]

    # The same idempotent grant: it adds what is missing and keeps what the group holds.
    operations = [migrations.RunPython(group.create, migrations.RunPython.noop)]
