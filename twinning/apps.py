from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwinningConfig(AppConfig):
    name = "twinning"
    verbose_name = _("Twinning")

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        from .search import register_fold

        connection_created.connect(register_fold, dispatch_uid="twinning.register_fold")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_fold(sender=type(connection), connection=connection)
