"""Reference data every installation starts with: the four forms of twinning,
the working languages, the society record and a starter technical taxonomy
(admins edit the last two)."""

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import migrations

FORMS = [
    (
        "student-exchange",
        "Student training exchange",
        "Students of one section train, study or work with the partner section.",
    ),
    (
        "technical-exchange",
        "Information / technical exchange",
        "Sharing knowledge, speakers, publications, standards work and event know-how.",
    ),
    (
        "financial-support",
        "Financial support",
        "One side helps fund the other's activities, equipment or participation.",
    ),
    (
        "growing-section",
        "Growing a formative section",
        "An established section mentors a new or rebuilding section until it runs on its own.",
    ),
]

INTERESTS = [
    "Process control",
    "Industrial cybersecurity",
    "Safety instrumented systems",
    "Measurement and instrumentation",
    "Industrial networks and wireless",
    "Robotics and motion control",
    "Batch and manufacturing operations",
    "Alarm management",
    "Asset management and reliability",
    "Energy and power",
    "Water and wastewater",
    "Oil, gas and chemicals",
    "Pharmaceuticals and life sciences",
    "Building automation",
    "Digital transformation and data",
    "Education and workforce development",
]


def load(apps, schema_editor):
    from django.utils.text import slugify

    TwinningForm = apps.get_model("sections", "TwinningForm")
    Language = apps.get_model("sections", "Language")
    Society = apps.get_model("sections", "Society")
    TechnicalInterest = apps.get_model("sections", "TechnicalInterest")

    for position, (code, name, description) in enumerate(FORMS):
        TwinningForm.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )
    for code, info in LANG_INFO.items():
        # Base languages only (ISO 639-1); regional variants would split a common language.
        if "-" in code or "name" not in info or len(code) != 2:
            continue
        Language.objects.get_or_create(code=code, defaults={"name": info["name"]})
    # Chinese is listed by script only (zh-hans, zh-hant); a section works in "Chinese".
    Language.objects.get_or_create(code="zh", defaults={"name": "Chinese"})
    Society.objects.get_or_create(singleton=True, defaults={"name": settings.SOCIETY_NAME})
    for name in INTERESTS:
        TechnicalInterest.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("sections", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
