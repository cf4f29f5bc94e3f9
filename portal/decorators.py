"""Who may open which pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from portal.roles import is_network_manager, is_plan_staff

View = Callable[..., HttpResponseBase]


def staff_required(view: View) -> View:
    """Plan reviewers and network managers only; anyone else signed in gets 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_plan_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def manager_required(view: View) -> View:
    """Network managers only (dashboard, exports); anyone else signed in gets 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_network_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
