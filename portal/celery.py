"""The Celery application: emails and screening run here, eagerly in the embedded default."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _verify_encryption_key(**kwargs: object) -> None:
    """A worker whose key cannot read the encrypted identifiers refuses to start (an exception
    would only be logged: Celery catches those of signal handlers; it lets SystemExit through)."""
    from disclosures.keys import key_problem

    problem = key_problem()
    if problem:
        raise SystemExit(problem)
