from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0010_checkin_exchanges'),
    ]

    operations = [
        migrations.AddField(
            model_name='checkin',
            name='next_reminder_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='checkin',
            index=models.Index(condition=models.Q(('state', 'draft')), fields=['next_reminder_at'], name='checkin_open_next_reminder_idx'),
        ),
    ]
