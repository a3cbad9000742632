from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from twinning.backups import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Restore a dump made by backup_database into a fresh PostgreSQL database (created here; "
        "one that exists is refused), then check its migrations."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="the .dump file")
        parser.add_argument(
            "--target", required=True, metavar="DATABASE_URL",
            help="the database to create and restore into: postgres://user:password@host:5432/new_name",
        )

    def handle(self, *args, dump, target, **options):
        try:
            name = database_restore(dump=dump, target_url=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored {dump} into the new database {name}; every migration is applied.")
