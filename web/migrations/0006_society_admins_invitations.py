"""The "Society admins" group grants invitations the way it grants every other model
(web/migrations/0002_society_admins_group.py): view, add (one by one or imported from CSV)
and change (re-send and revoke, the admin's actions)."""

import importlib

from django.db import migrations

group = importlib.import_module("web.migrations.0002_society_admins_group")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0005_society_admins_form_intents"),
        ("sections", "0008_invitations"),
    ]

    # The same idempotent grant: it adds what is missing and keeps what the group holds.
    operations = [migrations.RunPython(group.create, migrations.RunPython.noop)]
