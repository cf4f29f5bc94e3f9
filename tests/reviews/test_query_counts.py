"""Every list page runs the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task

from documents.services import document_upload
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep, CommunityPartner
from onboarding.services.attestations import community_partner_save
from onboarding.services.steps import Signature, step_submit
from reviews.models import ReviewDecision as Decision
from reviews.models import ReviewWork
from reviews.review_items import ATTESTATION_ITEMS
from reviews.services.decisions import (
    DeficiencyItem,
    ItemAccepted,
    review_decide,
    task_claim,
)
from tests.factories import (
    decide,
    fill_attestations_step,
    fill_data_sharing_step,
    fill_entity_step,
    pdf_upload,
    review_task,
    signature_of,
    submit_data_sharing_step,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "reviews:queue",
        "reviews:my_tasks",
        "reviews:team",
        "reviews:applications",
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    name, submitted_application, manager, django_assert_num_queries, settings
):
    # The applications list's rows read, not taken from the cache (test_application_rows.py).
    settings.RECORD_CACHE_SECONDS = 0
    client = Client()
    client.force_login(manager)
    url = reverse(name)

    def add_row() -> None:
        application = submitted_application()
        if name in {"reviews:my_tasks", "reviews:team"}:
            work = ReviewWork.objects.get(application=application)
            task_claim(task=Task.objects.get(pk=work.task_id), user=manager)

    add_row()
    client.get(url)  # warm the session as a returning user's would be
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    queries = len(one)  # read now: the next request empties Django's query log
    assert len(response.context["page"].rows) == 1
    # The session (where it is not cached), the signed-in user, permissions, the rows and their
    # parts (the applications list's: steps, open reviews, and open compliance issues with
    # unadjudicated matches of providers in the network), the filters' options (entity types,
    # reviewers); on PostgreSQL the rows' and the options' stamps (with nothing kept in the
    # cache here; kept, the options are not read: tests/reviews/test_filter_options.py).
    assert queries <= 11
    for _ in range(4):
        add_row()
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["page"].rows) == 5


def test_application_page_query_count_does_not_grow_with_history(
    submitted_application, reviewer, django_assert_num_queries, settings
):
    # The record read as on a first look, not from the cache (tests/reviews/test_record_cache.py).
    settings.RECORD_CACHE_SECONDS = 0
    client = Client()
    client.force_login(reviewer)
    application = submitted_application()
    url = reverse("reviews:application", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    queries = len(before)  # read now: the next request empties Django's query log
    assert response.status_code == 200
    # The signed-in user and their permissions (and the session, where it is not cached), the
    # application with its one-to-one records, then each list of the record and each history one
    # query each (prefetch_related: reading the short lists inside the application's own query
    # saved 10 of them but not enough time to keep; see docs/architecture.md). The ownership
    # and control disclosure is four of them: its people, their shares, family relationships,
    # other interests and convictions (the disclosure itself comes with the application). Two
    # more: the stamps of the record's parts (reviews.record_parts) and the application for the
    # page's header, read on its own since the record is read only when its parts are not cached.
    assert queries <= 29
    for n in range(3):
        client.post(reverse("reviews:note_add", args=[application.pk]), {"body": f"n{n}"})
    with django_assert_num_queries(queries):
        client.get(url)


def complete_record(application: Application, official, reviewer) -> Application:
    """Every table of the record filled: an entity step returned once then approved, attestations
    (a partner's agreement among its documents) accepted item by item, data sharing waiting."""
    Kind = ApplicationStep.Kind
    fill_entity_step(application, official)
    step_submit(
        application=application, kind=Kind.ENTITY, user=official, signature=signature_of(official)
    )
    decide(
        OnboardingFlow.review_entity, application, reviewer, Decision.Outcome.RETURN,
        deficiencies=[DeficiencyItem("npi", "The number belongs to another organization")],
    )  # fmt: skip
    step_submit(
        application=application, kind=Kind.ENTITY, user=official, signature=signature_of(official)
    )
    decide(OnboardingFlow.review_entity, application, reviewer, Decision.Outcome.APPROVE)
    fill_attestations_step(application, official)
    agreement = document_upload(
        application=application,
        step_kind=Kind.ATTESTATIONS,
        user=official,
        requirement="Partner agreement",
        upload=pdf_upload("mou.pdf"),
    )
    partner = CommunityPartner.objects.filter(application=application).earliest("pk")
    community_partner_save(
        application=application,
        user=official,
        partner=partner,
        data={"kind": partner.kind, "organization_name": "Harbor Housing",
              "agreement_kind": partner.agreement_kind, "document": agreement},
    )  # fmt: skip
    step_submit(
        application=application,
        kind=Kind.ATTESTATIONS,
        user=official,
        signature=Signature("Ana Official", "Executive Director"),
    )
    fill_data_sharing_step(application, official)
    submit_data_sharing_step(application, official)
    task = task_claim(
        task=review_task(application, OnboardingFlow.review_attestations), user=reviewer
    )
    review_decide(
        task=task,
        user=reviewer,
        outcome=Decision.Outcome.APPROVE,
        accepted=[ItemAccepted(item, "") for item, _label in ATTESTATION_ITEMS],
    )
    return Application.objects.get(pk=application.pk)


def test_a_complete_record_is_one_screen_in_at_most_thirty_two_queries(
    application, authorized_official, reviewer, reviewer2, django_assert_num_queries, settings
):
    # The record read as on a first look, not from the cache (tests/reviews/test_record_cache.py).
    settings.RECORD_CACHE_SECONDS = 0
    application = complete_record(application, authorized_official, reviewer)
    client = Client()
    client.force_login(reviewer2)
    url = reverse("reviews:application", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as read:
        response = client.get(url)
    queries = len(read)  # read now: the next request empties Django's query log
    html = response.content.decode()
    for shown in ("Harbor Housing", "mou.pdf", "Casey Clinician", "Pat Privacy"):
        assert shown in html, shown
    assert "Accepted:" in html  # the items the attestations' reviewer accepted
    assert queries <= 32, "\n".join(query["sql"][:120] for query in read.captured_queries)
    for n in range(3):
        client.post(reverse("reviews:note_add", args=[application.pk]), {"body": f"n{n}"})
    with django_assert_num_queries(queries):
        client.get(url)
