"""The decision form's blank rows are rendered once per stage; rows with answers every time."""

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from onboarding.flows import OnboardingFlow
from onboarding.steps import step_definitions
from reviews.forms import DeficiencyFormSet, ReviewDecisionForm
from reviews.models import ReviewDecision
from reviews.rendering_cache import code_version
from reviews.review_items import deficiency_requirements
from reviews.services.decisions import task_claim
from tests.factories import review_task
from tests.reviews.test_query_counts import complete_record

pytestmark = pytest.mark.django_db


def test_blank_rows_come_from_the_cache_and_a_refused_decision_shows_its_answers(
    application, authorized_official, reviewer, reviewer2
):
    record = complete_record(application, authorized_official, reviewer)
    task = task_claim(task=review_task(record, OnboardingFlow.review_data_sharing), user=reviewer2)
    client = Client()
    client.force_login(reviewer2)
    url = reverse("reviews:decide", args=[task.pk])
    page = client.get(url).content.decode()
    stage = ReviewDecision.Stage.DATA_SHARING
    rows = cache.get(make_template_fragment_key("decision_rows", [stage, "en", code_version()]))
    assert rows is not None
    assert 'name="deficiency-0-requirement"' in rows
    # Shared by every reviewer: a CSRF token here would be one reviewer's given to all.
    assert "csrfmiddlewaretoken" not in rows
    assert page.count('name="csrfmiddlewaretoken"') == page.count("<form")
    assert rows in page
    refused = client.post(
        url,
        {
            "outcome": ReviewDecision.Outcome.RETURN,
            "reason": "",
            "deficiency-TOTAL_FORMS": "3",
            "deficiency-INITIAL_FORMS": "0",
            "deficiency-0-requirement": "rtf_return_method",
            "deficiency-0-comment": "Kept when the decision is refused",
        },
    ).content.decode()
    assert "Say what is wrong with this item." in refused
    assert "Kept when the decision is refused" in refused


@pytest.mark.parametrize("definition", step_definitions(), ids=lambda d: d.slug)
def test_no_stage_s_blank_rows_hold_a_csrf_token(definition, rf):
    """The blank rows are cached for every reviewer of the stage: rendered in a request that
    has a CSRF token, they must not carry it (crispy-forms adds one to each form it renders
    unless the form's helper says not to)."""
    request = rf.get("/")
    get_token(request)
    item_review_forms = definition.item_review_forms
    rows = render_to_string(
        "reviews/_decision_rows.html",
        {
            "item_forms": item_review_forms(None) if item_review_forms else [],
            "form": ReviewDecisionForm(None, final=False, by_item=bool(item_review_forms)),
            "formset": DeficiencyFormSet(
                form_kwargs={"requirements": deficiency_requirements(definition.kind)},
                prefix="deficiency",
            ),
            "step": object(),  # any step: the deficiency rows are shown
        },
        request,
    )
    assert 'name="deficiency-0-requirement"' in rows
    assert "csrfmiddlewaretoken" not in rows
