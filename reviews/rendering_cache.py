"""Renderings kept in the shared cache under a stamp of what they show.

The record's sections (``reviews.record_sections``), the applications list's rows
(``reviews.application_rows``) and the filters' options (``reviews.queues``) are each kept under
a stamp of the rows they show, which PostgreSQL's row versions give (``reviews.record_version``),
and a digest of what else they depend on (``rendering_digest``). A write to any of those rows, by
any path, makes a new key: nothing is shown older than its rows. Where the database keeps no
row versions (SQLite, the embedded default) there is no stamp, and they are made every time.
"""

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.template import engines
from django.utils import timezone, translation

T = TypeVar("T")


def kept(key: str | None, make: Callable[[], T]) -> T:
    """What ``make()`` makes: from the cache when it was made before under ``key``, else made
    and kept for ``RECORD_CACHE_SECONDS``. Made every time where there is no stamp (``key`` is
    None)."""
    if key is None:
        return make()
    made: T | None = shared_cache.get(key)
    if made is None:
        made = make()
        shared_cache.set(key, made, settings.RECORD_CACHE_SECONDS)
    return made


def rendering_digest(*parts: str, dated: bool = True) -> str:
    """What a cached rendering depends on besides the stamp of what it shows: the code, the
    language, the time zone, the day unless it is not ``dated`` (some renderings say what is
    overdue), and ``parts``."""
    return hashlib.blake2b(
        "|".join(
            [
                code_version(),
                translation.get_language() or "",
                timezone.get_current_timezone_name(),
                timezone.localdate().isoformat() if dated else "",
                *parts,
            ]
        ).encode(),
        digest_size=12,
    ).hexdigest()


@cache
def code_version() -> str:
    """A digest of the portal's own code and templates, read once per process: a deploy that
    changes how something is shown never serves what the code before it rendered."""
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
