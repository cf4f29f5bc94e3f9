"""The authorized official signs data-sharing readiness as they sign the attestations: who may
sign, what the signature covers, what voids it, and whose name it must carry."""

import hashlib
import html
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.forms import CheckboxInput, NullBooleanSelect
from django.test import Client

from data_exchange.services import sample_file_check
from data_exchange.validation import DATE_FORMATS, DATE_PATTERN, accepted_date_formats
from onboarding.attestation_text import ATTESTATION_VERSION
from onboarding.attested_content import canonical_json, data_sharing_content, signed_content_sha256
from onboarding.exceptions import OnboardingError
from onboarding.flows import OnboardingFlow
from onboarding.forms import DataSharingForm
from onboarding.models import Application, ApplicationEvent, ApplicationStep, DataSharingProfile
from onboarding.services.steps import Signature, data_sharing_save, step_submit
from onboarding.signatures import signature_prefill
from portal.models import User
from reviews.models import ReviewDecision
from reviews.services.decisions import DeficiencyItem
from tests.data_sharing.samples import as_csv, sample_rows, specification
from tests.factories import (
    DATA_SHARING_ANSWERS,
    VALID_NPI,
    VALID_TIN,
    decide,
    fill_data_sharing_step,
    submit_data_sharing_step,
)

pytestmark = pytest.mark.django_db

Kind = ApplicationStep.Kind
SIGNED = {
    "signature-full_name": "Ana Official",
    "signature-title": "Executive Director",
    "signature-confirm": "on",
    "signature-version": ATTESTATION_VERSION,
}


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answers_as_posted(profile: DataSharingProfile) -> dict[str, str]:
    """The saved answers as the step's form sends them back."""
    form = DataSharingForm(instance=profile)
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, NullBooleanSelect):
            data[name] = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(field.widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def post_step(client: Client, application: Application, **fields: Any):
    data = {**answers_as_posted(fresh(application).data_sharing), **fields}
    return client.post(
        f"/applications/{application.pk}/data-sharing/",
        data,
        HTTP_USER_AGENT="Mozilla/5.0 (data-sharing signature test)",
        REMOTE_ADDR="203.0.113.9",
    )


@pytest.fixture
def filled(entity_approved: Application, authorized_official: User) -> Application:
    fill_data_sharing_step(entity_approved, authorized_official)
    return fresh(entity_approved)


def signed_then_returned(application: Application, official: User, reviewer: User) -> Application:
    submit_data_sharing_step(application, official)
    decide(
        OnboardingFlow.review_data_sharing,
        fresh(application),
        reviewer,
        ReviewDecision.Outcome.RETURN,
        deficiencies=[DeficiencyItem("privacy_officer_phone", "This number is not answered")],
    )
    assert fresh(application).data_sharing.is_signed  # a return alone leaves the signature
    return fresh(application)


# Signing --------------------------------------------------------------------------------------


def test_the_official_signs_when_submitting_and_the_signature_records_what_was_signed(
    filled, authorized_official
):
    response = post_step(signed_in(authorized_official), filled, action="submit", **SIGNED)

    assert response.status_code == 302, html.unescape(response.content.decode())[-3000:]
    application = fresh(filled)
    assert application.step(Kind.DATA_SHARING).status == ApplicationStep.Status.SUBMITTED
    profile = application.data_sharing
    assert profile.signed_by == authorized_official
    assert profile.signed_at is not None
    assert (profile.signer_name, profile.signer_title) == ("Ana Official", "Executive Director")
    assert profile.attestation_version == ATTESTATION_VERSION
    assert profile.signed_ip == "203.0.113.9"
    assert profile.signed_user_agent == "Mozilla/5.0 (data-sharing signature test)"
    content = data_sharing_content(application)
    assert profile.content_sha256 == hashlib.sha256(canonical_json(content)).hexdigest()
    signed = application.events.filter(kind=ApplicationEvent.Kind.SIGNED).latest("pk")
    assert signed.detail.startswith("Data-sharing readiness signed by Ana Official")


def test_the_signature_covers_every_answer_the_documents_and_the_sample_checks(
    filled, authorized_official
):
    content = data_sharing_content(filled)

    assert content["answers"] == {
        **DATA_SHARING_ANSWERS,
        "dxf_signed_on": filled.data_sharing.dxf_signed_on.isoformat(),
        "is_certified_ehr": False,
    }
    assert set(content["answers"]) == set(DataSharingProfile.APPLICANT_FIELDS)
    assert [row[0] for row in content["documents"]] == ["Business associate agreement"]
    assert [
        (row["kind"], row["specification_version"], row["passed"])
        for row in content["sample_files"]
    ] == [("rtf", "2025-07", True), ("otf", "2022", True)]


@pytest.mark.parametrize(
    "change",
    [
        {"documentation_system": "OtherChart"},
        {"uses_mfa": False},
        {"dxf_signed_on": None, "dxf_status": "in_progress"},
        {"privacy_officer_phone": "(213) 555-0199"},
    ],
)
def test_any_change_to_an_answer_changes_the_signed_hash(filled, authorized_official, change):
    before = signed_content_sha256(filled, Kind.DATA_SHARING)

    data_sharing_save(application=filled, user=authorized_official, data=change)

    assert signed_content_sha256(fresh(filled), Kind.DATA_SHARING) != before


def test_a_new_sample_check_changes_the_signed_hash(filled, authorized_official):
    before = signed_content_sha256(filled, Kind.DATA_SHARING)
    rows = sample_rows(specification("rtf"), npi=VALID_NPI, tin=VALID_TIN)

    sample_file_check(
        application=filled,
        user=authorized_official,
        kind="rtf",
        upload=ContentFile(as_csv(rows), name="another-rtf.csv"),
    )

    assert signed_content_sha256(fresh(filled), Kind.DATA_SHARING) != before


# Who signs ------------------------------------------------------------------------------------


def test_a_preparer_saves_everything_but_cannot_sign_and_sees_who_signs(
    filled, preparer, authorized_official
):
    client = signed_in(preparer)
    page = html.unescape(client.get(f"/applications/{filled.pk}/data-sharing/").content.decode())
    assert "Ana Official, your organization's authorized official, signs this section" in page
    assert "signature-confirm" not in page

    saved = post_step(client, filled, action="save", adt_source="LANES")
    assert saved.status_code == 302
    assert fresh(filled).data_sharing.adt_source == "LANES"

    refused = post_step(client, filled, action="submit", **SIGNED)
    assert "Only your organization's authorized official can submit this section" in (
        html.unescape(refused.content.decode())
    )
    assert not fresh(filled).data_sharing.is_signed
    assert fresh(filled).step(Kind.DATA_SHARING).status == ApplicationStep.Status.DRAFT


def test_submitting_without_a_signature_is_refused(filled, authorized_official):
    response = post_step(signed_in(authorized_official), filled, action="submit")

    assert response.status_code == 200
    assert "Type your full name and title to sign the attestation." in response.content.decode()
    assert fresh(filled).step(Kind.DATA_SHARING).status == ApplicationStep.Status.DRAFT


# The name on the account ------------------------------------------------------------------------


def test_a_name_other_than_the_accounts_is_refused_saying_which_name_it_holds(
    filled, authorized_official
):
    response = post_step(
        signed_in(authorized_official),
        filled,
        action="submit",
        **{**SIGNED, "signature-full_name": "Anna Officer"},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "The name you typed to sign, Anna Officer, is not the name on your account" in page
    assert "Ana Official" in page
    assert not fresh(filled).data_sharing.is_signed
    assert fresh(filled).step(Kind.DATA_SHARING).status == ApplicationStep.Status.DRAFT
    with pytest.raises(OnboardingError, match="not the name on your account, Ana Official"):
        step_submit(
            application=fresh(filled),
            kind=Kind.DATA_SHARING,
            user=authorized_official,
            signature=Signature("Pia Preparer", "Executive Director"),
        )


def test_the_name_matches_whatever_its_case_and_spacing(filled, authorized_official):
    response = post_step(
        signed_in(authorized_official),
        filled,
        action="submit",
        **{**SIGNED, "signature-full_name": "  ana   OFFICIAL "},
    )

    assert response.status_code == 302
    assert fresh(filled).data_sharing.signer_name == "ana OFFICIAL"


def test_the_signature_starts_with_the_accounts_name_and_title(filled, authorized_official):
    page = signed_in(authorized_official).get(f"/applications/{filled.pk}/data-sharing/")

    assert 'name="signature-full_name" value="Ana Official"' in page.content.decode()


# Voided by a change ----------------------------------------------------------------------------


def test_a_change_after_signing_voids_the_signature_and_submission_needs_it_again(
    filled, authorized_official, reviewer
):
    application = signed_then_returned(filled, authorized_official, reviewer)
    client = signed_in(authorized_official)

    post_step(client, application, action="save", privacy_officer_phone="(213) 555-0199")

    profile = fresh(application).data_sharing
    assert not profile.is_signed
    assert profile.is_voided
    assert fresh(application).events.filter(kind=ApplicationEvent.Kind.SIGNATURE_VOIDED).exists()
    page = client.get(f"/applications/{application.pk}/data-sharing/").content.decode()
    assert "Signature voided: the answers changed after signing" in page

    refused = post_step(client, application, action="submit")
    assert "Type your full name and title to sign" in refused.content.decode()
    assert fresh(application).step(Kind.DATA_SHARING).status == ApplicationStep.Status.RETURNED

    resigned = post_step(client, application, action="submit", **SIGNED)
    assert resigned.status_code == 302
    profile = fresh(application).data_sharing
    assert profile.is_signed
    assert profile.content_sha256 == signed_content_sha256(fresh(application), Kind.DATA_SHARING)
    assert fresh(application).step(Kind.DATA_SHARING).status == ApplicationStep.Status.SUBMITTED


def test_saving_the_same_answers_again_keeps_the_signature(filled, authorized_official, reviewer):
    application = signed_then_returned(filled, authorized_official, reviewer)

    post_step(signed_in(authorized_official), application, action="save")

    assert fresh(application).data_sharing.is_signed


# The reviewer ----------------------------------------------------------------------------------


def test_the_reviewer_sees_the_data_sharing_signature_and_whether_it_matches(
    filled, authorized_official, reviewer
):
    submit_data_sharing_step(filled, authorized_official)
    client = signed_in(reviewer)

    page = client.get(f"/review/applications/{filled.pk}/").content.decode()
    assert fresh(filled).data_sharing.content_sha256 in page

    # Changed behind the signature's back (not through the portal): shown as a mismatch.
    DataSharingProfile.objects.filter(application=filled).update(adt_source="Changed")
    page = client.get(f"/review/applications/{filled.pk}/").content.decode()
    assert "the signature does not match the content shown" in page


# Date columns -----------------------------------------------------------------------------------


def test_each_date_column_states_the_accepted_formats(application, authorized_official):
    page = html.unescape(
        signed_in(authorized_official)
        .get(f"/applications/{application.pk}/data-sharing/")
        .content.decode()
    )

    stated = f"Date: write it as {accepted_date_formats()}"
    assert "MM/DD/YYYY (07/31/2025), YYYY-MM-DD (2025-07-31) or YYYYMMDD (20250731)" in stated
    date_columns = sum(
        specification(kind).columns.filter(format="date").count() for kind in ("rtf", "otf")
    )
    assert date_columns > 0
    assert page.count(stated) == date_columns


@pytest.mark.parametrize(("pattern", "example"), DATE_FORMATS)
def test_every_format_stated_is_one_the_check_accepts(pattern, example):
    assert DATE_PATTERN.fullmatch(example), pattern


def test_an_account_made_before_names_were_asked_signs_with_the_name_typed(
    filled, authorized_official
):
    """No name on the account to compare with: the typed name is taken, and the email address
    is never offered as a name."""
    User.objects.filter(pk=authorized_official.pk).update(full_name="")
    official = User.objects.get(pk=authorized_official.pk)
    assert signature_prefill(official)["full_name"] == ""
    step_submit(
        application=filled,
        kind=ApplicationStep.Kind.DATA_SHARING,
        user=official,
        signature=Signature("Ana Official", "Executive Director"),
    )
    assert fresh(filled).data_sharing.signer_name == "Ana Official"
