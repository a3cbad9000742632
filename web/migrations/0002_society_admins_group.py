"""The "Society admins" group: what a society admin needs, granted by adding a user to it in
the admin (Users › a user › Groups). Staff status alone only opens the admin site.

The group holds the society-admin permission (twinning.act_as_society_admin: read every
partnership, officer contact and agreement on the site, open every dashboard, decide the
awards) and the model permissions to run the programme in the admin: view, add and change
every record of the society's own apps, the periodic schedule, and lifting a lockout. It
holds no permission on users, groups or permissions, so a society admin cannot raise their
own rights; a superuser grants those. The only deletions it allows are revoking a calendar
feed and lifting a lockout.

Django creates permissions after the migrations (post_migrate); on a new database they do
not exist yet when this runs, so it creates those of the models it grants first. Running it
again changes nothing; models added later are granted by whoever adds them.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Society admins"
SOCIETY_ADMIN = ("twinning", "act_as_society_admin")
# Every model of these apps: view, add, change (a model's history: view).
RUN = ("sections", "partnerships", "evaluation", "recognition", "web")
# (app label, model, actions) beyond those.
MORE = [
    ("twinning", "user", ("view",)),
    ("twinning", "outgoingmail", ("view",)),
    ("web", "calendarfeed", ("delete",)),
    ("axes", "accessattempt", ("view", "delete")),
    ("axes", "accesslog", ("view",)),
    ("axes", "accessfailurelog", ("view",)),
    ("django_celery_beat", "periodictask", ("view", "change")),
    ("django_celery_beat", "crontabschedule", ("view", "add", "change")),
    ("django_celery_beat", "intervalschedule", ("view", "add", "change")),
]


def _codenames(apps) -> set[tuple[str, str]]:
    wanted = {SOCIETY_ADMIN}
    for label in RUN:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.model_name
            actions = ("view",) if name.startswith("historical") else ("view", "add", "change")
            wanted |= {(label, f"{action}_{name}") for action in actions}
    for label, model, actions in MORE:
        wanted |= {(label, f"{action}_{model}") for action in actions}
    return wanted


def create(apps, schema_editor):
    labels = {"twinning", *RUN, *(label for label, _m, _a in MORE)}
    for label in labels:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = _codenames(apps)
    group, _created = Group.objects.get_or_create(name=GROUP)
    permissions = [
        permission
        for permission in Permission.objects.filter(content_type__app_label__in=labels).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    group.permissions.add(*permissions)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0001_calendar_feed"),
        ("twinning", "0004_society_admin_permission"),
        ("sections", "0007_finder_weights"),
        ("partnerships", "0004_activity_percent_complete"),
        ("evaluation", "0009_health_reason"),
        ("recognition", "0004_leaderboard_covering_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
