from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    """Scale data and benchmarks. Installed by the development and test settings only, so
    production has no command that fills its database with synthetic records."""

    name = "devtools"
    verbose_name = _("Developer tools")
