"""The disclosure in the entity step: what must be listed, signed and shown, and to whom."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from disclosures.editing import Editing
from disclosures.models import DisclosedParty
from disclosures.rules import disclosure_problems
from disclosures.services import Holding, party_save, row_save
from onboarding.models import Application, ApplicationStep
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from onboarding.services.steps import step_submit
from portal.models import AuditEvent, User
from tests.factories import OFFICER, UserFactory, fill_disclosure, fill_entity_step, signature_of
from tests.onboarding.test_flow_services import fresh

pytestmark = pytest.mark.django_db
ENTITY = ApplicationStep.Kind.ENTITY

OWNER = {
    "kind": "person",
    "first_name": "Olga",
    "last_name": "Owner",
    "date_of_birth": date(1960, 1, 2),
    "ssn": "234567890",
    "home_address": "1 Hill Rd, Fresno, CA 93701",
}
HOLDING_CO = {
    "kind": "organization",
    "organization_name": "Owner Holdings LLC",
    "tin": "123456789",
    "business_addresses": "9 Market St, Fresno, CA 93701",
}


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


def messages(application: Application) -> list[str]:
    return [p.message for p in disclosure_problems(fresh(application).disclosure)]


def test_each_category_must_be_listed_or_answered_none(application, authorized_official):
    problems = messages(application)
    assert len(problems) == 7
    assert "Managing employees: list them, or tick the box that says you have none." in problems
    fill_disclosure(application, authorized_official, officer=True)
    assert messages(application) == []


def test_saying_none_while_listing_someone_is_a_contradiction(application, authorized_official):
    fill_disclosure(application, authorized_official, officer=True, none_officers=True)
    assert messages(application) == [
        "Officers, directors and board members: you ticked that you have none, but listed "
        "some. Untick the box or remove them."
    ]


def test_an_indirect_owner_over_five_percent_must_be_disclosed_with_identifiers(
    application, authorized_official
):
    fill_disclosure(application, authorized_official, officer=True, none_owners=False)
    holding = party_save(
        editing=Editing.of_application(application),
        user=authorized_official,
        data=HOLDING_CO,
        holding=Holding(direct_percent=Decimal("80")),
    )
    # 10% of a company owning 80% is 8%: disclosed, and the portal computed it.
    owner = party_save(
        editing=Editing.of_application(application),
        user=authorized_official,
        data={**OWNER, "ssn": ""},
        holding=Holding(through=holding, through_percent=Decimal("10")),
    )
    assert messages(application) == ["Olga Owner: give Social Security number."]
    from disclosures.selectors import disclosure_view

    shares = {h.party.name: h.share for h in disclosure_view(fresh(application).disclosure).owners}
    assert shares == {"Owner Holdings LLC": Decimal("80.00"), "Olga Owner": Decimal("8.00")}
    party_save(
        editing=Editing.of_application(application),
        user=authorized_official,
        data=OWNER,
        holding=Holding(through=holding, through_percent=Decimal("10")),
        party=owner,
    )
    assert messages(application) == []


def test_shares_of_one_entity_cannot_exceed_everything(application, authorized_official):
    fill_disclosure(application, authorized_official, officer=True, none_owners=False)
    for name in ("Olga", "Oscar"):
        party_save(
            editing=Editing.of_application(application),
            user=authorized_official,
            data={**OWNER, "first_name": name},
            holding=Holding(direct_percent=Decimal("60")),
        )
    assert "The shares listed in your organization add up to 120.00%, more than 100%." in (
        messages(application)
    )


def test_a_recent_medicaid_conviction_of_an_owner_is_flagged_with_the_rule(
    application, authorized_official
):
    from disclosures.models import Conviction
    from disclosures.selectors import disclosure_view

    fill_disclosure(
        application, authorized_official, officer=True, none_owners=False, none_convictions=False
    )
    owner = party_save(
        editing=Editing.of_application(application),
        user=authorized_official,
        data=OWNER,
        holding=Holding(direct_percent=Decimal("40")),
    )
    disclosure = fresh(application).disclosure
    for convicted_on in (date(2021, 5, 1), date(2001, 5, 1)):
        row_save(
            editing=Editing.of_application(application),
            user=authorized_official,
            row=Conviction(
                disclosure=disclosure,
                party=owner,
                program=Conviction.Program.MEDICAID,
                convicted_on=convicted_on,
                details="Billing for services not rendered",
            ),
            what="conviction",
        )
    flagged = disclosure_view(fresh(application).disclosure, today=date(2026, 12, 6)).flagged
    assert len(flagged) == 1  # the 2001 conviction is older than 10 years
    assert flagged[0].conviction.convicted_on == date(2021, 5, 1)
    assert flagged[0].rule.startswith("42 CFR 455.416(b)")
    assert messages(application) == []  # disclosed: the reviewer weighs it


def test_the_signature_covers_the_disclosure(application, authorized_official, reviewer):
    fill_disclosure(application, authorized_official, officer=True)
    fill_entity_step(application, authorized_official)
    step_submit(
        application=fresh(application),
        kind=ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )
    profile = fresh(application).entity_profile
    assert profile.is_signed
    from onboarding.attested_content import signature_state

    assert signature_state(fresh(application), ENTITY)["matches"]
    # The content changes under the signature (as a returned step would let it): it no longer
    # matches, so a reviewer sees it was not what was signed.
    party = fresh(application).disclosure.parties.get()
    DisclosedParty.objects.filter(pk=party.pk).update(title="Treasurer")
    assert not signature_state(fresh(application), ENTITY)["matches"]


def test_the_ssn_is_encrypted_in_the_database_and_masked_on_the_page(
    client: Client, application, authorized_official
):
    from django.db import connection

    fill_disclosure(application, authorized_official, officer=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ssn, date_of_birth FROM disclosures_disclosedparty")
        ((ssn_stored, dob_stored),) = cursor.fetchall()
    assert OFFICER["ssn"] not in ssn_stored
    assert "1975" not in dob_stored
    party = fresh(application).disclosure.parties.get()
    assert party.ssn == OFFICER["ssn"]
    assert party.date_of_birth == OFFICER["date_of_birth"]

    client.force_login(authorized_official)
    page = client.get(f"/applications/{application.pk}/entity/").content.decode()
    assert "•••-••-6781" in page
    assert "••/••/1975" in page
    assert "523456781" not in page
    assert "523-45-6781" not in page
    edit = client.get(f"/disclosures/{application.disclosure.pk}/parties/{party.pk}/")
    assert "523456781" not in edit.content.decode()
    assert "1975-04-12" not in edit.content.decode()
    # Saving the form unchanged (the masked SSN sent back) keeps the stored SSN.
    response = client.post(
        f"/disclosures/{application.disclosure.pk}/parties/{party.pk}/",
        {
            **{
                k: v
                for k, v in OFFICER.items()
                if k not in {"ssn", "date_of_birth", "is_managing_employee"}
            },
            "ssn": "•••-••-6781",
            "date_of_birth": "",
            "is_managing_employee": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    kept = fresh(application).disclosure.parties.get()
    assert (kept.ssn, kept.date_of_birth) == (OFFICER["ssn"], OFFICER["date_of_birth"])


def test_a_bad_ssn_gets_a_plain_message_and_nothing_is_saved(
    client: Client, application, authorized_official
):
    client.force_login(authorized_official)
    response = client.post(
        f"/disclosures/{application.disclosure.pk}/person/add/",
        {**{k: v for k, v in OFFICER.items() if k != "is_managing_employee"}, "ssn": "12-345"},
    )
    assert response.status_code == 200
    assert "An SSN is 9 digits, for example 123-45-6789." in response.content.decode()
    assert not fresh(application).disclosure.parties.exists()


def test_another_organizations_party_is_not_found(client: Client, application, authorized_official):
    fill_disclosure(application, authorized_official, officer=True)
    party = fresh(application).disclosure.parties.get()
    outsider = UserFactory.create(email="b@org-b.example")
    organization_create(user=outsider, legal_name="Org B", title="Director")
    outsider = User.objects.get(pk=outsider.pk)
    theirs = application_start(organization=outsider.membership.organization, user=outsider)
    client.force_login(outsider)
    for url in (
        f"/disclosures/{application.disclosure.pk}/parties/{party.pk}/",
        f"/disclosures/{theirs.disclosure.pk}/parties/{party.pk}/",
        f"/disclosures/{theirs.disclosure.pk}/parties/{party.pk}/remove/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/disclosures/{theirs.disclosure.pk}/parties/{party.pk}/remove/").status_code
        == 404
    )
    assert fresh(application).disclosure.parties.exists()


def test_only_staff_with_the_permission_reveal_and_each_reveal_is_audited(
    client: Client, application, authorized_official, reviewer, manager
):
    fill_disclosure(application, authorized_official, officer=True)
    party = fresh(application).disclosure.parties.get()
    url = f"/review/applications/{application.pk}/disclosure/{party.pk}/reveal/"
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "curious"}).status_code == 403
    client.force_login(manager)
    page = client.get(f"/review/applications/{application.pk}/").content.decode()
    assert "•••-••-6781" in page
    assert "523-45-6781" not in page
    assert url in page  # the reveal link, for a manager
    shown = client.get(url)
    assert "523-45-6781" not in shown.content.decode()
    revealed = client.post(url, {"reason": "Confirm the LEIE match"})
    assert "523-45-6781" in revealed.content.decode()
    assert "04/12/1975" in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.IDENTIFIERS_REVEALED)
    assert event.actor == manager
    assert event.object_id == str(party.pk)
    assert "Confirm the LEIE match" in event.summary
    assert "6781" not in event.summary
    # No reason, no reveal.
    again = client.post(url, {"reason": " "})
    assert "523-45-6781" not in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IDENTIFIERS_REVEALED).count() == 1


def test_the_export_has_roles_and_shares_but_never_an_identifier(
    client: Client, application, authorized_official, manager
):
    fill_disclosure(application, authorized_official, officer=True)
    fill_entity_step(application, authorized_official)
    step_submit(
        application=fresh(application),
        kind=ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )
    client.force_login(manager)
    response = client.get("/review/disclosures.csv")
    body = streamed(response)
    assert "Ana Official" in body
    assert "Officer" in body
    for secret in ("523456781", "523-45-6781", "6781", "1975", "12 Elm St"):
        assert secret not in body, secret
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
