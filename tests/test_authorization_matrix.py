"""Every URL pattern by every kind of person → the expected status, for an object owned by org A.

Adding a URL pattern without a row here fails ``test_every_url_pattern_has_a_row``.
Statuses: 200 page shown, 302 redirect (sign-in for anonymous visitors, or the role's home),
401 no bearer token (the API), 403 the role may not, 404 not found (another organization's
object is never a 403), 405 wrong method.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.timezone import localtime
from viewflow.workflow.models import Task

from changes.flows import ChangeRequestFlow
from changes.models import ChangeRequest
from corrective_actions.models import CorrectiveActionPlan
from disclosures.editing import Editing
from disclosures.models import FamilyRelationship
from disclosures.services import Holding, party_save, row_save
from documents.models import WelcomePacket, WelcomePacketItem
from documents.services import document_upload, packet_deliver
from onboarding.models import Application, EntityProfile, Invitation, Membership, Organization
from onboarding.services.applications import application_start
from onboarding.services.attestations import community_partner_save
from onboarding.services.organizations import invitation_create, organization_create
from onboarding.services.steps import care_team_member_save
from portal.roles import Role
from providers.models import StatusChange
from reviews.models import Export, ReviewDecision
from reviews.services.exports import export_build, export_request
from screening.models import ScreeningResult
from tests.factories import PDF, MembershipFactory, UserFactory, refetch

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "applicant_a", "applicant_b", "reviewer", "manager", "plan_admin")
THIRD_PARTY = ("admin/", "accounts/")


@dataclass(frozen=True)
class Row:
    method: str
    args: str  # which objects of org A fill the URL
    expected: tuple[int, int, int, int, int, int]  # in the order of ROLES


LOGIN = 302
MATRIX: dict[str, Row] = {
    "home": Row("get", "", (200, 302, 302, 302, 302, 302)),
    "healthz": Row("get", "", (200, 200, 200, 200, 200, 200)),  # the load balancer's check
    "audit_trail": Row("get", "", (LOGIN, 403, 403, 403, 200, 200)),
    "audit_trail_export": Row("get", "", (LOGIN, 403, 403, 403, 200, 200)),
    "onboarding:dashboard": Row("get", "", (LOGIN, 200, 200, 302, 302, 302)),
    "onboarding:organization_create": Row("get", "", (LOGIN, 302, 302, 200, 200, 200)),
    "onboarding:team": Row("get", "", (LOGIN, 200, 200, 302, 302, 302)),
    "onboarding:membership_remove": Row("get", "membership", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:invitation_accept": Row("get", "token", (LOGIN, 200, 200, 200, 200, 200)),
    "onboarding:invitation_revoke": Row("post", "invitation", (LOGIN, 302, 404, 404, 404, 404)),
    "onboarding:application_start": Row("get", "", (LOGIN, 405, 405, 405, 405, 405)),
    "onboarding:application_detail": Row("get", "app", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:application_withdraw": Row("get", "app", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:care_team_add": Row("get", "app", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:care_team_edit": Row("get", "app,member", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:care_team_remove": Row("post", "app,member", (LOGIN, 302, 404, 404, 404, 404)),
    "onboarding:partner_add": Row("get", "app", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:partner_edit": Row("get", "app,partner", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:partner_remove": Row("post", "app,partner", (LOGIN, 302, 404, 404, 404, 404)),
    "onboarding:capacity": Row("get", "app", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:document_remove": Row("post", "app,document", (LOGIN, 302, 404, 404, 404, 404)),
    "onboarding:step": Row("get", "app,step", (LOGIN, 200, 404, 404, 404, 404)),
    "onboarding:document_upload": Row("post", "app,step", (LOGIN, 302, 404, 404, 404, 404)),
    "data_exchange:sample_file_check": Row("post", "app", (LOGIN, 302, 404, 404, 404, 404)),
    "data_exchange:sample_file_check_progress": Row(
        "get", "app,sample_check", (LOGIN, 200, 404, 404, 404, 404)
    ),
    "reviews:queue": Row("get", "", (LOGIN, 403, 403, 200, 200, 403)),
    "reviews:my_tasks": Row("get", "", (LOGIN, 403, 403, 200, 200, 403)),
    "reviews:applications": Row("get", "", (LOGIN, 403, 403, 200, 200, 403)),
    "reviews:application": Row("get", "app", (LOGIN, 403, 403, 200, 200, 403)),
    "screening:adjudicate": Row("post", "app,screening", (LOGIN, 403, 403, 302, 302, 403)),
    "screening:rerun": Row("post", "app", (LOGIN, 403, 403, 302, 302, 403)),
    "reviews:decide": Row("get", "task", (LOGIN, 403, 403, 200, 200, 403)),
    "reviews:claim": Row("post", "task", (LOGIN, 403, 403, 302, 302, 403)),
    "reviews:release": Row("post", "task", (LOGIN, 403, 403, 302, 302, 403)),
    "reviews:team": Row("get", "", (LOGIN, 403, 403, 200, 200, 403)),
    "reviews:bulk": Row("post", "", (LOGIN, 403, 403, 302, 302, 403)),
    "reviews:note_add": Row("post", "app", (LOGIN, 403, 403, 302, 302, 403)),
    "reviews:dashboard": Row("get", "", (LOGIN, 403, 403, 403, 200, 403)),
    # Asking for an export (a background job builds it) leads to the page of exports.
    "reviews:applications_export": Row("post", "", (LOGIN, 403, 403, 403, 302, 403)),
    "reviews:roster_export": Row("post", "", (LOGIN, 403, 403, 403, 302, 403)),
    "reviews:exports": Row("get", "", (LOGIN, 403, 403, 403, 200, 403)),
    "reviews:export_download": Row("get", "export", (LOGIN, 403, 403, 403, 200, 403)),
    "providers:record": Row("get", "provider", (LOGIN, 200, 404, 200, 200, 403)),
    "changes:list": Row("get", "provider", (LOGIN, 200, 404, 200, 200, 403)),
    "changes:new": Row("get", "provider,kind", (LOGIN, 200, 404, 403, 403, 403)),
    "changes:detail": Row("get", "provider,change", (LOGIN, 200, 404, 200, 200, 403)),
    # Only the person named may open a hand-over's link; to anyone else it does not exist.
    "changes:handover_accept": Row("get", "handover", (LOGIN, 404, 404, 404, 404, 404)),
    "changes:review": Row("get", "change_task", (LOGIN, 403, 403, 200, 200, 403)),
    "corrective_actions:list": Row("get", "provider", (LOGIN, 200, 404, 200, 200, 403)),
    "corrective_actions:item": Row("get", "provider,cap_item", (LOGIN, 200, 404, 200, 200, 403)),
    "corrective_actions:workbench": Row("get", "", (LOGIN, 403, 403, 200, 200, 403)),
    "corrective_actions:workbench_export": Row("get", "", (LOGIN, 403, 403, 403, 200, 403)),
    "recredentialing:workbench": Row("get", "", (LOGIN, 403, 403, 200, 200, 403)),
    "recredentialing:workbench_export": Row("get", "", (LOGIN, 403, 403, 403, 200, 403)),
    "providers:status_change_propose": Row("get", "app,action", (LOGIN, 403, 403, 403, 200, 403)),
    "providers:status_change_confirm": Row(
        "post", "status_change", (LOGIN, 403, 403, 403, 302, 403)
    ),
    "providers:status_change_decline": Row(
        "post", "status_change", (LOGIN, 403, 403, 403, 302, 403)
    ),
    "disclosures:party_add": Row("get", "disclosure,party_kind", (LOGIN, 200, 404, 404, 404, 404)),
    "disclosures:party_edit": Row("get", "disclosure,party", (LOGIN, 200, 404, 404, 404, 404)),
    "disclosures:party_remove": Row("post", "disclosure,party", (LOGIN, 302, 404, 404, 404, 404)),
    "disclosures:row_add": Row("get", "disclosure,row_kind", (LOGIN, 200, 404, 404, 404, 404)),
    "disclosures:row_remove": Row(
        "post", "disclosure,row_kind,row", (LOGIN, 302, 404, 404, 404, 404)
    ),
    # Revealing an SSN and date of birth needs the reveal permission (network managers).
    "disclosures:reveal": Row("get", "app,party", (LOGIN, 403, 403, 403, 200, 403)),
    "disclosures:export": Row("get", "", (LOGIN, 403, 403, 403, 200, 403)),
    "documents:download": Row("get", "document", (LOGIN, 200, 404, 200, 200, 404)),
    "documents:packet": Row("get", "delivery", (LOGIN, 200, 404, 200, 200, 404)),
    "documents:packet_item_download": Row("get", "delivery,item", (LOGIN, 200, 404, 200, 200, 404)),
    "documents:packet_acknowledge": Row("post", "delivery", (LOGIN, 302, 404, 302, 302, 404)),
    "documents:packet_letter": Row("get", "delivery", (LOGIN, 200, 404, 200, 200, 404)),
    "documents:packet_zip": Row("get", "delivery", (LOGIN, 200, 404, 200, 200, 404)),
    "documents:packet_receipts": Row("get", "", (LOGIN, 403, 403, 403, 200, 403)),
    # The API answers bearer tokens only: a session, anyone's, is no credential there (401).
    "api:application_status": Row("get", "app", (401, 401, 401, 401, 401, 401)),
    "api:application_status_by_npi": Row("get", "app", (401, 401, 401, 401, 401, 401)),
    "api:roster": Row("get", "", (401, 401, 401, 401, 401, 401)),
    "api:changes": Row("get", "", (401, 401, 401, 401, 401, 401)),
    # The OpenAPI document describes the shape of the answers and holds no data.
    "api:openapi-json": Row("get", "", (200, 200, 200, 200, 200, 200)),
    # Ninja's root of the API, used to find its own address; it shows nothing.
    "api:api-root": Row("get", "", (404, 404, 404, 404, 404, 404)),
    # The public provider directory (FHIR): anyone, signed in or not, reads it.
    "directory:metadata": Row("get", "", (200, 200, 200, 200, 200, 200)),
    "directory:openapi": Row("get", "", (200, 200, 200, 200, 200, 200)),
    "directory:search": Row("get", "fhir_type", (200, 200, 200, 200, 200, 200)),
    "directory:read": Row("get", "fhir_type,fhir_id", (200, 200, 200, 200, 200, 200)),
}


def our_url_names() -> set[str]:
    def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(THIRD_PARTY):
                continue
            if isinstance(pattern, URLResolver):
                names |= walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
        return names

    return walk(get_resolver().url_patterns)


def test_every_url_pattern_has_a_row():
    assert our_url_names() == set(MATRIX)


@pytest.fixture
def world(settings: Any) -> dict[str, Any]:
    """Organization A with one of everything; organization B; and the plan's staff."""
    a = UserFactory.create(email="a@org-a.example")
    organization = organization_create(user=a, legal_name="Organization A", title="Director")
    a = refetch(a)
    b = UserFactory.create(email="b@org-b.example")
    organization_create(user=b, legal_name="Organization B", title="Director")
    application = application_start(organization=organization, user=a)
    document = document_upload(
        application=application,
        step_kind="entity",
        user=a,
        requirement="Other",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    member = care_team_member_save(
        application=application, user=a, data={"role": "ecm_director", "full_name": "Dee A"}
    )
    partner = community_partner_save(
        application=application,
        user=a,
        data={"kind": "hospital", "organization_name": "General", "agreement_kind": "mou"},
    )
    entity_task = Task.objects.get(process_id=application.process.pk, flow_task_type="HUMAN")
    with entity_task.activation() as activation:
        activation.start(None)
        activation.execute()
    review = Task.objects.get(process_id=application.process.pk, status="NEW")
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
    invitation: Invitation = invitation_create(
        organization=organization, invited_by=a, email="new@org-a.example"
    )
    provider = _provider_record(organization, a)
    party = party_save(
        editing=Editing.of_application(application),
        user=a,
        data={"kind": "person", "first_name": "Olga", "last_name": "Owner", "ssn": "234567890"},
        holding=Holding(direct_percent=Decimal("10")),
    )
    relative = party_save(
        editing=Editing.of_application(application),
        user=a,
        data={"kind": "person", "first_name": "Oscar", "last_name": "Owner"},
        holding=Holding(direct_percent=Decimal("10")),
    )
    family = row_save(
        editing=Editing.of_application(application),
        user=a,
        row=FamilyRelationship(
            disclosure=application.disclosure,
            person=party,
            relationship="sibling",
            relative=relative,
        ),
        what="family",
    )
    nominee = MembershipFactory.create(organization=organization, role=Membership.Role.PREPARER)
    manager = UserFactory.create(groups=[Role.NETWORK_MANAGER.value])
    return {
        **_change_requests(provider, a, nominee.user),
        "cap_item": _corrective_action(provider),
        "people": {
            "applicant_a": a,
            "applicant_b": refetch(b),
            "reviewer": UserFactory.create(groups=[Role.REVIEWER.value]),
            "manager": manager,
            "plan_admin": UserFactory.create(is_staff=True, groups=[Role.PLAN_ADMIN.value]),
        },
        "app": application.pk,
        "disclosure": application.disclosure.pk,
        "party": party.pk,
        "party_kind": "person",
        "row_kind": "family",
        "row": family.pk,
        "document": document.pk,
        "member": member.pk,
        "partner": partner.pk,
        "task": review.pk,
        "step": "entity",
        "export": _export(manager),
        "item": item.pk,
        "delivery": packet_deliver(application=application).pk,
        "token": invitation.token,
        "invitation": invitation.pk,
        "membership": MembershipFactory.create(
            organization=organization, role=Membership.Role.PREPARER
        ).pk,
        "sample_check": application.sample_checks.create(
            kind="rtf", file_name="rtf.csv", requested_by=a
        ).pk,
        "screening": ScreeningResult.objects.filter(application=application).values_list(
            "pk", flat=True
        )[0],
        "action": "suspend",
        "fhir_type": "Organization",
        "fhir_id": "plan",
        # Organization A's earlier application, approved: a provider with a record.
        "provider": provider,
        # Proposed by a manager other than the one asking (who may then confirm or decline it).
        "status_change": StatusChange.objects.create(
            application=application,
            action="suspend",
            reason="Matrix",
            effective_on=localtime().date(),
            status_before=application.status,
            proposed_by=UserFactory.create(groups=[Role.NETWORK_MANAGER.value]),
        ).pk,
    }


def _provider_record(organization: Organization, official: Any) -> int:
    provider = Application.objects.create(
        organization=organization, status=Application.Status.ACTIVE, created_by=official
    )
    EntityProfile.objects.create(application=provider, legal_name=organization.legal_name)
    return provider.pk


def _export(manager: Any) -> int:
    """A ready export the manager asked for, built as its background job builds it."""
    export = export_request(user=manager, kind=Export.Kind.ROSTER)
    export_build(export_id=export.pk)
    return export.pk


def _corrective_action(provider: int) -> int:
    """An item of a corrective-action plan set with the provider's final approval."""
    decision = ReviewDecision.objects.create(
        application_id=provider,
        stage=ReviewDecision.Stage.FINAL,
        outcome=ReviewDecision.Outcome.APPROVE,
        with_conditions=True,
        reviewer=UserFactory.create(groups=[Role.NETWORK_MANAGER.value]),
    )
    plan = CorrectiveActionPlan.objects.create(application_id=provider, decision=decision)
    return plan.items.create(
        application_id=provider,
        finding="attestations:care_team",
        finding_label="Care team",
        detail="No Lead Care Manager for Fresno.",
        action="Hire or name one.",
        due_on=localtime().date() + timedelta(days=30),
        responsible="Dana Reyes, ECM Director",
    ).pk


def _change_requests(provider: int, official: Any, nominee: Any) -> dict[str, Any]:
    """A draft change request of the provider, one waiting for review, and a hand-over."""
    draft = ChangeRequest.objects.create(
        application_id=provider, kind="care_team", created_by=official
    )
    sent = ChangeRequest.objects.create(
        application_id=provider, kind="contact", created_by=official
    )
    ChangeRequestFlow.start.run(change_request=sent)
    prepare = Task.objects.get(process_id=sent.process.pk, flow_task=ChangeRequestFlow.prepare)
    with prepare.activation() as activation:
        activation.start(None)
        activation.execute()
    handover = ChangeRequest.objects.create(
        application_id=provider, kind="official", created_by=official, nominee=nominee
    )
    return {
        "kind": "care_team",
        "change": draft.pk,
        "change_task": Task.objects.get(
            process_id=sent.process.pk, flow_task=ChangeRequestFlow.review
        ).pk,
        "handover": handover.acceptance_token,
    }


# Organization A's own member goes last: its POSTs may change the object the others asked for.
ROLE_ORDER = ("anonymous", "applicant_b", "reviewer", "manager", "plan_admin", "applicant_a")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_authorization(name: str, world: dict[str, Any]) -> None:
    row = MATRIX[name]
    args = [world[key] for key in row.args.split(",")] if row.args else []
    url = reverse(name, args=args)
    wrong = []
    for role in ROLE_ORDER:
        client = Client()
        if role != "anonymous":
            client.force_login(world["people"][role])
        response = getattr(client, row.method)(url)
        expected = row.expected[ROLES.index(role)]
        if response.status_code != expected:
            wrong.append(f"{role}: {response.status_code}, expected {expected}")
        elif (
            expected == LOGIN
            and role == "anonymous"
            and "/accounts/login/" not in response["Location"]
        ):
            wrong.append(f"anonymous sent to {response['Location']}, not to sign in")
    assert wrong == [], f"{row.method.upper()} {url}"


@pytest.mark.parametrize("role", ["applicant_a", "reviewer", "manager"])
def test_only_plan_administrators_reach_the_admin_site(role: str, world: dict[str, Any]):
    client = Client()
    client.force_login(world["people"][role])
    assert client.get("/admin/").status_code == 302
    client.force_login(world["people"]["plan_admin"])
    assert client.get("/admin/").status_code == 200


# The admin site: its sign-in is the portal's (second factor, lockout), and only superusers change
# roles and privileges. Statuses by role, for the sign-in, a person's own account page, and a
# POST that tries to make oneself superuser with every role.
ADMIN_ROLES = ("anonymous", "applicant_a", "reviewer", "manager", "plan_admin", "superuser")
ADMIN_MATRIX = {
    # Signed out: to the portal's sign-in. Signed in: admins to the admin site, anyone else
    # refused (sending them to sign in again would loop back here).
    "sign-in": (302, 403, 403, 403, 302, 302),
    "own account": (302, 302, 302, 302, 200, 200),
    "role change takes effect": (False, False, False, False, False, True),
}


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_admin_sign_in_and_role_changes_by_role(role: str, world: dict[str, Any]) -> None:
    people = {
        **world["people"],
        "superuser": UserFactory.create(is_staff=True, is_superuser=True),
    }
    column = ADMIN_ROLES.index(role)
    client = Client()
    person = people.get(role)
    if person is not None:
        client.force_login(person)
    sign_in = client.get("/admin/login/?next=/admin/")
    assert sign_in.status_code == ADMIN_MATRIX["sign-in"][column]
    if sign_in.status_code == 302:
        admin_site = "/admin/" if person is not None else "/accounts/login/?next=/admin/"
        assert sign_in["Location"] == admin_site
    target = person or people["applicant_a"]
    page = client.get(f"/admin/portal/user/{target.pk}/change/")
    assert page.status_code == ADMIN_MATRIX["own account"][column]
    every_group = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
    client.post(
        f"/admin/portal/user/{target.pk}/change/",
        {
            "email": target.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": every_group,
            "date_joined_0": f"{localtime(target.date_joined):%Y-%m-%d}",
            "date_joined_1": f"{localtime(target.date_joined):%H:%M:%S}",
        },
    )
    target.refresh_from_db()
    took_effect = target.groups.count() == len(every_group) and target.is_superuser
    assert took_effect == ADMIN_MATRIX["role change takes effect"][column]
