from typing import Any

from django.core.management.base import BaseCommand

from onboarding.models import Application
from reviews.services.review_work import review_work_refresh


class Command(BaseCommand):
    help = (
        "Rewrite the workbench's copy of the review tasks from the flow, e.g. once after "
        "migrating a database that already holds applications."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        applications = Application.objects.filter(process__isnull=False).select_related("process")
        for application in applications.iterator(chunk_size=500):
            review_work_refresh(application)
            count += 1
        self.stdout.write(f"Review work rebuilt for {count} application(s).")
