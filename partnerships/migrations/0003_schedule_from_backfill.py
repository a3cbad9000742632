"""Anchor the reporting schedule of the partnerships that were already running (active
or suspended) when `schedule_from` was added: from their latest activation or resumption,
else from their start date."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

RUNNING = ("active", "suspended")


def backfill(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    Transition = apps.get_model("partnerships", "Transition")
    partnerships = Partnership.objects.filter(status__in=RUNNING, schedule_from__isnull=True)
    latest = dict(
        Transition.objects.filter(partnership__in=partnerships, to_status="active")
        .values("partnership_id")
        .annotate(at=Max("at"))
        .values_list("partnership_id", "at")
    )
    for partnership in partnerships.only("pk", "start_date"):
        at = latest.get(partnership.pk)
        partnership.schedule_from = timezone.localdate(at) if at else partnership.start_date
        partnership.save(update_fields=["schedule_from"])


class Migration(migrations.Migration):

    dependencies = [
        ("partnerships", "0002_partnership_cadence_partnership_schedule_from"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
