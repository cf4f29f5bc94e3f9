from typing import Any

from django.core.management.base import BaseCommand

from providers.services.status_changes import status_changes_take_effect


class Command(BaseCommand):
    help = (
        "Put into effect the suspensions, terminations and reinstatements two network managers "
        "confirmed for a date that has now come (daily, for cron where Celery beat does not run)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{status_changes_take_effect()} status change(s) took effect.")
