from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from recredentialing.services import recredentialing_daily


class Command(BaseCommand):
    help = (
        "The daily recredentialing job, for cron where Celery beat does not run: open each "
        "provider's recredentialing RECREDENTIALING_START_DAYS before its due date, tell the "
        "provider and the network managers once it is overdue, and let it lapse "
        "RECREDENTIALING_LATE_DAYS after. Running it twice on a day does nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="Run as of this day (YYYY-MM-DD), to catch up a missed run. Default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(recredentialing_daily(today=options["date"])))
