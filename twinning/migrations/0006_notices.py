"""The inbox (twinning.notices): notices, each user's choice of how they hear of each kind,
their preferred language and time zone, the daily summaries (twinning.summary); and two
entries in django-celery-beat's database scheduler (admins may change their times in the
admin): the daily summaries, hourly, since each user's summary hour is in their own time
zone, and the nightly purge of notices older than 180 days. Both are safe to run twice at
the same moment."""

import django.db.models.deletion
import django.utils.timezone
import twinning.validators
from django.conf import settings
from django.db import migrations, models


TASKS = [
    # (name, task, minute, hour)
    ("Send daily summaries", "twinning.tasks.send_daily_summaries", "5", "*"),
    # A quiet hour, away from the other nightly jobs (02:30 health, 03:45 points, 04:15 tokens).
    ("Purge old notices", "twinning.tasks.purge_notices", "40", "4"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('twinning', '0005_form_submission'),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='language',
            field=models.CharField(blank=True, max_length=10, verbose_name='preferred language'),
        ),
        migrations.AddField(
            model_name='user',
            name='time_zone',
            field=models.CharField(blank=True, max_length=63, validators=[twinning.validators.validate_time_zone], verbose_name='time zone'),
        ),
        migrations.CreateModel(
            name='DailySummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('mail', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='twinning.outgoingmail', verbose_name='mail')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'daily summary',
                'verbose_name_plural': 'daily summaries',
            },
        ),
        migrations.CreateModel(
            name='Notice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('transitions', 'Proposals and transitions'), ('reminders', 'Reminders'), ('escalations', 'Escalations'), ('digests', 'Digests'), ('recognition', 'Recognition'), ('account', 'Your account')], max_length=12, verbose_name='kind')),
                ('subject', models.CharField(max_length=300, verbose_name='subject')),
                ('link', models.CharField(blank=True, max_length=500, verbose_name='link')),
                ('delivery', models.CharField(choices=[('immediate', 'An email at once'), ('daily', 'In one daily summary email'), ('inbox', 'Only in the inbox')], max_length=10, verbose_name='delivery')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read')),
                ('summary', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notices', to='twinning.dailysummary', verbose_name='daily summary')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'notice',
                'verbose_name_plural': 'notices',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='NoticePreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('transitions', 'Proposals and transitions'), ('reminders', 'Reminders'), ('escalations', 'Escalations'), ('digests', 'Digests'), ('recognition', 'Recognition'), ('account', 'Your account')], max_length=12, verbose_name='kind')),
                ('delivery', models.CharField(choices=[('immediate', 'An email at once'), ('daily', 'In one daily summary email'), ('inbox', 'Only in the inbox')], max_length=10, verbose_name='delivery')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notice_preferences', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'notice preference',
                'verbose_name_plural': 'notice preferences',
            },
        ),
        migrations.AddConstraint(
            model_name='dailysummary',
            constraint=models.UniqueConstraint(fields=('user', 'day'), name='daily_summary_once_a_day'),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(fields=['user', '-created_at'], name='notice_inbox_idx'),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['user'], name='notice_unread_idx'),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(condition=models.Q(('delivery', 'daily'), ('summary__isnull', True)), fields=['user'], name='notice_summary_due_idx'),
        ),
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(fields=['created_at'], name='notice_created_idx'),
        ),
        migrations.AddConstraint(
            model_name='noticepreference',
            constraint=models.UniqueConstraint(fields=('user', 'kind'), name='notice_preference_once'),
        ),
        migrations.AddConstraint(
            model_name='noticepreference',
            constraint=models.CheckConstraint(condition=models.Q(('kind', 'account'), _negated=True), name='notice_preference_not_account'),
        ),
        migrations.RunPython(create, remove),
    ]
