"""The "Society admins" group sees the handover records (web/migrations/0002_society_admins_group.py):
leads to name and handover notes, kept by the site's services and read only in the admin."""

import importlib

from django.db import migrations

group = importlib.import_module("web.migrations.0002_society_admins_group")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0006_society_admins_invitations"),
        ("partnerships", "0011_handover"),
        ("twinning", "0006_notices"),
    ]

    # The same idempotent grant: it adds what is missing and keeps what the group holds.
    operations = [migrations.RunPython(group.create, migrations.RunPython.noop)]
