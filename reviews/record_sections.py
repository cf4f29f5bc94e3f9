"""The application's record on the staff pages, rendered once for each version of the record.

The application page and the decision page show the whole record: fifteen tables read and some
seventeen kilobytes of HTML, four times the work of a light page. The sections that show the
record (never a form, and nothing that depends on who looks but their permissions) are rendered
from their own templates and kept in the cache under the record's version
(``reviews.record_version``), which changes with every committed write to the record: a
reviewer never sees a section older than the record. The forms beside them (screening
adjudication) are rendered on every request.

The key also holds the code's version, the language, the time zone, the day (some sections say
what is overdue) and the ``Viewer`` they are rendered for: which of the few permissions the
sections ask about the person holds (``reviews.record_viewers``), so one rendering serves every
reviewer alike. Where the database keeps no row versions (SQLite, the embedded default) the
sections are rendered on every request.

A first look at a record would still read and render it all (four times a light page); so once
a write to a record awaiting review commits, a background job renders its sections for every
kind of viewer the plan's staff are (``record_warm``, queued by ``reviews.record_warming``),
and a reviewer's first look finds them.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.context_processors import PermWrapper
from django.core.cache import cache as shared_cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from documents.selectors import latest_delivery
from onboarding.models import Application
from onboarding.progress import progress_of
from onboarding.selectors import application_events, application_for_staff
from onboarding.steps import StepDefinition, step_definitions
from portal.context_processors import roles_of
from portal.models import User
from reviews.record_version import record_version
from reviews.record_viewers import Viewer, staff_viewers
from reviews.rendering_cache import kept, rendering_digest
from reviews.selectors import (
    applications_awaiting_review,
    applications_due_for_review,
    decisions_of,
)


@dataclass(frozen=True)
class RecordSections:
    """What ``reviews/_application_body.html`` shows of the record, rendered."""

    progress: SafeString
    steps: list[tuple[StepDefinition, SafeString]]  # each step's section, in the steps' order
    history: SafeString  # documents, decisions, the welcome packet and the timeline


def record_sections(user: User, application_pk: int) -> RecordSections:
    """The record's sections for ``user``: from the cache when this version of the record was
    rendered before for a viewer like them, else read and rendered."""
    viewer = Viewer.of(user)
    version = record_version(application_pk)
    rendered = kept(
        None if version is None else _key(viewer, application_pk, version),
        lambda: _render(viewer, record_context(application_for_staff(application_pk))),
    )
    progress, history, *steps = (mark_safe(html) for html in rendered)  # noqa: S308  (rendered by our templates)
    return RecordSections(progress, list(zip(step_definitions(), steps, strict=True)), history)


def record_sections_warm(*, application_pk: int, viewers: set[Viewer]) -> int:
    """Render the record's sections, in each language the portal speaks, for each of
    ``viewers`` not yet cached for the record's current version; returns how many renderings
    were made. They are kept until the day ends (their key holds the day)."""
    version = record_version(application_pk)
    if version is None:
        return 0
    made = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            keys = {viewer: _key(viewer, application_pk, version) for viewer in viewers}
            cached = shared_cache.get_many(list(keys.values()))
            missing = [viewer for viewer, key in keys.items() if key not in cached]
            if not missing:
                continue
            context = record_context(application_for_staff(application_pk))
            shared_cache.set_many(
                {keys[viewer]: _render(viewer, context) for viewer in missing},
                max(settings.RECORD_CACHE_SECONDS, _seconds_left_today()),
            )
        made += len(missing)
    return made


def record_warm(*, application_pk: int) -> int:
    """The job queued once a write to the record commits (``reviews.record_warming``): its
    sections for every kind of staff viewer, if it awaits review; how many were rendered."""
    if not applications_awaiting_review().filter(pk=application_pk).exists():
        return 0
    return record_sections_warm(application_pk=application_pk, viewers=staff_viewers())


def records_awaiting_review_warm() -> int:
    """The nightly job: the sections of the records awaiting review, for the new day; those due
    soonest first, at most ``RECORD_WARM_PER_NIGHT``."""
    viewers = staff_viewers()
    return sum(
        record_sections_warm(application_pk=pk, viewers=viewers)
        for pk in applications_due_for_review(settings.RECORD_WARM_PER_NIGHT)
    )


def record_context(application: Application) -> dict[str, Any]:
    """What the record's sections show, from the whole record (``application_for_staff``)."""
    steps: dict[str, Any] = {}
    for definition in step_definitions():  # what each step's summary and section need
        steps.update(definition.review_context(application))
    return {
        "application": application,
        "progress": progress_of(application),
        **steps,
        "documents": application.documents.all(),  # prefetched with the application
        "decisions": decisions_of(application),
        "events": application_events(application),
        "delivery": latest_delivery(application),
    }


def _seconds_left_today() -> int:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    midnight = datetime.datetime.combine(tomorrow, datetime.time(), timezone.get_current_timezone())
    return max(1, int((midnight - timezone.now()).total_seconds()))


def _render(viewer: Viewer, context: dict[str, Any]) -> list[str]:
    # No request: the sections cannot hold a CSRF token or anything of the session. What the
    # context processors give a page, but the request, the user and the messages, they get here.
    context = {**context, "perms": PermWrapper(viewer), **roles_of(viewer)}
    return [
        render_to_string("includes/progress.html", context),
        render_to_string("reviews/_record_history.html", context),
        *(
            render_to_string("reviews/_record_step.html", {**context, "definition": definition})
            for definition in step_definitions()
        ),
    ]


def _key(viewer: Viewer, application_pk: int, version: str) -> str:
    viewer_digest = rendering_digest(*sorted(viewer.permissions))
    return f"record-sections:{application_pk}:{version}:{viewer_digest}"
