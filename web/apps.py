from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The top layer: the root URLconf, the home page by role and the demo, composed from every app."""

    name = "web"
    verbose_name = _("Web")
