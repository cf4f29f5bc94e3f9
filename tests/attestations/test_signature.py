"""The authorized official's e-signature: who may sign, what is recorded, and what voids it."""

import hashlib
import html
import json

import pytest
from django.test import Client

from onboarding.attestation_text import ATTESTATION_TEXT, ATTESTATION_VERSION
from onboarding.attested_content import attested_content, attested_content_sha256
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.models import ApplicationEvent, ApplicationStep
from onboarding.services.attestations import capacity_table_save, community_partner_save
from onboarding.services.steps import Signature, care_team_member_save, step_submit
from tests.attestations.conftest import fresh

pytestmark = pytest.mark.django_db

Kind = ApplicationStep.Kind


def sign_on_page(client: Client, application, **overrides: str):
    rows = {row.criterion: row for row in application.criterion_attestations.all()}
    data = {
        "action": "submit",
        "languages_offered": "English, Spanish",
        "care_settings": ["street", "home"],
        "signature-full_name": "Ana Official",
        "signature-title": "Executive Director",
        "signature-confirm": "on",
        "signature-version": ATTESTATION_VERSION,
    }
    for n, row in rows.items():
        data[f"criterion_{n}"] = "on"
        data[f"narrative_{n}"] = row.narrative
    data.update(overrides)
    return client.post(
        f"/applications/{application.pk}/attestations/",
        data,
        HTTP_USER_AGENT="Mozilla/5.0 (signature test)",
        REMOTE_ADDR="203.0.113.7",
    )


def test_signing_records_who_when_where_and_the_hash_of_the_content(ready, authorized_official):
    client = Client()
    client.force_login(authorized_official)
    response = sign_on_page(client, ready)
    assert response.status_code == 302, response.content.decode()[-2000:]
    attestation = fresh(ready).capability_attestation
    assert attestation.signed_by == authorized_official
    assert attestation.signed_at is not None
    assert (attestation.signer_name, attestation.signer_title) == (
        "Ana Official",
        "Executive Director",
    )
    assert attestation.signed_ip == "203.0.113.7"
    assert attestation.signed_user_agent == "Mozilla/5.0 (signature test)"
    assert attestation.attestation_version == ATTESTATION_VERSION
    canonical = json.dumps(
        attested_content(fresh(ready)), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    assert attestation.content_sha256 == hashlib.sha256(canonical).hexdigest()
    assert fresh(ready).events.filter(kind=ApplicationEvent.Kind.SIGNED).exists()


def test_the_page_shows_the_exact_versioned_attestation_text(ready, authorized_official):
    client = Client()
    client.force_login(authorized_official)
    page = client.get(f"/applications/{ready.pk}/attestations/").content.decode()
    assert ATTESTATION_TEXT in page
    assert f'value="{ATTESTATION_VERSION}"' in page


def test_signing_needs_the_box_ticked(ready, authorized_official):
    client = Client()
    client.force_login(authorized_official)
    response = sign_on_page(client, ready, **{"signature-confirm": ""})
    assert response.status_code == 200
    assert "Tick the box to confirm the attestation." in response.content.decode()
    assert fresh(ready).capability_attestation.signed_at is None
    assert fresh(ready).step(Kind.ATTESTATIONS).status == ApplicationStep.Status.DRAFT


def test_a_stale_attestation_text_version_is_refused(ready, authorized_official):
    client = Client()
    client.force_login(authorized_official)
    response = sign_on_page(client, ready, **{"signature-version": "2020-0"})
    assert "The attestation text has changed" in response.content.decode()
    assert fresh(ready).capability_attestation.signed_at is None
    with pytest.raises(OnboardingError, match="attestation text has changed"):
        step_submit(
            application=ready,
            kind=Kind.ATTESTATIONS,
            user=authorized_official,
            signature=Signature("Ana Official", "ED", attestation_version="2020-0"),
        )


def test_the_typed_name_must_be_the_name_on_the_officials_account(ready, authorized_official):
    client = Client()
    client.force_login(authorized_official)
    response = sign_on_page(client, ready, **{"signature-full_name": "Someone Else"})
    page = html.unescape(response.content.decode())
    assert "The name you typed to sign, Someone Else, is not the name on your account, " in page
    assert "Ana Official" in page
    assert fresh(ready).capability_attestation.signed_at is None
    assert fresh(ready).step(Kind.ATTESTATIONS).status == ApplicationStep.Status.DRAFT


def test_only_the_authorized_official_may_sign(ready, preparer):
    with pytest.raises(NotAllowed, match="Only your organization's authorized official"):
        step_submit(
            application=ready,
            kind=Kind.ATTESTATIONS,
            user=preparer,
            signature=Signature("Pia Preparer", "Grants coordinator"),
        )
    client = Client()
    client.force_login(preparer)
    page = html.unescape(client.get(f"/applications/{ready.pk}/attestations/").content.decode())
    assert "Only your organization's authorized official can submit" in page
    assert "signature-confirm" not in page
    response = sign_on_page(client, ready)
    assert "Only your organization's authorized official can submit this section" in (
        html.unescape(response.content.decode())
    )
    assert fresh(ready).capability_attestation.signed_at is None


def test_another_organization_cannot_even_see_the_step(ready, db):
    from tests.factories import UserFactory

    outsider = UserFactory.create()
    from onboarding.services.organizations import organization_create

    organization_create(user=outsider, legal_name="Other Org", title="CEO")
    client = Client()
    client.force_login(outsider)
    assert sign_on_page(client, ready).status_code == 404


def signed_then_returned(ready, official, reviewer):
    from onboarding.flows import OnboardingFlow
    from reviews.models import ReviewDecision
    from reviews.services.decisions import DeficiencyItem
    from tests.factories import decide

    step_submit(
        application=ready,
        kind=Kind.ATTESTATIONS,
        user=official,
        signature=Signature("Ana Official", "Executive Director"),
    )
    decide(
        OnboardingFlow.review_attestations,
        ready,
        reviewer,
        ReviewDecision.Outcome.RETURN,
        deficiencies=[DeficiencyItem("capacity", "Too high", reason_code="capacity_unrealistic")],
    )
    assert fresh(ready).capability_attestation.signed_at is not None
    return fresh(ready)


@pytest.mark.parametrize("change", ["care_team", "capacity", "partner"])
def test_any_change_to_signed_content_voids_the_signature(
    ready, authorized_official, reviewer, change
):
    application = signed_then_returned(ready, authorized_official, reviewer)
    signed_hash = application.capability_attestation.content_sha256
    if change == "care_team":
        member = application.care_team.get(full_name="Lee Lead")
        care_team_member_save(
            application=application,
            user=authorized_official,
            member=member,
            data={"fte": "0.50"},
        )
    elif change == "capacity":
        capacity_table_save(
            application=application,
            user=authorized_official,
            populations={"1a": 3},
            capacities={"1a": {"los_angeles": 80}},
        )
    else:
        community_partner_save(
            application=application,
            user=authorized_official,
            data={"kind": "hospital", "organization_name": "St. Mary", "agreement_kind": "mou"},
        )
    attestation = fresh(application).capability_attestation
    assert attestation.signed_at is None
    assert attested_content_sha256(fresh(application)) != signed_hash
    assert fresh(application).events.filter(kind=ApplicationEvent.Kind.SIGNATURE_VOIDED).exists()


def test_the_reviewer_sees_whether_the_signature_matches(ready, authorized_official, reviewer):
    step_submit(
        application=ready,
        kind=Kind.ATTESTATIONS,
        user=authorized_official,
        signature=Signature("Ana Official", "Executive Director"),
    )
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/review/applications/{ready.pk}/").content.decode()
    assert "The signature matches the content shown." in page
    assert fresh(ready).capability_attestation.content_sha256 in page
    # Content changed behind the signature's back (not through the portal): shown as a mismatch.
    ready.capacities.update(member_capacity=999)
    page = client.get(f"/review/applications/{ready.pk}/").content.decode()
    assert "the signature does not match the content shown" in page


def test_the_applicant_sees_the_signature_in_plain_words_without_hashes(ready, authorized_official):
    step_submit(
        application=ready,
        kind=Kind.ATTESTATIONS,
        user=authorized_official,
        signature=Signature("Ana Official", "Executive Director"),
    )
    signed_hash = fresh(ready).capability_attestation.content_sha256
    client = Client()
    client.force_login(authorized_official)
    for url in (f"/applications/{ready.pk}/", f"/applications/{ready.pk}/attestations/"):
        page = client.get(url).content.decode()
        assert "signed by ana official, executive director" in page.lower(), url
        assert "SHA-256" not in page, url
        assert signed_hash[:16] not in page, url
