from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from corrective_actions.services import corrective_actions_escalate


class Command(BaseCommand):
    help = (
        "The daily escalation of corrective actions, for cron where Celery beat does not run: "
        "items open after their due date are told to the provider's authorized official, then "
        "(CAP_ESCALATE_TO_MANAGERS_DAYS later) to the network managers. Running it twice on a "
        "day sends nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="Escalate as of this day (YYYY-MM-DD), to catch up a missed run. Default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(corrective_actions_escalate(today=options["date"])))
