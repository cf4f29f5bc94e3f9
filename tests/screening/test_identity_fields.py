"""The entity step's identity fields are validated on the server, in words applicants understand,
and the evidence checklist follows the entity types chosen."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from documents.services import document_upload
from onboarding.exceptions import StepIncomplete
from onboarding.models import Application, ApplicationStep, EntityType
from onboarding.services.steps import entity_profile_save, step_submit
from screening.identifiers import (
    normalise_us_phone,
    validate_medi_cal_provider_number,
    validate_sos_entity_number,
)
from tests.factories import fill_entity_step, pdf_upload, signature_of

FORM = {
    "legal_name": "Sunrise Community Services",
    "dba_name": "",
    "other_justification": "",
    "tin": "98-7654321",
    "npi": "1234567893",
    "medi_cal_provider_number": "",
    "sos_entity_number": "",
    "service_address": "100 Main St, Los Angeles, CA 90012",
    "mailing_address": "",
    "counties": ["los_angeles"],
    "official_name": "Ana Official",
    "official_title": "Executive Director",
    "contact_name": "Ana",
    "contact_email": "ana@sunrise.example",
    "contact_phone": "",
}


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("C1234567", "C1234567"),
        ("2019-1234-5678", "201912345678"),
        ("b20230012345", "B20230012345"),
    ],
)
def test_secretary_of_state_numbers_in_their_published_forms_are_accepted(written, stored):
    assert validate_sos_entity_number(written) == stored


@pytest.mark.parametrize("written", ["C123", "CC1234567", "1234567890123", "C12345X7"])
def test_a_malformed_secretary_of_state_number_says_what_it_should_look_like(written):
    with pytest.raises(ValidationError) as error:
        validate_sos_entity_number(written)
    assert "a letter and 7 digits (C1234567) or 12 digits" in error.value.messages[0]


def test_medi_cal_provider_number_is_letters_and_digits():
    assert validate_medi_cal_provider_number("zzz 12345f") == "ZZZ12345F"
    with pytest.raises(ValidationError) as error:
        validate_medi_cal_provider_number("AB#1")
    assert error.value.messages == [
        "A Medi-Cal provider number has 6 to 15 letters and digits (you entered 4 characters)."
    ]


@pytest.mark.parametrize("written", ["213-555-0123", "(213) 555 0123", "+1 213 555 0123"])
def test_phone_numbers_are_stored_in_one_form(written):
    assert normalise_us_phone(written) == "(213) 555-0123"


def test_a_short_phone_number_is_refused():
    with pytest.raises(ValidationError, match="10 digits"):
        normalise_us_phone("555-0123")


def entity_page(client: Client, application: Application, **changes: str) -> str:
    response = client.post(
        f"/applications/{application.pk}/entity/", {**FORM, **changes, "action": "save"}
    )
    return response.content.decode() if response.status_code == 200 else ""


def test_the_tin_is_shown_masked_and_a_masked_tin_sent_back_keeps_the_stored_one(
    client, application, authorized_official, preparer
):
    client.force_login(authorized_official)
    entity_page(client, application)
    client.force_login(preparer)

    page = client.get(f"/applications/{application.pk}/entity/").content.decode()
    assert "XX-XXX4321" in page
    assert "987654321" not in page
    assert "98-7654321" not in page
    entity_page(client, application, tin="XX-XXX4321", legal_name="Sunrise CS")

    application.entity_profile.refresh_from_db()
    assert application.entity_profile.tin == "987654321"
    assert application.entity_profile.legal_name == "Sunrise CS"


def test_identity_field_errors_name_what_is_wrong(client, application, authorized_official):
    client.force_login(authorized_official)

    page = entity_page(
        client,
        application,
        tin="12-34567A9",
        sos_entity_number="C12",
        contact_phone="555",
        medi_cal_provider_number="A1",
    )

    assert "A TIN/EIN contains digits only, for example 12-3456789." in page
    assert "A Secretary of State entity number is a letter and 7 digits" in page
    assert "A phone number has 10 digits, for example (213) 555-0123." in page
    assert "A Medi-Cal provider number has 6 to 15 letters and digits" in page
    application.entity_profile.refresh_from_db()
    assert application.entity_profile.tin == ""


def test_the_checklist_lists_the_evidence_of_each_chosen_type_and_what_is_uploaded(
    client, application, authorized_official
):
    fqhc = EntityType.objects.get(code="fqhc")
    entity_profile_save(
        application=application, user=authorized_official, data={"entity_types": [fqhc]}
    )
    required = fqhc.evidence_requirements.filter(is_required=True).first()
    assert required is not None
    client.force_login(authorized_official)

    page = client.get(f"/applications/{application.pk}/entity/").content.decode()
    assert "Evidence checklist" in page
    assert required.title in page
    assert ">required<" in page
    document_upload(
        application=application,
        step_kind=ApplicationStep.Kind.ENTITY,
        user=authorized_official,
        evidence_requirement=required,
        upload=pdf_upload(),
    )
    page = client.get(f"/applications/{application.pk}/entity/").content.decode()
    assert ">uploaded<" in page


def test_other_qualified_entity_cannot_be_submitted_without_a_justification(
    application, authorized_official
):
    other = EntityType.objects.get(code="other_dhcs_approved")
    fill_entity_step(application, authorized_official, entity_types=[other])

    with pytest.raises(StepIncomplete) as error:
        step_submit(
            application=application,
            kind="entity",
            user=authorized_official,
            signature=signature_of(authorized_official),
        )

    problems = {p.field: p.message for p in error.value.problems}
    assert problems["other_justification"] == "Explain in writing why your organization qualifies."
    assert application.step("entity").status == ApplicationStep.Status.DRAFT
