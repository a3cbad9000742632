from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0013_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["status", "updated_at", "id"], name="partnership_status_updated_idx"),
        ),
    ]
