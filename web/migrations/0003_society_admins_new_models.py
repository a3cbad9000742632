"""The "Society admins" group grants the models added since it was created the way it grants
every other (web/migrations/0002_society_admins_group.py): the agreement changes and their
confirmations, the history of participants, leads and conflicts (view), and the upload log."""

import importlib

from django.db import migrations

group = importlib.import_module("web.migrations.0002_society_admins_group")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0002_society_admins_group"),
        ("partnerships", "0006_file_upload"),
        ("twinning", "0005_form_submission"),
    ]

    # The same idempotent grant: it adds what is missing and keeps what the group holds.
    operations = [migrations.RunPython(group.create, migrations.RunPython.noop)]
