"""The load balancer's health check: can this web node serve a page?

A signed-in page needs the database and the cache (sessions and sign-in limits live there), so
the check asks both with the cheapest question each answers, and nothing else: a node whose
database connection or cache is broken answers 503 and the balancer sends its traffic to the
others. It is open to anyone, like the sign-in page, and says nothing about the portal's data.
Checked every two seconds or so by each balancer, it makes no session and writes nothing.
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

PATH = "healthz"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """``ok`` with 200, or 503 naming what the node cannot reach (database, cache)."""
    unreachable = [name for name, answers in CHECKS if not answers()]
    if unreachable:
        return HttpResponse(
            f"unavailable: {', '.join(unreachable)}\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure to answer is an unhealthy node; the reason goes to the log
        logger.exception("Health check: the database did not answer")
        return False
    return True


def _cache() -> bool:
    try:
        cache.get("healthz")  # a round trip to Redis where it is the cache
    except Exception:  # as above
        logger.exception("Health check: the cache did not answer")
        return False
    return True


CHECKS = (("database", _database), ("cache", _cache))
