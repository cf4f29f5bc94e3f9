"""``bench/seed_scale.py`` leaves rows the workbench reads as it reads the flow's own."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token

from bench.seeding import seed_scale
from changes.models import ChangeRequest
from documents.models import Document
from onboarding.attested_content import signature_state
from onboarding.flows import OnboardingFlow
from onboarding.models import (
    Application,
    ApplicationStep,
    CareTeamMember,
    CommunityPartner,
    DataSharingProfile,
    EntityProfile,
    OnboardingProcess,
)
from onboarding.nodes import review_nodes
from onboarding.reference import PartnerKind
from portal.models import User
from providers.models import StatusChange
from recredentialing.models import Recredentialing
from reviews.models import ReviewDecision, ReviewWork
from screening.identifiers import npi_check_digit
from tests.factories import enroll_totp

pytestmark = pytest.mark.django_db


def test_seed_scale_makes_applications_in_every_state_with_their_tasks():
    seed_scale(applications=300, batch=120, reviewers=4, report=lambda line: None)

    assert Application.objects.count() == 300
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)
    assert OnboardingProcess.objects.count() == 300
    # After approval: suspensions and terminations confirmed by a second manager, and licences
    # (the team's and clinics' own) running out over three years, some already expired.
    changed = Application.objects.filter(
        status__in=[Application.Status.SUSPENDED, Application.Status.TERMINATED]
    )
    changes = StatusChange.objects.filter(state=StatusChange.State.IN_EFFECT)
    assert sorted(changes.values_list("application_id", flat=True)) == sorted(
        changed.values_list("pk", flat=True)
    )
    assert all(c.proposed_by_id != c.decided_by_id for c in changes)
    expiries = CareTeamMember.objects.exclude(license_expires_on=None)
    assert expiries.filter(license_expires_on__lt=timezone.localdate()).exists()
    assert expiries.filter(license_expires_on__gt=timezone.localdate()).exists()
    assert Document.objects.filter(
        expires_on__isnull=False, application__status__in=Application.IN_NETWORK_STATUSES
    ).exists()
    # Change requests waiting for review: one in ten providers in the network, in the queue.
    waiting = ChangeRequest.objects.filter(status=ChangeRequest.Status.SUBMITTED)
    assert waiting.exists()
    assert (
        waiting.count()
        == ReviewWork.objects.filter(stage=ReviewDecision.Stage.CHANGE, is_open=True).count()
    )
    # A record as full as an applicant's: a care team of three and a partner of each kind.
    assert CareTeamMember.objects.count() == 3 * 300
    assert CommunityPartner.objects.count() == len(PartnerKind) * 300
    # Every data-sharing step that was submitted is signed, over the content as written.
    submitted = ApplicationStep.objects.filter(kind=ApplicationStep.Kind.DATA_SHARING).exclude(
        status__in=[ApplicationStep.Status.DRAFT, ApplicationStep.Status.CLOSED]
    )
    signed = DataSharingProfile.objects.filter(signed_at__isnull=False)
    assert set(signed.values_list("application_id", flat=True)) == set(
        submitted.values_list("application_id", flat=True)
    )
    profile = signed.select_related("application").first()
    assert profile is not None
    assert signature_state(profile.application, ApplicationStep.Kind.DATA_SHARING)["matches"]
    open_reviews = Task.objects.filter(
        flow_task__in=list(review_nodes().values()), status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )
    assert set(open_reviews.values_list("pk", flat=True)) == set(
        ReviewWork.objects.filter(is_open=True).values_list("task_id", flat=True)
    )
    for work in ReviewWork.objects.filter(is_open=True).select_related("task")[:50]:
        assert work.owner_id == Task.objects.get(pk=work.task_id).owner_id

    reviewer = User.objects.filter(email__endswith="@reviewers.plan.example").first()
    assert reviewer is not None
    enroll_totp(reviewer)
    client = Client()
    client.force_login(reviewer)
    assert client.get(reverse("reviews:queue")).context["rows"]
    assert client.get(reverse("reviews:my_tasks")).context["rows"]


def test_seeded_rows_are_as_the_portal_would_leave_them():
    """What the load test found the seeding writing otherwise: NPIs whose check digit the
    entity step refuses, renewals' ``copied`` as a JSON string, parallel steps without the
    split's tokens (the Join then went on twice)."""
    seed_scale(applications=300, batch=120, reviewers=4, report=lambda line: None)

    npis = list(EntityProfile.objects.values_list("npi", flat=True))
    assert npis
    assert all(int(npi[9]) == npi_check_digit(npi[:9]) for npi in npis)
    copied = list(Recredentialing.objects.values_list("copied", flat=True))
    assert copied
    assert all(isinstance(value, dict) for value in copied)
    flow = OnboardingFlow
    branches = Task.objects.filter(
        flow_task__in=[
            flow.attestations,
            flow.review_attestations,
            flow.data_sharing,
            flow.review_data_sharing,
        ]
    )
    assert branches.exists()
    assert not branches.filter(token=Token("start")).exists()
    splits = Task.objects.filter(flow_task=OnboardingFlow.split_steps)
    assert splits.count() == len(set(branches.values_list("process_id", flat=True)))
    finals = Task.objects.filter(flow_task=OnboardingFlow.final_approval)
    per_process = list(finals.values_list("process_id", flat=True))
    assert len(per_process) == len(set(per_process)), "one final approval per application"
