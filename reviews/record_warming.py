"""The record's parts rendered before a reviewer's first look at it.

A reviewer's first look at a record no one has looked at since it changed would read and render
the parts that changed (``reviews.record_sections``). So, once a write to an application
awaiting review commits (any change to its process, which takes ``onboarding.transitions``' one
path, or its screening results stored by the background job), a background job renders those
parts for every kind of viewer the plan's staff are (``record_sections.record_warm``). Every
night after midnight, when the day in the keys of the parts that depend on it changes, and when
a worker starts (the code's version is in every key), the records awaiting review are rendered
again, those due soonest first (``records_awaiting_review_warm``, at most
``RECORD_WARM_PER_NIGHT``). A record changed by another path (the admin site, a hand-written
statement) is read and rendered at its first look.

(This module imports nothing of the rendering: the one path of every change imports it.)
"""

from django.conf import settings
from django.db import transaction

from reviews import tasks
from reviews.record_version import row_versions_kept


def record_changed(*, application_pk: int) -> None:
    """Queue the rendering of the record's parts once the current transaction commits (at
    once outside one), where there is a worker for it (``RECORD_WARMING``) and the database
    keeps row versions (elsewhere nothing is cached: SQLite, the embedded default). A broker or
    a rendering that fails is logged: the write stands."""
    if settings.RECORD_WARMING and row_versions_kept():
        transaction.on_commit(lambda: tasks.warm_record.delay(application_pk), robust=True)
