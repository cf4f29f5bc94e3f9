import csv
from collections.abc import Iterator

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from portal.audit import audit_record
from portal.models import AuditEvent
from portal.roles import is_plan_staff
from portal.selectors import audit_events, audit_events_with_actors

AUDIT_PERMISSION = "portal.view_audit_trail"


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is: plan staff to the review queue, applicants home;
    a signed-out visitor sees what the portal is and who it is for."""
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    if is_plan_staff(request.user):
        return redirect("reviews:queue")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("onboarding:dashboard")


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin site's own sign-in is replaced by the portal's, which asks staff for their
    authenticator code and locks an address after repeated wrong passwords.

    Someone already signed in has no business here: with admin access they go to the admin
    site; without it they are refused, since the portal's sign-in would only send them back to
    the admin site, which would send them here again."""
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect("admin:index")
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or "/admin/", settings.LOGIN_URL)


def _audit_filters(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip() for key in ("who", "action", "since", "until")}


@login_required
@permission_required(AUDIT_PERMISSION, raise_exception=True)
def audit_trail(request: HttpRequest) -> HttpResponse:
    filters = _audit_filters(request)
    page = Paginator(audit_events_with_actors(**filters), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/audit_trail.html",
        {
            "page": page,
            "filters": filters,
            "actions": AuditEvent.Action.choices,
            "query": request.GET.urlencode(),
        },
    )


def _neutralised(value: object) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas; keep them as text."""
    text = str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@permission_required(AUDIT_PERMISSION, raise_exception=True)
def audit_trail_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = _audit_filters(request)
    events = audit_events(**filters)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        actor=request.user,
        summary=f"Audit trail export {filters}",
    )
    writer = csv.writer(_Echo())
    header = [
        "occurred_at",
        "actor_email",
        "action",
        "object_type",
        "object_id",
        "summary",
        "ip_address",
        "user_agent",
    ]

    def rows() -> Iterator[str]:
        yield writer.writerow(header)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([_neutralised(getattr(event, column)) for column in header])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
