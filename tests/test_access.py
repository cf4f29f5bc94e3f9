"""Who reaches what: another organization's objects are a 404; staff pages need a staff role."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task

from documents.models import PacketDelivery, WelcomePacket, WelcomePacketItem
from documents.services import document_upload
from onboarding.flows import OnboardingFlow
from onboarding.models import Application
from onboarding.services.applications import application_start
from onboarding.services.attestations import community_partner_save
from onboarding.services.organizations import organization_create
from onboarding.services.steps import care_team_member_save
from portal.models import User
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n%%EOF\n"

pytestmark = pytest.mark.django_db


def applicant(email: str, organization: str) -> User:
    user = User.objects.create_user(email, "x")
    organization_create(user=user, legal_name=organization, title="Director")
    return User.objects.get(pk=user.pk)


@pytest.fixture
def org_b(settings, tmp_path):
    """Organization B with an application holding one of everything an applicant can reach."""
    settings.MEDIA_ROOT = tmp_path
    user = applicant("b@org-b.example", "Organization B")
    application = application_start(organization=user.membership.organization, user=user)
    document = document_upload(
        application=application,
        step_kind="entity",
        user=user,
        requirement="Other",
        upload=SimpleUploadedFile("b.pdf", PDF),
    )
    member = care_team_member_save(
        application=application, user=user, data={"role": "ecm_director", "full_name": "Dee B"}
    )
    partner = community_partner_save(
        application=application,
        user=user,
        data={"kind": "hospital", "organization_name": "General B", "agreement_kind": "mou"},
    )
    packet = WelcomePacket.objects.create(version=1, title="Packet", is_current=True)
    item = WelcomePacketItem(
        packet=packet,
        title="Manual",
        original_name="m.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    item.file.save("m.pdf", ContentFile(PDF), save=False)
    item.save()
    delivery = PacketDelivery.objects.create(application=application, packet=packet)
    return {
        "user": user,
        "application": application,
        "document": document,
        "member": member,
        "partner": partner,
        "delivery": delivery,
        "item": item,
    }


def applicant_urls(b: dict) -> list[str]:
    pk = b["application"].pk
    urls = [
        reverse("onboarding:application_detail", args=[pk]),
        reverse("onboarding:application_withdraw", args=[pk]),
        reverse("onboarding:care_team_add", args=[pk]),
        reverse("onboarding:care_team_edit", args=[pk, b["member"].pk]),
        reverse("onboarding:care_team_remove", args=[pk, b["member"].pk]),
        reverse("onboarding:capacity", args=[pk]),
        reverse("onboarding:partner_add", args=[pk]),
        reverse("onboarding:partner_edit", args=[pk, b["partner"].pk]),
        reverse("onboarding:partner_remove", args=[pk, b["partner"].pk]),
        reverse("onboarding:document_remove", args=[pk, b["document"].pk]),
        reverse("documents:download", args=[b["document"].pk]),
        reverse("documents:packet", args=[b["delivery"].pk]),
        reverse("documents:packet_item_download", args=[b["delivery"].pk, b["item"].pk]),
        reverse("documents:packet_acknowledge", args=[b["delivery"].pk]),
    ]
    for step in ("entity", "attestations", "data-sharing"):
        urls.append(reverse("onboarding:step", args=[pk, step]))
        urls.append(reverse("onboarding:document_upload", args=[pk, step]))
    return urls


def test_applicant_of_another_organization_gets_404_everywhere_and_changes_nothing(client, org_b):
    client.force_login(applicant("a@org-a.example", "Organization A"))
    for url in applicant_urls(org_b):
        assert client.get(url).status_code in (404, 405), url
        assert (
            client.post(url, {"confirm": "on", "reason": "x", "action": "submit"}).status_code
            == 404
        ), url
    application = Application.objects.get(pk=org_b["application"].pk)
    assert application.status == "draft"
    assert application.documents.count() == 1
    assert application.care_team.count() == 1
    assert application.community_partners.count() == 1
    assert not org_b["delivery"].downloads.exists()


def test_member_of_the_organization_reaches_its_pages(client, org_b):
    client.force_login(org_b["user"])
    pk = org_b["application"].pk
    assert client.get(reverse("onboarding:application_detail", args=[pk])).status_code == 200
    response = client.get(reverse("documents:download", args=[org_b["document"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_anonymous_visitors_are_sent_to_sign_in(org_b):
    client = Client()
    for url in [*applicant_urls(org_b), reverse("reviews:queue")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


STAFF_URL_NAMES = ["reviews:queue", "reviews:my_tasks", "reviews:applications"]


def test_applicants_cannot_reach_reviewer_pages(client, org_b):
    client.force_login(org_b["user"])
    for name in STAFF_URL_NAMES:
        assert client.get(reverse(name)).status_code == 403
    pk = org_b["application"].pk
    assert client.get(reverse("reviews:application", args=[pk])).status_code == 403
    task = Task.objects.filter(process_id=org_b["application"].process.pk).last()
    for name in ("reviews:decide", "reviews:claim", "reviews:release"):
        assert client.post(reverse(name, args=[task.pk])).status_code == 403


def test_reviewers_see_every_application(client, org_b):
    reviewer = UserFactory.create(email="rita@plan.example", groups=["reviewer"])
    client.force_login(reviewer)
    pk = org_b["application"].pk
    page = client.get(reverse("reviews:application", args=[pk]))
    assert page.status_code == 200
    assert "Organization B" in page.content.decode()
    assert client.get(reverse("documents:download", args=[org_b["document"].pk])).status_code == 200


def test_reviewers_do_not_reach_applicant_pages(client, org_b):
    reviewer = UserFactory.create(email="rita@plan.example", groups=["reviewer"])
    client.force_login(reviewer)
    pk = org_b["application"].pk
    assert client.get(reverse("onboarding:step", args=[pk, "entity"])).status_code == 404
    assert client.get(reverse("onboarding:dashboard")).status_code == 302  # to organization set-up
    response = client.post(
        reverse("onboarding:organization_create"), {"legal_name": "X", "title": "Y"}
    )
    assert "Plan staff accounts cannot apply" in response.content.decode()


def test_a_task_claimed_by_one_reviewer_cannot_be_decided_by_another(org_b):
    # Take B's application to the entity review by driving the task directly.
    application = org_b["application"]
    task = Task.objects.get(
        process_id=application.process.pk, flow_task=OnboardingFlow.entity_profile
    )
    with task.activation() as activation:
        activation.start(None)
        activation.execute()
    review_task = Task.objects.get(
        process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
    )
    first, second = Client(), Client()
    for client, email in ((first, "rita@plan.example"), (second, "ray@plan.example")):
        user = UserFactory.create(email=email, groups=["reviewer"])
        client.force_login(user)
    assert first.post(reverse("reviews:claim", args=[review_task.pk])).status_code == 302
    response = second.post(reverse("reviews:claim", args=[review_task.pk]), follow=True)
    assert "Someone else has already claimed this review." in response.content.decode()
    response = second.post(
        reverse("reviews:decide", args=[review_task.pk]),
        {"outcome": "approve", "deficiency-TOTAL_FORMS": "0", "deficiency-INITIAL_FORMS": "0"},
    )
    assert "Claim this review before deciding it." in response.content.decode()
    review_task.refresh_from_db()
    assert review_task.status == "ASSIGNED"
    assert review_task.owner.email == "rita@plan.example"
