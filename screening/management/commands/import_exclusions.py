"""python manage.py import_exclusions --source {leie,sam,medi-cal} FILE"""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.importers import ImportFormatError
from screening.models import ExclusionSource
from screening.services.exclusion_lists import exclusion_release_import


class Command(BaseCommand):
    help = (
        "Import a release of an exclusion list (OIG LEIE full file, SAM.gov exclusions extract, "
        "Medi-Cal Suspended and Ineligible list). It replaces the source's active release; a "
        "malformed file is refused and the previous release stays active."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, choices=ExclusionSource.values)
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, source: str, file: Path, **options: object) -> None:
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read the file ({error.strerror}).") from error
        try:
            summary = exclusion_release_import(
                source=source, content=content, file_name=file.name, operator=_operator()
            )
        except ImportFormatError as error:
            raise CommandError(
                f"{file.name}: refused, {error}. Nothing was imported; "
                "the previous release stays active."
            ) from error
        self.stdout.write(str(summary))


def _operator() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"
