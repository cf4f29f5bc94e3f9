"""Version 1 of the JSON API for the plan's systems, at ``/api/v1/``.

Built with django-ninja: the answers are pydantic schemas (``api.schemas``), from which ninja
validates the parameters and generates the OpenAPI 3 document at ``/api/v1/openapi.json``; it
has per-operation authentication and throttling built in; and it is a light addition to a
Django project that has no Django REST Framework, with no serializers or viewsets to learn.

Every operation is a GET, needs a bearer token with its scope (``api.auth``), is limited per
token, and is recorded in the audit trail once it is answered. The OpenAPI document is public:
it describes the shape of the answers and holds no data, and client generators and contract
tests fetch it without a secret.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError

from api.auth import ApiTokenAuth, TokenRateThrottle
from api.models import ApiToken
from api.schemas import (
    ApplicationStatus,
    ApplicationStatusList,
    ChangesPage,
    ChangesQuery,
    Error,
    ProviderChange,
    RosterPage,
    RosterQuery,
    ValidationErrors,
    application_status_of,
    roster_entry_of,
)
from api.selectors import (
    Position,
    application_by_reference,
    applications_by_npi,
    changes_after,
    roster_after,
)
from api.tokens import api_use_record

Scope = ApiToken.Scope
REFUSALS: dict[int, Any] = {401: Error, 403: Error, 429: Error}
# Times outside these bounds mean "from the beginning" or "nothing yet"; clamping keeps
# conversions to UTC from overflowing on a year like 1 or 9999.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


class PortalApi(NinjaAPI):
    """Ninja's API whose every answer, refusals included, no cache may keep."""

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        add_never_cache_headers(response)
        return response


api = PortalApi(
    title="ECM Provider Portal API",
    version="1",
    description="Application status, the provider roster and its changes, for the plan's own "
    "systems. Every operation needs `Authorization: Bearer <token>`; tokens are issued by plan "
    "administrators in the admin site.",
    urls_namespace="api",
    docs_url=None,  # the interactive page loads scripts from elsewhere, which the CSP forbids
    throttle=TokenRateThrottle(),
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("A valid bearer token is needed.")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _token(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise TypeError("The operation ran without its token.")
    return token


def _answered(request: HttpRequest, outcome: str) -> None:
    api_use_record(
        token=_token(request),
        method=request.method or "",
        path=request.get_full_path(),
        outcome=outcome,
    )


@api.get(
    "/applications/{reference}",
    auth=ApiTokenAuth(Scope.APPLICATIONS_READ),
    response={200: ApplicationStatus, 404: Error, **REFUSALS},
    url_name="application_status",
    summary="Status of one application, by its reference",
    tags=["applications"],
)
def application_status(request: HttpRequest, reference: str) -> Status[Any]:
    """Scope `applications:read`."""
    application = application_by_reference(reference)
    if application is None:
        _answered(request, "no such application")
        return Status(404, {"detail": _("No application has this reference.")})
    _answered(request, application.reference)
    return Status(200, application_status_of(application))


@api.get(
    "/applications/by-npi/{npi}",
    auth=ApiTokenAuth(Scope.APPLICATIONS_READ),
    response={200: ApplicationStatusList, 404: Error, **REFUSALS},
    url_name="application_status_by_npi",
    summary="Status of every application giving an organizational NPI, the newest first",
    tags=["applications"],
)
def application_status_by_npi(request: HttpRequest, npi: str) -> Status[Any]:
    """Scope `applications:read`. A provider's first application, its recredentialings, and
    any earlier application that was denied or withdrawn all give the same NPI."""
    applications = applications_by_npi(npi) if npi.isascii() and npi.isdigit() else []
    if not applications:
        _answered(request, "no application with this NPI")
        return Status(404, {"detail": _("No application gives this NPI.")})
    _answered(request, ", ".join(a.reference for a in applications))
    return Status(200, {"items": [application_status_of(a) for a in applications]})


@api.get(
    "/roster",
    auth=ApiTokenAuth(Scope.ROSTER_READ),
    response={200: RosterPage, 422: ValidationErrors, **REFUSALS},
    url_name="roster",
    summary="Every provider the plan approved, with capacity by population and county",
    tags=["roster"],
)
def roster(request: HttpRequest, query: Query[RosterQuery]) -> Status[Any]:
    """Scope `roster:read`. In reference order, `limit` at a time; follow `next_after`."""
    after_pk = int(query.after.removeprefix("ECM-")) if query.after else 0
    providers = roster_after(after_pk=after_pk, limit=query.limit + 1)
    page = providers[: query.limit]
    more = len(providers) > query.limit
    _answered(request, f"{len(page)} provider(s)")
    return Status(
        200,
        {
            "items": [roster_entry_of(a) for a in page],
            "next_after": page[-1].reference if more else None,
        },
    )


def cursor_of(position: Position) -> str:
    """``<microseconds since 1970 UTC>-<event key>``: every cursor the pattern allows is a
    place in the stream, so none is refused."""
    return f"{(position.at - EARLIEST) // timedelta(microseconds=1)}-{position.pk}"


def position_of(cursor: str) -> Position:
    micros, _dash, pk = cursor.partition("-")
    return Position(at=_bounded(EARLIEST + timedelta(microseconds=int(micros))), pk=int(pk))


def _bounded(when: datetime) -> datetime:
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return min(max(when, EARLIEST), LATEST)


@api.get(
    "/changes",
    auth=ApiTokenAuth(Scope.CHANGES_READ),
    response={200: ChangesPage, 422: ValidationErrors, **REFUSALS},
    url_name="changes",
    summary="Changes to providers since a time, in the order they were made",
    tags=["changes"],
)
def changes(request: HttpRequest, query: Query[ChangesQuery]) -> Status[Any]:
    """Scope `changes:read`. For incremental sync: keep the `cursor` of the last page and
    ask again with it later. Changes show once they are `API_CHANGES_SETTLE_SECONDS` old, so
    that a change still being saved when a page is read is not skipped."""
    if query.cursor:
        start = position_of(query.cursor)
    else:
        start = Position(at=_bounded(query.since) if query.since else EARLIEST, pk=0)
    until = timezone.now() - timedelta(seconds=settings.API_CHANGES_SETTLE_SECONDS)
    events = changes_after(position=start, until=until, limit=query.limit + 1)
    page = events[: query.limit]
    end = Position(at=page[-1].created_at, pk=page[-1].pk) if page else start
    _answered(request, f"{len(page)} change(s)")
    return Status(
        200,
        {
            "items": [
                ProviderChange(
                    changed_at=event.created_at,
                    change=event.kind,
                    change_label=str(event.get_kind_display()),
                    provider=roster_entry_of(event.application),
                )
                for event in page
            ],
            "cursor": cursor_of(end),
            "has_more": len(events) > query.limit,
        },
    )
