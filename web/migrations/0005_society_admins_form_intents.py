"""The "Society admins" group sees what proposals said about each form of twinning (form
intents, read only on the partnership's admin page), granted the way every other model is
(web/migrations/0002_society_admins_group.py)."""

import importlib

from django.db import migrations

group = importlib.import_module("web.migrations.0002_society_admins_group")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0004_society_admins_forms_of_twinning"),
        ("partnerships", "0010_form_intents"),
    ]

    # The same idempotent grant: it adds what is missing and keeps what the group holds.
    operations = [migrations.RunPython(group.create, migrations.RunPython.noop)]
