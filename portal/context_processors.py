from django.conf import settings
from django.http import HttpRequest

from portal.roles import is_network_manager, is_plan_staff


def roles(request: HttpRequest) -> dict[str, object]:
    """What the navigation needs to know about the signed-in person.

    Error pages can be drawn before authentication has run (a request for a host name the portal
    does not serve is refused first), so there may be no ``request.user`` yet.
    """
    return roles_of(getattr(request, "user", None))


def roles_of(user: object) -> dict[str, object]:
    """``roles`` for ``user`` (``None`` before authentication), without a request: for what is
    rendered apart from one (see ``reviews.record_sections``)."""
    return {
        "is_plan_staff": is_plan_staff(user),
        "is_network_manager": is_network_manager(user),
        "plan_name": settings.PLAN_NAME,
        "plan_contact_email": settings.PLAN_CONTACT_EMAIL,
    }
