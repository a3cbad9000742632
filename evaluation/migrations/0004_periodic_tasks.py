"""The periodic jobs, in django-celery-beat's database scheduler so admins can change
their times in the admin. Each job is safe to run twice at the same moment."""

from django.db import migrations

JOBS = [
    # name, task, crontab (minute, hour, day_of_week)
    ("Send due check-in reminders", "evaluation.tasks.send_due_reminders", ("15", "*", "*")),
    ("Record partnership health", "evaluation.tasks.record_health", ("30", "2", "*")),
    ("Send coordinators' weekly digest", "evaluation.tasks.send_weekly_digests", ("0", "6", "1")),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_week) in JOBS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week=day_of_week, day_of_month="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[job[0] for job in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0003_monitoring"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
