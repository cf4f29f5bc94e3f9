"""A second account for the same organization is noticed before review."""

import pytest
from django.test import Client

from onboarding.models import EntityProfile, Membership, Organization
from onboarding.selectors import possible_duplicates
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from tests.factories import UserFactory, fill_entity_step

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_same_legal_name_warns_the_applicant(client: Client, organization: Organization):
    client.force_login(UserFactory.create(email="someone@sunrise-2.example"))
    response = client.post(
        "/organization/new/",
        {"legal_name": "sunrise community services, inc.", "title": "Director"},
        follow=True,
    )
    said = " ".join(messages_of(response))
    assert "already has an organization with this name" in said
    second = Organization.objects.get(legal_name="sunrise community services, inc.")
    assert possible_duplicates(second) == [organization]


def test_a_different_name_gets_no_warning(client: Client, organization: Organization):
    client.force_login(UserFactory.create(email="someone@else.example"))
    response = client.post(
        "/organization/new/", {"legal_name": "Moonrise Health", "title": "Director"}, follow=True
    )
    assert not any("already has an organization" in said for said in messages_of(response))


def test_the_same_npi_on_another_application_is_a_possible_duplicate(
    application, authorized_official
):
    fill_entity_step(application, authorized_official)
    npi = EntityProfile.objects.get(application=application).npi
    other_official = UserFactory.create(email="boss@other.example")
    other = organization_create(user=other_official, legal_name="Other Name Entirely")
    assert possible_duplicates(other) == []
    assert possible_duplicates(other, npi=npi) == [application.organization]


def test_the_reviewer_sees_the_possible_duplicate(
    client: Client, application, authorized_official, reviewer
):
    twin_official = UserFactory.create(email="boss@twin.example")
    twin = organization_create(user=twin_official, legal_name="The Sunrise Community Services LLC")
    twin_application = application_start(
        organization=twin, user=Membership.objects.get(user=twin_official).user
    )
    client.force_login(reviewer)
    page = client.get(f"/review/applications/{twin_application.pk}/").content.decode()
    assert "Possible duplicate organization" in page
    assert f'href="/review/applications/{application.pk}/"' in page

    loner = organization_create(
        user=UserFactory.create(email="solo@else.example"), legal_name="Moonrise Health"
    )
    loner_application = application_start(
        organization=loner, user=Membership.objects.get(organization=loner).user
    )
    page = client.get(f"/review/applications/{loner_application.pk}/").content.decode()
    assert "Possible duplicate organization" not in page


def test_the_entity_step_warns_when_another_application_has_the_same_npi(
    client: Client, application, authorized_official
):
    fill_entity_step(application, authorized_official)
    npi = EntityProfile.objects.get(application=application).npi
    other_official = UserFactory.create(email="boss@other.example")
    other = organization_create(user=other_official, legal_name="Other Name Entirely")
    other_application = application_start(organization=other, user=other_official)
    client.force_login(other_official)
    page = f"/applications/{other_application.pk}/entity/"
    assert (
        "same legal name or an application with the same NPI"
        not in client.get(page).content.decode()
    )
    EntityProfile.objects.filter(application=other_application).update(npi=npi)
    text = client.get(page).content.decode()
    assert "same legal name or an application with the same NPI" in text
    assert application.organization.legal_name not in text
