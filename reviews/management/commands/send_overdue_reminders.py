from typing import Any

from django.core.management.base import BaseCommand

from reviews.services.reminders import overdue_reminders_send


class Command(BaseCommand):
    help = "Email reviewers their overdue reviews and escalate long-overdue ones to managers."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = overdue_reminders_send()
        self.stdout.write(
            f"{summary.overdue_reviews} overdue review(s); {summary.reviewers_emailed} reviewer(s) "
            f"reminded; {summary.escalated_reviews} escalated to {summary.managers_emailed} "
            "manager(s)."
        )
