from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0012_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["updated_at", "id"], name="partnership_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["created_at", "id"], name="partnership_created_idx"),
        ),
    ]
