from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from twinning.backups import BackupError, database_backup


class Command(BaseCommand):
    help = "Dump the site's PostgreSQL database (pg_dump's custom format) to var/backups/<UTC time>.dump."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="where to write the dump instead")

    def handle(self, *args, output=None, **options):
        try:
            path = database_backup(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Database dumped to {path}")
        backend = settings.STORAGES["default"]["BACKEND"]
        if backend.endswith("FileSystemStorage"):
            self.stdout.write(f"Uploaded files are not in the dump: copy {settings.MEDIA_ROOT} with it.")
        else:
            self.stdout.write(
                "Uploaded files are not in the dump: copy the object storage bucket with it "
                "(the provider's tools, e.g. `aws s3 sync`)."
            )
