"""The data-sharing step: answers, sample uploads through the page, deletion, submission, review."""

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import Client
from django.utils.html import escape

from data_exchange.models import FileSpecification, SampleFileCheck, SampleFileReport
from data_exchange.services import sample_file_check, specification_make_current
from onboarding.exceptions import OnboardingError, StepIncomplete
from onboarding.flows import OnboardingFlow
from onboarding.forms import DataSharingForm
from onboarding.models import Application, ApplicationEvent, ApplicationStep
from onboarding.requirements import data_sharing_problems
from onboarding.services.steps import data_sharing_save
from portal.models import AuditEvent, User
from reviews.models import Deficiency, ReviewDecision
from reviews.review_items import deficiency_requirements
from reviews.services.decisions import DeficiencyItem
from tests.data_sharing.samples import as_csv, sample_rows, specification
from tests.factories import (
    DATA_SHARING_ANSWERS,
    VALID_NPI,
    VALID_TIN,
    UserFactory,
    check_valid_samples,
    decide,
    fill_data_sharing_step,
    submit_data_sharing_step,
)

pytestmark = pytest.mark.django_db

Kind = ApplicationStep.Kind
Outcome = ReviewDecision.Outcome
CIN_HEADING = "Member Client Index Number (CIN)"


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def rtf_with_bad_cin() -> bytes:
    rows = sample_rows(specification("rtf"), npi=VALID_NPI, tin=VALID_TIN)
    rows[2][rows[0].index(CIN_HEADING)] = "5550001"
    return as_csv(rows)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The page and the deletion of the sample ---------------------------------------------------------


def test_the_page_says_the_sample_is_deleted_before_anything_is_uploaded(
    application, authorized_official
):
    page = signed_in(authorized_official).get(f"/applications/{application.pk}/data-sharing/")
    html = page.content.decode()

    notice = html.index("Your file is deleted as soon as it is checked.")
    assert notice < html.index('name="sample-file"')
    assert "the plan currently requires version 2025-07" in html


def test_an_uploaded_sample_is_deleted_and_only_its_report_is_kept(
    entity_filled, authorized_official, settings, tmp_path, media_root, monkeypatch
):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # the upload is spooled to a real file on disk
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    seen_on_disk: list[str] = []

    def spy(self: TemporaryUploadedFile) -> Any:
        seen_on_disk.extend(p.name for p in uploads.iterdir())
        return original(self)

    def stored_files() -> set[Path]:
        return {p for p in Path(media_root).rglob("*") if p.is_file()}

    before = stored_files()
    original = TemporaryUploadedFile.close
    monkeypatch.setattr(TemporaryUploadedFile, "close", spy)  # observes, then really closes

    response = signed_in(authorized_official).post(
        f"/applications/{entity_filled.pk}/data-sharing/samples/",
        {"sample-kind": "rtf", "sample-file": ContentFile(rtf_with_bad_cin(), name="june-rtf.csv")},
        follow=True,
    )
    monkeypatch.undo()

    assert seen_on_disk, "the upload should have been on disk while it was checked"
    assert list(uploads.iterdir()) == []
    assert stored_files() == before  # the entity step's evidence, nothing more
    report = SampleFileReport.objects.get()
    assert (report.file_name, report.passed, report.line_count) == ("june-rtf.csv", False, 3)
    html = response.content.decode()
    assert "The file has been deleted." in html
    assert f"Line 3, column {CIN_HEADING}: the value should be 8 digits" in html
    assert "5550001" not in html


def test_checking_a_sample_from_the_page_saves_the_answers_typed_so_far(
    entity_filled, authorized_official
):
    answers = {"documentation_system": "CareNotes", "privacy_officer_name": "Pat Privacy"}

    response = signed_in(authorized_official).post(
        f"/applications/{entity_filled.pk}/data-sharing/",
        {
            **answers,
            "action": "check_sample",
            "sample-kind": "rtf",
            "sample-file": ContentFile(rtf_with_bad_cin(), name="june-rtf.csv"),
        },
    )

    assert response.status_code == 302
    check = SampleFileCheck.objects.get()  # the check runs in a job: its progress page is next
    assert (
        response["Location"] == f"/applications/{entity_filled.pk}/data-sharing/samples/{check.pk}/"
    )
    profile = fresh(entity_filled).data_sharing
    assert (profile.documentation_system, profile.privacy_officer_name) == (
        "CareNotes",
        "Pat Privacy",
    )
    assert SampleFileReport.objects.get().file_name == "june-rtf.csv"


def test_answers_that_need_fixing_are_kept_on_the_page_and_the_sample_waits(
    entity_filled, authorized_official
):
    response = signed_in(authorized_official).post(
        f"/applications/{entity_filled.pk}/data-sharing/",
        {
            "documentation_system": "CareNotes",
            "privacy_officer_phone": "call the front desk",
            "action": "check_sample",
            "sample-kind": "rtf",
            "sample-file": ContentFile(rtf_with_bad_cin(), name="june-rtf.csv"),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your sample was not checked, because some answers need fixing first" in html
    assert 'value="CareNotes"' in html
    assert "Enter a 10-digit phone number, like (213) 555-0100." in html
    assert not SampleFileReport.objects.exists()


def test_the_sample_fields_belong_to_the_answers_form(application, authorized_official):
    html = signed_in(authorized_official).get(f"/applications/{application.pk}/data-sharing/")

    page = html.content.decode()
    assert 'id="step-form"' in page
    file_input = re.search(r'<input[^>]*name="sample-file"[^>]*>', page)
    assert file_input is not None
    assert 'form="step-form"' in file_input.group()
    assert re.search(r'<button[^>]*form="step-form"[^>]*value="check_sample"', page)


def test_the_temporary_upload_is_deleted_even_when_the_check_is_refused(
    entity_approved, authorized_official
):
    fill_data_sharing_step(entity_approved, authorized_official)
    submit_data_sharing_step(fresh(entity_approved), authorized_official)
    upload = TemporaryUploadedFile("rtf.csv", "text/csv", 0, "utf-8")
    upload.write(rtf_with_bad_cin())
    upload.seek(0)
    path = Path(upload.temporary_file_path())
    assert path.exists()

    with pytest.raises(OnboardingError, match="submitted and can no longer be changed"):
        sample_file_check(
            application=fresh(entity_approved), user=authorized_official, kind="rtf", upload=upload
        )

    assert not path.exists()


def test_a_check_is_on_the_timeline_and_audit_trail_but_no_member_data_is_logged(
    entity_filled, authorized_official, caplog
):
    caplog.set_level(logging.DEBUG)
    sample_file_check(
        application=entity_filled,
        user=authorized_official,
        kind="rtf",
        upload=ContentFile(rtf_with_bad_cin(), name="rtf.csv"),
    )

    event = entity_filled.events.get(kind=ApplicationEvent.Kind.SAMPLE_FILE_CHECKED)
    assert event.detail == "RTF 2025-07: 1 problem(s) found"
    assert AuditEvent.objects.filter(summary__contains="RTF 2025-07: 1 problem(s) found").exists()
    assert "5550001" not in caplog.text
    assert "90000000A" not in caplog.text
    assert "Sample" not in caplog.text


def test_another_organizations_applicant_cannot_check_a_sample_on_this_application(
    entity_filled,
):
    outsider = UserFactory.create()
    response = signed_in(outsider).post(
        f"/applications/{entity_filled.pk}/data-sharing/samples/",
        {"sample-kind": "rtf", "sample-file": ContentFile(rtf_with_bad_cin(), name="rtf.csv")},
    )

    assert response.status_code == 404
    assert not SampleFileReport.objects.exists()


def test_a_sample_upload_without_a_file_or_kind_says_what_to_choose(
    entity_filled, authorized_official
):
    response = signed_in(authorized_official).post(
        f"/applications/{entity_filled.pk}/data-sharing/samples/", {}, follow=True
    )

    html = response.content.decode()
    assert "Choose whether the sample is an RTF or an OTF." in html
    assert "Choose the sample file to upload." in html
    assert not SampleFileReport.objects.exists()


# The readiness answers ---------------------------------------------------------------------------


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        key: ("true" if value is True else "false" if value is False else value)
        for key, value in DATA_SHARING_ANSWERS.items()
    }
    data.update({"has_signed_baa": "on", "acknowledges_billing_codes": "on"})
    data.update(changes)
    return data


def test_readiness_answers_are_checked_with_plain_messages():
    form = DataSharingForm(
        form_data(
            privacy_officer_phone="555-0101",
            security_officer_phone="call the front desk",
            dxf_signed_on="2999-01-01",
            privacy_officer_email="pat at sunrise",
        )
    )

    assert not form.is_valid()
    assert form.errors["privacy_officer_phone"] == [
        "Enter a 10-digit phone number, like (213) 555-0100."
    ]
    assert form.errors["security_officer_phone"] == [
        "Enter a 10-digit phone number, like (213) 555-0100."
    ]
    assert form.errors["dxf_signed_on"] == ["The signing date cannot be in the future."]
    assert "privacy_officer_email" in form.errors


def test_a_complete_readiness_form_is_valid_and_saved_as_answered():
    form = DataSharingForm(form_data(uses_mfa="false"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["uses_mfa"] is False
    assert form.cleaned_data["dxf_in_participant_directory"] is True


def test_what_the_readiness_step_needs_before_it_can_be_submitted(
    entity_filled, authorized_official
):
    data_sharing_save(
        application=entity_filled,
        user=authorized_official,
        data={
            "rtf_return_method": "secure_email",
            "has_secure_email": False,
            "dxf_status": "signed",
        },
    )

    problems = {p.field: p.message for p in data_sharing_problems(fresh(entity_filled))}

    assert problems["has_secure_email"] == (
        "You chose secure email to exchange files: confirm you can use secure email."
    )
    assert problems["dxf_signatory_name"] == "Name the person who signed the DxF agreement."
    assert problems["uses_mfa"] == "Answer: do staff use multi-factor authentication?"
    assert problems["privacy_officer_phone"] == "Give your privacy officer's phone number."
    assert problems["breach_contact_name"] == "Name the person to contact about a data breach."
    assert problems["baa_document"] == "Upload the signed business associate agreement."
    assert problems["acknowledges_billing_codes"] == "Acknowledge the ECM billing codes."
    assert problems["sample_rtf"] == ("Upload a sample RTF (version 2025-07) and have it checked.")
    assert problems["sample_otf"] == "Upload a sample OTF (version 2022) and have it checked."


# Submission waits for the current version's check ----------------------------------------------


def test_the_step_cannot_be_submitted_until_the_current_versions_check_passes(
    entity_approved, authorized_official
):
    application = entity_approved
    fill_data_sharing_step(application, authorized_official, check_samples=False)

    def submit() -> None:
        submit_data_sharing_step(fresh(application), authorized_official)

    with pytest.raises(StepIncomplete) as missing:
        submit()
    assert {p.field for p in missing.value.problems} == {"sample_rtf", "sample_otf"}

    check_valid_samples(application, authorized_official)
    sample_file_check(
        application=application,
        user=authorized_official,
        kind="rtf",
        upload=ContentFile(rtf_with_bad_cin(), name="rtf.csv"),
    )
    with pytest.raises(StepIncomplete) as failing:
        submit()
    assert [p.message for p in failing.value.problems] == [
        "The check of your sample RTF found problems. Correct them and upload the sample again."
    ]

    new_version = FileSpecification.objects.create(kind="otf", version="2026-01", title="New OTF")
    for column in specification("otf", "2022").columns.all():
        new_version.columns.create(name=column.name, format=column.format, required=column.required)
    specification_make_current(specification=new_version)
    check_valid_samples(application, authorized_official)  # both kinds, against 2026-01 now
    specification_make_current(specification=specification("otf", "2022"))
    with pytest.raises(StepIncomplete) as outdated:
        submit()
    assert [p.message for p in outdated.value.problems] == [
        "The plan now requires version 2022 of the OTF. Check a sample in that version."
    ]

    check_valid_samples(application, authorized_official)
    submit()
    assert fresh(application).step(Kind.DATA_SHARING).status == ApplicationStep.Status.SUBMITTED


def test_only_one_version_of_each_file_is_current():
    specification_make_current(specification=specification("rtf", "2022"))

    assert list(
        FileSpecification.objects.filter(is_current=True).values_list("kind", "version")
    ) == [("otf", "2022"), ("rtf", "2022")]


# The reviewer ----------------------------------------------------------------------------------


def test_the_reviewer_sees_the_answers_the_latest_report_and_its_history(
    entity_approved, authorized_official, reviewer
):
    application = entity_approved
    sample_file_check(
        application=application,
        user=authorized_official,
        kind="rtf",
        upload=ContentFile(rtf_with_bad_cin(), name="first-try.csv"),
    )
    fill_data_sharing_step(application, authorized_official)
    submit_data_sharing_step(fresh(application), authorized_official)

    html = signed_in(reviewer).get(f"/review/applications/{application.pk}/").content.decode()

    assert "Manifest MedEx" in html  # the ADT intermediary answered
    assert "(213) 555-0101" in html
    assert "sample-rtf.csv, checked against RTF 2025-07: 3 line(s) of data" in html
    assert "History: 2 checks" in html
    assert "first-try.csv" in html
    assert "1 problem" in html


def test_the_reviewer_returns_data_sharing_item_by_item_and_the_applicant_fixes_it(
    entity_approved, authorized_official, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    application = entity_approved
    fill_data_sharing_step(application, authorized_official)
    submit_data_sharing_step(fresh(application), authorized_official)
    task_page = signed_in(reviewer)

    with django_capture_on_commit_callbacks(execute=True):  # the email goes out on commit
        decide(
            OnboardingFlow.review_data_sharing,
            fresh(application),
            reviewer,
            Outcome.RETURN,
            deficiencies=[
                DeficiencyItem("sample_otf", "Outreach methods are free text", "Use plan codes."),
                DeficiencyItem("privacy_officer_phone", "This number is not answered"),
            ],
        )

    step = fresh(application).step(Kind.DATA_SHARING)
    assert step.status == ApplicationStep.Status.RETURNED
    page = signed_in(authorized_official).get(f"/applications/{application.pk}/data-sharing/")
    html = page.content.decode()
    assert "Outreach methods are free text" in html
    assert "Returned: This number is not answered" in html
    items = dict(deficiency_requirements(ReviewDecision.Stage.DATA_SHARING))
    phone = items["privacy_officer_phone"]
    assert "(Sample OTF)" in html  # each returned item by its name, never its internal key
    assert f"({escape(phone)})" in html
    assert "sample_otf" not in html
    email = next(m for m in mailoutbox if "returned" in m.body.lower()).body
    assert "- Sample OTF: Outreach methods are free text. Use plan codes." in email
    reviewer_view = task_page.get(f"/review/applications/{application.pk}/").content.decode()
    assert "Sample OTF: Outreach methods are free text" in reviewer_view
    check_valid_samples(application, authorized_official)
    data_sharing_save(
        application=fresh(application),
        user=authorized_official,
        data={"privacy_officer_phone": "(213) 555-0199"},
    )
    submit_data_sharing_step(fresh(application), authorized_official)
    assert not Deficiency.objects.filter(resolved_at__isnull=True).exists()
    assert task_page.get(f"/review/applications/{application.pk}/").status_code == 200


def test_the_reviewers_return_form_offers_each_sample_and_the_baa_as_items(
    entity_approved, authorized_official, reviewer
):
    items = dict(deficiency_requirements(ReviewDecision.Stage.DATA_SHARING))

    assert items["sample_rtf"] == "Sample RTF"
    assert items["sample_otf"] == "Sample OTF"
    assert items["baa_document"] == "Signed business associate agreement (document)"
    assert "uses_mfa" in items
