"""The attestation step's page as the applicant uses it: errors in one round, uploads that keep
what was typed, removals that ask first, and an upload list that suggests what is missing."""

import re
from typing import Any

import pytest
from django.test import Client

from onboarding.attestation_text import ATTESTATION_VERSION
from onboarding.models import Application
from portal.models import User
from tests.attestations.conftest import fresh
from tests.factories import PDF, pdf_upload

pytestmark = pytest.mark.django_db


def answers(application: Application, **overrides: object) -> dict[str, object]:
    """The attestation form as the page sends it, with the answers saved so far."""
    data: dict[str, object] = {
        "languages_offered": application.capability_attestation.languages_offered,
        "care_settings": application.capability_attestation.care_settings,
        "signature-full_name": "Ana Official",
        "signature-title": "Executive Director",
        "signature-version": ATTESTATION_VERSION,
    }
    for row in application.criterion_attestations.all():
        data[f"criterion_{row.criterion}"] = "on" if row.attested else ""
        data[f"narrative_{row.criterion}"] = row.narrative
    data.update(overrides)
    return data


def test_every_error_of_the_attestation_step_is_reported_in_one_round(
    ready: Application, authorized_official: User
) -> None:
    client = Client()
    client.force_login(authorized_official)
    # The box is not ticked, and the languages and criterion 3 are missing.
    data = answers(ready, languages_offered="", criterion_3="", action="submit")
    page = client.post(f"/applications/{ready.pk}/attestations/", data).content.decode()
    summary = page[page.index('id="form-errors"') : page.index("</ul>", page.index("form-errors"))]
    assert "Tick the box to confirm the attestation." in summary
    assert "List the languages you offer." in summary
    assert "Attest to criterion 3." in summary
    assert fresh(ready).capability_attestation.languages_offered == "", "the draft is saved"


def test_uploading_a_document_keeps_the_answers_typed_on_the_page(
    ready: Application, authorized_official: User
) -> None:
    client = Client()
    client.force_login(authorized_official)
    data = answers(
        ready,
        languages_offered="English, Spanish, Tagalog",
        requirement="Partner agreement",
        file=pdf_upload("mou.pdf", PDF + b"a partner agreement"),
        action="upload",
    )
    response = client.post(f"/applications/{ready.pk}/attestations/", data)
    assert response.status_code == 302
    assert response["Location"].endswith("/attestations/#documents")
    application = fresh(ready)
    assert application.capability_attestation.languages_offered == "English, Spanish, Tagalog"
    assert application.documents.filter(requirement="Partner agreement").exists()
    page = client.get(response["Location"]).content.decode()
    assert 'value="English, Spanish, Tagalog"' in page
    assert "Document uploaded." in page


def test_a_refused_upload_still_keeps_the_answers_and_says_why(
    ready: Application, authorized_official: User
) -> None:
    client = Client()
    client.force_login(authorized_official)
    data = answers(
        ready,
        languages_offered="English, Korean",
        requirement="Partner agreement",
        action="upload",
    )  # no file chosen
    response = client.post(f"/applications/{ready.pk}/attestations/", data, follow=True)
    page = response.content.decode()
    assert "Choose a file to upload." in page
    assert 'value="English, Korean"' in page
    assert fresh(ready).capability_attestation.languages_offered == "English, Korean"
    assert not fresh(ready).documents.filter(requirement="Partner agreement").exists()


def test_the_upload_is_sent_with_the_answers(ready: Application, authorized_official: User) -> None:
    client = Client()
    client.force_login(authorized_official)
    page = client.get(f"/applications/{ready.pk}/attestations/").content.decode()
    for name in ("requirement", "file"):
        tag = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page)
        assert tag, name
        assert 'form="step-form"' in tag.group(0), name
    button = re.search(r'<button[^>]*value="upload"[^>]*>', page)
    assert button
    assert 'form="step-form"' in button.group(0)
    assert 'formenctype="multipart/form-data"' in button.group(0)


@pytest.mark.parametrize("row", ["care_team", "partner", "document"])
def test_remove_asks_first_and_removes_only_when_confirmed(
    ready: Application, authorized_official: User, row: str
) -> None:
    client = Client()
    client.force_login(authorized_official)
    rows: Any = {
        "care_team": ready.care_team,
        "partner": ready.community_partners,
        "document": ready.documents.filter(step_kind="attestations"),
    }[row]
    obj = rows.first()
    path = {"care_team": "care-team", "partner": "partners", "document": "documents"}[row]
    url = f"/applications/{ready.pk}/{path}/{obj.pk}/remove/"
    step_page = client.get(f"/applications/{ready.pk}/attestations/").content.decode()
    assert f'href="{url}"' in step_page, "the step page links to the question"
    assert f'action="{url}"' not in step_page, "no button removes at once"

    question = client.get(url)
    assert question.status_code == 200
    assert 'method="post"' in question.content.decode()
    assert rows.filter(pk=obj.pk).exists(), "asking removes nothing"

    response = client.post(url)
    assert response.status_code == 302
    assert "/attestations/" in response["Location"]
    assert not rows.filter(pk=obj.pk).exists()


def test_the_document_list_does_not_start_at_a_document_already_uploaded(
    ready: Application, authorized_official: User
) -> None:
    client = Client()
    client.force_login(authorized_official)
    uploaded = set(
        ready.documents.filter(step_kind="attestations").values_list("requirement", flat=True)
    )
    assert uploaded, "the fixture uploads the evidence the plan requires"
    page = client.get(f"/applications/{ready.pk}/attestations/").content.decode()
    select = page[
        page.index('name="requirement"') : page.index("</select>", page.index("id_requirement"))
    ]
    selected = re.findall(r'<option value="([^"]*)"[^>]*selected', select)
    # With no option marked, a browser starts at the first one.
    starts_at = selected[0] if selected else re.findall(r'<option value="([^"]*)"', select)[0]
    assert starts_at not in uploaded
    assert starts_at, "a kind still missing is offered first"


def test_save_and_add_another_leads_to_an_empty_form_for_the_next_row(
    application: Application, authorized_official: User
) -> None:
    client = Client()
    client.force_login(authorized_official)
    add = f"/applications/{application.pk}/care-team/add/"
    assert "Save and add another" in client.get(add).content.decode()
    response = client.post(
        add,
        {
            "member-role": "lead_care_manager",
            "member-full_name": "Lee Lead",
            "member-fte": "1.00",
            "then": "add_another",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == add
    response = client.post(
        add,
        {"member-role": "ecm_director", "member-full_name": "Dee Director", "member-fte": "0.50"},
    )
    assert response["Location"] == f"/applications/{application.pk}/attestations/"
    assert [m.full_name for m in application.care_team.order_by("pk")] == [
        "Lee Lead",
        "Dee Director",
    ]
    editing = f"/applications/{application.pk}/care-team/{application.care_team.earliest('pk').pk}/"
    assert "Save and add another" not in client.get(editing).content.decode()
