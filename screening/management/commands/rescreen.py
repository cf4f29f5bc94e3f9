"""python manage.py rescreen: screen every approved or active provider and its team again."""

from django.core.management.base import BaseCommand

from screening.services.results import rescreen_active_providers


class Command(BaseCommand):
    help = (
        "Re-screen approved and active providers and their care teams against the active "
        "exclusion-list releases; new matches are emailed to the network managers."
    )

    def handle(self, *args: object, **options: object) -> None:
        summary = rescreen_active_providers()
        for reference, results in summary.alerts.items():
            outcomes = ", ".join(f"{r.check_name}: {r.get_outcome_display()}" for r in results)
            self.stdout.write(f"{reference}: {outcomes}")
        self.stdout.write(str(summary))
