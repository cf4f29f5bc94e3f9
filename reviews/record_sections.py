"""The application's record on the staff pages, each part rendered once for each version of it.

The application page and the decision page show the whole record: fifteen tables read and some
seventeen kilobytes of HTML, four times the work of a light page. It is shown in parts
(``reviews.record_parts``: the progress, each step, the documents, the decisions, the welcome
packet, the timeline), never a form among them, nothing that depends on who looks but their
permissions. Each part is rendered from its own template and kept in the cache under a stamp of
the rows it shows (PostgreSQL's row versions, ``reviews.record_version``), which changes with
every committed write to them: a reviewer never sees a part older than its rows, and a change
re-renders only the parts that show what changed (a claim: the timeline). The forms beside them
(screening adjudication) are rendered on every request.

The key also holds the code's version, the language, the time zone, the day for the parts that
depend on it (``RecordPart.dated``) and the ``Viewer`` they are rendered for: which of the few
permissions the parts ask about the person holds (``reviews.record_viewers``), so one rendering
serves every reviewer alike. Where the database keeps no row versions (SQLite, the embedded
default) the parts are rendered on every request.

A first look at a record would still read and render it all (four times a light page); so once
a write to a record awaiting review commits, a background job renders its parts for every kind
of viewer the plan's staff are (``record_warm``, queued by ``reviews.record_warming``), and a
reviewer's first look finds them. The job's renderings are kept for days
(``RECORD_WARM_SECONDS``), but those of the parts whose key holds the day, until it ends; each
night a job renders those again for the records due soonest.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.context_processors import PermWrapper
from django.core.cache import cache as shared_cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from onboarding.steps import StepDefinition, step_definitions
from portal.context_processors import roles_of
from portal.models import User
from reviews.record_parts import HISTORY, PROGRESS, STEPS, RecordPart, part_stamps, record_for_parts
from reviews.record_version import row_versions_kept
from reviews.record_viewers import Viewer, staff_viewers
from reviews.rendering_cache import rendering_digest
from reviews.selectors import applications_awaiting_review, applications_due_for_review


@dataclass(frozen=True)
class RecordSections:
    """What ``reviews/_application_body.html`` shows of the record, rendered."""

    progress: SafeString
    steps: list[tuple[StepDefinition, SafeString]]  # each step's section, in the steps' order
    history: SafeString  # documents, decisions, the welcome packet and the timeline


def record_sections(user: User, application_pk: int) -> RecordSections:
    """The record's sections for ``user``: each part from the cache when its rows were
    rendered before for a viewer like them, else read and rendered."""
    viewer = Viewer.of(user)
    rendered, _made = _parts_rendered(application_pk, [viewer], _asked_for)
    html = {part: mark_safe(text) for (_viewer, part), text in rendered.items()}  # noqa: S308  (rendered by our templates)
    return RecordSections(
        progress=html[PROGRESS],
        steps=list(zip(step_definitions(), (html[part] for part in STEPS), strict=True)),
        history=mark_safe("\n".join(html[part] for part in HISTORY)),  # noqa: S308  (as above)
    )


def record_sections_warm(*, application_pk: int, viewers: set[Viewer]) -> int:
    """Render the record's parts, in each language the portal speaks, for each of ``viewers``,
    where not yet cached for their rows as they are; returns how many renderings were made. Those
    whose key holds the day are kept until it ends, the others ``RECORD_WARM_SECONDS``."""
    if not row_versions_kept():
        return 0
    made = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            made += _parts_rendered(application_pk, viewers, _rendered_ahead)[1]
    return made


def record_warm(*, application_pk: int) -> int:
    """The job queued once a write to the record commits (``reviews.record_warming``): its
    parts for every kind of staff viewer, if it awaits review; how many were rendered."""
    if not applications_awaiting_review().filter(pk=application_pk).exists():
        return 0
    return record_sections_warm(application_pk=application_pk, viewers=staff_viewers())


def records_awaiting_review_warm() -> int:
    """The nightly job: the parts of the records awaiting review not cached for the new day
    (those whose key holds the day, and any no job rendered); those due soonest first, at most
    ``RECORD_WARM_PER_NIGHT``."""
    viewers = staff_viewers()
    return sum(
        record_sections_warm(application_pk=pk, viewers=viewers)
        for pk in applications_due_for_review(settings.RECORD_WARM_PER_NIGHT)
    )


Rendered = dict[tuple[Viewer, RecordPart], str]


def _parts_rendered(
    application_pk: int, viewers: Iterable[Viewer], seconds: Callable[[RecordPart], int]
) -> tuple[Rendered, int]:
    """Every part of the record for each of ``viewers``: from the cache where it was rendered
    for the rows it shows as they are now, the others read (once, with only what they show) and
    rendered, and each kept for ``seconds(part)``; and how many were rendered."""
    wanted = [(viewer, part) for viewer in viewers for part in (PROGRESS, *STEPS, *HISTORY)]
    stamps = part_stamps(application_pk)
    keys = {}
    if stamps is not None:
        digests = {
            (viewer, dated): rendering_digest(*sorted(viewer.permissions), dated=dated)
            for viewer in viewers
            for dated in (False, True)
        }
        keys = {
            (viewer, part): f"record-part:{application_pk}:{part.name}:{stamps[part]}:"
            f"{digests[viewer, part.dated]}"
            for viewer, part in wanted
        }
    cached = shared_cache.get_many(list(keys.values())) if keys else {}
    rendered = {each: cached[keys[each]] for each in wanted if keys.get(each) in cached}
    missing = [each for each in wanted if each not in rendered]
    if not missing:
        return rendered, 0
    parts = list(dict.fromkeys(part for _viewer, part in missing))
    application = record_for_parts(application_pk, parts)
    contexts = {part: part.context_of(application) for part in parts}
    made = {(viewer, part): rendering(viewer, part, contexts[part]) for viewer, part in missing}
    if keys:
        by_seconds: dict[int, dict[str, str]] = {}
        for (viewer, part), html in made.items():
            by_seconds.setdefault(seconds(part), {})[keys[viewer, part]] = html
        for kept_for, renderings in by_seconds.items():
            shared_cache.set_many(renderings, kept_for)
    return rendered | made, len(made)


def _asked_for(part: RecordPart) -> int:
    """How long a part rendered for a look is kept."""
    return int(settings.RECORD_CACHE_SECONDS)


def _rendered_ahead(part: RecordPart) -> int:
    """How long a part the job rendered ahead is kept: until the day ends if the day is in its
    key, else ``RECORD_WARM_SECONDS``; never less than a part rendered for a look."""
    kept_for = _seconds_left_today() if part.dated else settings.RECORD_WARM_SECONDS
    return max(settings.RECORD_CACHE_SECONDS, kept_for)


def _seconds_left_today() -> int:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    midnight = datetime.datetime.combine(tomorrow, datetime.time(), timezone.get_current_timezone())
    return max(1, int((midnight - timezone.now()).total_seconds()))


def rendering(viewer: Viewer, part: RecordPart, context: dict[str, Any]) -> str:
    """``part`` rendered for ``viewer`` from ``context`` (``RecordPart.context_of``).

    No request: the parts cannot hold a CSRF token or anything of the session. What the context
    processors give a page, but the request, the user and the messages, they get here."""
    return render_to_string(
        part.template, {**context, "perms": PermWrapper(viewer), **roles_of(viewer)}
    )
