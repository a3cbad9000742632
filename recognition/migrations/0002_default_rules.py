"""The starting point rules; society admins change them in the admin, each change a new
version from its effective date."""

import datetime

from django.db import migrations

START = datetime.date(2020, 1, 1)

# (event, form code or None, points, per month, per activity, earner, note)
RULES = [
    ("activated", None, 10, 0, 0, "every-side", "Both sides agreed and the partnership began."),
    ("checkin-on-time", None, 2, 0, 0, "owner", "A section's check-in, submitted by its due date."),
    ("midterm-done", None, 5, 0, 0, "every-side", "A mid-term review every side confirmed."),
    ("final-confirmed", None, 10, 0, 0, "every-side", "A final evaluation every side confirmed."),
    ("completed", None, 20, 1, 1, "every-side", "More for a longer partnership and each activity done."),
    ("lesson-published", None, 3, 0, 0, "owner", "A lesson the section published in the library."),
    ("story-published", None, 5, 0, 0, "every-side", "A public story of the partnership."),
    ("form-bonus", "growing-section", 10, 0, 0, "every-side", "Growing a formative section, on completion."),
]


def load(apps, schema_editor):
    PointRule = apps.get_model("recognition", "PointRule")
    TwinningForm = apps.get_model("sections", "TwinningForm")
    for event, form_code, points, per_month, per_activity, earner, note in RULES:
        form = TwinningForm.objects.filter(code=form_code).first() if form_code else None
        if form_code and form is None:
            continue
        PointRule.objects.get_or_create(
            event=event, form=form, effective_from=START,
            defaults={"points": points, "points_per_month": per_month, "points_per_activity": per_activity,
                      "earner": earner, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_points_and_recognition"),
        ("sections", "0003_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
