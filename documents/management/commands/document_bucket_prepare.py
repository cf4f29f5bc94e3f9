"""Make the documents bucket private and encrypted by default (run once per deployment)."""

from typing import Any

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from documents.storage import bucket_make_private, is_s3


class Command(BaseCommand):
    help = "Block public access to the documents bucket and turn on default encryption."

    def handle(self, *args: Any, **options: Any) -> None:
        storage: Any = storages["default"]
        if not is_s3(storage):
            raise CommandError("Documents are kept in a local folder: there is no bucket.")
        bucket_make_private(storage.connection.meta.client, storage.bucket_name)
        self.stdout.write(f"Bucket {storage.bucket_name} is private and encrypted by default.")
