from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sections", "0008_invitations"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="section",
            index=models.Index(fields=["name", "id"], name="section_name_idx"),
        ),
    ]
