"""The page that asks before a row of a step is removed (a care-team member, a partner, a
disclosed person or organization)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onboarding.models import Application


def removal_confirm(
    request: HttpRequest,
    application: Application,
    *,
    heading: str,
    explanation: str,
    confirm: str,
    cancel: str,
    back: str,
) -> HttpResponse:
    """The page asking whether to remove a row of a step (``back`` leads to it); its button
    posts to the same URL."""
    return render(
        request,
        "onboarding/remove_confirm.html",
        {
            "application": application,
            "heading": heading,
            "explanation": explanation,
            "confirm": confirm,
            "cancel": cancel,
            "back": back,
        },
    )
