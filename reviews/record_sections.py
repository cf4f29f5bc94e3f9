"""The application's record on the staff pages, rendered once for each version of the record.

The application page and the decision page show the whole record: fifteen tables read and some
seventeen kilobytes of HTML, four times the work of a light page. The sections that show the
record (never a form, and nothing that depends on who looks but their permissions) are rendered
from their own templates and kept in the cache under the record's version
(``reviews.record_version``), which changes with every committed write to the record: a
reviewer never sees a section older than the record. The forms beside them (screening
adjudication) are rendered on every request.

The key also holds the code's version, the language, the time zone, the day (some sections say
what is overdue) and the viewer's permissions. Where the database keeps no row versions
(SQLite, the embedded default) the sections are rendered on every request.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.context_processors import PermWrapper
from django.core.cache import cache as shared_cache
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from onboarding.steps import StepDefinition, step_definitions
from portal.context_processors import roles_of
from portal.models import User
from reviews.record_version import record_version


@dataclass(frozen=True)
class RecordSections:
    """What ``reviews/_application_body.html`` shows of the record, rendered."""

    progress: SafeString
    steps: list[tuple[StepDefinition, SafeString]]  # each step's section, in the steps' order
    history: SafeString  # documents, decisions, the welcome packet and the timeline


def record_sections(
    user: User, application_pk: int, record_context: Callable[[], dict[str, Any]]
) -> RecordSections:
    """The record's sections for ``user``: from the cache when this version of the record was
    rendered before, else rendered from ``record_context()`` (called only then)."""
    version = record_version(application_pk)
    key = None if version is None else _key(user, application_pk, version)
    rendered: list[str] | None = None if key is None else shared_cache.get(key)
    if rendered is None:
        rendered = _render(user, record_context())
        if key is not None:
            shared_cache.set(key, rendered, settings.RECORD_CACHE_SECONDS)
    progress, history, *steps = (mark_safe(html) for html in rendered)  # noqa: S308  (rendered by our templates)
    return RecordSections(progress, list(zip(step_definitions(), steps, strict=True)), history)


def _render(user: User, context: dict[str, Any]) -> list[str]:
    # No request: the sections cannot hold a CSRF token or anything of the session. What the
    # context processors give a page, but the request, the user and the messages, they get here.
    context = {**context, "perms": PermWrapper(user), **roles_of(user)}
    return [
        render_to_string("includes/progress.html", context),
        render_to_string("reviews/_record_history.html", context),
        *(
            render_to_string("reviews/_record_step.html", {**context, "definition": definition})
            for definition in step_definitions()
        ),
    ]


def _key(user: User, application_pk: int, version: str) -> str:
    viewer = rendering_digest(*sorted(user.get_all_permissions()))
    return f"record-sections:{application_pk}:{version}:{viewer}"


def rendering_digest(*parts: str) -> str:
    """What a cached rendering depends on besides the stamp of what it shows: the code, the
    language, the time zone, the day (some renderings say what is overdue), and ``parts``."""
    return hashlib.blake2b(
        "|".join(
            [
                code_version(),
                translation.get_language() or "",
                timezone.get_current_timezone_name(),
                timezone.localdate().isoformat(),
                *parts,
            ]
        ).encode(),
        digest_size=12,
    ).hexdigest()


@cache
def code_version() -> str:
    """A digest of the portal's own code and templates, read once per process: a deploy that
    changes how the record is shown never serves a section rendered by the code before it."""
    root = Path(settings.BASE_DIR)
    folders = [
        Path(app.path) for app in apps.get_app_configs() if Path(app.path).is_relative_to(root)
    ]
    folders += [Path(folder) for engine in engines.all() for folder in engine.dirs]
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted(
        p for folder in folders for p in folder.rglob("*") if p.suffix in {".py", ".html"}
    ):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
