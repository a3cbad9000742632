"""Handover after elections: the lead to name when a lead's office ends, the side's handover
note, and the nightly task that finds offices ended by date (in django-celery-beat's
database scheduler; safe to run twice at the same moment)."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

NAME = "Hand over leads whose office ended"
TASK = "partnerships.tasks.open_lead_vacancies"


def create_task(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Early in the day, so the to-do is on the officers' home when they sign in.
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="10", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": schedule})


def remove_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0010_form_intents'),
        ('sections', '0007_finder_weights'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HandoverNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=4000, validators=[django.core.validators.MaxLengthValidator(4000)], verbose_name='handover note')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last written')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='handover_notes', to='partnerships.partnership')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sections.section', verbose_name='section')),
                ('written_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='written by')),
            ],
            options={
                'verbose_name': 'handover note',
                'verbose_name_plural': 'handover notes',
                'constraints': [models.UniqueConstraint(fields=('partnership', 'section'), name='handover_note_once_per_side')],
            },
        ),
        migrations.CreateModel(
            name='LeadVacancy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='found')),
                ('mailed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sections.officer', verbose_name='office that ended')),
                ('outgoing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='outgoing lead')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lead_vacancies', to='partnerships.partnership')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='resolved by')),
                ('section', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sections.section', verbose_name='section')),
            ],
            options={
                'verbose_name': 'lead to name',
                'verbose_name_plural': 'leads to name',
                'ordering': ['-created_at', 'pk'],
                'indexes': [models.Index(condition=models.Q(('resolved_at__isnull', True)), fields=['section'], name='lead_vacancy_open_idx')],
                'constraints': [models.UniqueConstraint(fields=('partnership', 'office'), name='lead_vacancy_once_per_office')],
            },
        ),
        migrations.RunPython(create_task, remove_task),
    ]
