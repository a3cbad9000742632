from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sections", "0010_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="section",
            index=models.Index(fields=["name", "id"], name="section_name_idx"),
        ),
    ]
