"""The reviewer accepts or returns each item; on resubmission they see exactly what changed."""

import html
import re
from typing import Any

import pytest
from django.test import Client
from viewflow.workflow.models import Task

from onboarding.flows import OnboardingFlow
from onboarding.models import ApplicationStep, CareTeamMember
from onboarding.services.attestations import capacity_table_save
from onboarding.services.steps import (
    Signature,
    attestations_save,
    care_team_member_remove,
    care_team_member_save,
    step_submit,
)
from reviews.models import AcceptedItem, Deficiency, ReviewDecision
from reviews.review_items import ATTESTATION_ITEMS
from reviews.submission_diff import Change, attestation_changes
from tests.attestations.conftest import fresh

pytestmark = pytest.mark.django_db

Kind = ApplicationStep.Kind
SIGNATURE = Signature("Ana Official", "Executive Director")
ITEMS = [item for item, _ in ATTESTATION_ITEMS]
NEW_NARRATIVE = "We reach every referred member within three working days, in person."


def submit(application, official) -> None:
    step_submit(
        application=fresh(application), kind=Kind.ATTESTATIONS, user=official, signature=SIGNATURE
    )


def claimed_task(client: Client, application) -> Task:
    task = Task.objects.get(
        process_id=application.process.pk,
        flow_task=OnboardingFlow.review_attestations,
        status="NEW",
    )
    assert client.post(f"/review/tasks/{task.pk}/claim/").status_code == 302
    return task


def decision_data(outcome: str, verdicts: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "outcome": outcome,
        "reason": "",
        "deficiency-TOTAL_FORMS": "3",
        "deficiency-INITIAL_FORMS": "0",
        "deficiency-MIN_NUM_FORMS": "0",
        "deficiency-MAX_NUM_FORMS": "20",
    }
    for item in ITEMS:
        verdict = verdicts.get(item, "accept")
        if isinstance(verdict, tuple):
            code, comment = verdict
            data |= {
                f"item-{item}-verdict": "return",
                f"item-{item}-reason_code": code,
                f"item-{item}-comment": comment,
            }
        elif verdict:
            data[f"item-{item}-verdict"] = verdict
    return data


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client


def test_every_item_must_be_accepted_or_returned(ready, authorized_official, reviewer_client):
    submit(ready, authorized_official)
    task = claimed_task(reviewer_client, ready)
    response = reviewer_client.post(
        f"/review/tasks/{task.pk}/", decision_data("approve", {"capacity": ""})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Accept or return each item, as marked below." in page
    assert "Accept or return this item." in page
    assert not fresh(ready).decisions.filter(stage="attestations").exists()


def test_a_returned_item_needs_a_reason_code_and_a_comment(
    ready, authorized_official, reviewer_client
):
    submit(ready, authorized_official)
    task = claimed_task(reviewer_client, ready)
    data = decision_data("return", {})
    data["item-care_team-verdict"] = "return"
    page = reviewer_client.post(f"/review/tasks/{task.pk}/", data).content.decode()
    assert "Choose why you are returning this item." in page
    assert "Tell the applicant what to change." in page


def test_approving_while_returning_an_item_is_refused(ready, authorized_official, reviewer_client):
    submit(ready, authorized_official)
    task = claimed_task(reviewer_client, ready)
    data = decision_data("approve", {"criterion_3": ("insufficient_narrative", "Say how fast.")})
    page = reviewer_client.post(f"/review/tasks/{task.pk}/", data).content.decode()
    assert "You returned some items." in page
    assert fresh(ready).step(Kind.ATTESTATIONS).status == ApplicationStep.Status.SUBMITTED


def test_items_are_returned_one_by_one_with_reason_codes(
    ready, authorized_official, reviewer_client
):
    submit(ready, authorized_official)
    task = claimed_task(reviewer_client, ready)
    data = decision_data(
        "return",
        {
            "criterion_3": ("insufficient_narrative", "Say how fast you reach new members."),
            "care_team": ("license_problem", "Add a second clinical consultant."),
        },
    )
    response = reviewer_client.post(f"/review/tasks/{task.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    decision = fresh(ready).decisions.get(stage="attestations")
    assert decision.outcome == ReviewDecision.Outcome.RETURN
    returned = {d.requirement: d for d in Deficiency.objects.filter(decision=decision)}
    assert set(returned) == {"criterion_3", "care_team"}
    assert returned["criterion_3"].reason_code == "insufficient_narrative"
    assert returned["criterion_3"].comment == "Say how fast you reach new members."
    assert returned["care_team"].reason == "License or certificate problem"
    accepted = set(
        AcceptedItem.objects.filter(decision=decision).values_list("requirement", flat=True)
    )
    assert accepted == set(ITEMS) - {"criterion_3", "care_team"}
    assert fresh(ready).step(Kind.ATTESTATIONS).status == ApplicationStep.Status.RETURNED

    # The applicant sees each returned item next to what it concerns.
    client = Client()
    client.force_login(authorized_official)
    page = client.get(f"/applications/{ready.pk}/attestations/").content.decode()
    assert "Say how fast you reach new members." in page
    assert "Add a second clinical consultant." in page


def test_accepting_every_item_approves_the_step(ready, authorized_official, reviewer_client):
    submit(ready, authorized_official)
    task = claimed_task(reviewer_client, ready)
    response = reviewer_client.post(f"/review/tasks/{task.pk}/", decision_data("approve", {}))
    assert response.status_code == 302
    decision = fresh(ready).decisions.get(stage="attestations")
    assert decision.outcome == ReviewDecision.Outcome.APPROVE
    assert decision.accepted_items.count() == len(ITEMS)
    assert fresh(ready).step(Kind.ATTESTATIONS).status == ApplicationStep.Status.APPROVED


def return_care_team(ready, official, reviewer_client) -> None:
    submit(ready, official)
    task = claimed_task(reviewer_client, ready)
    data = decision_data("return", {"care_team": ("staffing_gap", "Add languages.")})
    assert reviewer_client.post(f"/review/tasks/{task.pk}/", data).status_code == 302


def test_the_first_submission_has_no_diff(ready, authorized_official):
    submit(ready, authorized_official)
    assert attestation_changes(fresh(ready)) is None


def test_the_resubmission_shows_exactly_what_changed(ready, authorized_official, reviewer_client):
    return_care_team(ready, authorized_official, reviewer_client)
    application = fresh(ready)
    lee = application.care_team.get(full_name="Lee Lead")
    care_team_member_save(
        application=application,
        user=authorized_official,
        member=lee,
        data={"languages": "English, Tagalog", "date_of_birth": "1980-02-03"},
    )
    care_team_member_save(
        application=application,
        user=authorized_official,
        data={"role": "community_health_worker", "full_name": "Chris Worker"},
    )
    care_team_member_remove(
        member=application.care_team.get(full_name="Dana Director"), user=authorized_official
    )
    care_team_member_save(
        application=application,
        user=authorized_official,
        data={"role": "ecm_director", "full_name": "Drew Director"},
    )
    attestations_save(
        application=application,
        user=authorized_official,
        languages_offered="English, Spanish",
        criteria={
            3: {
                "attested": True,
                "narrative": "We reach every referred member within three working days, in person.",
            }
        },
    )
    capacity_table_save(
        application=application,
        user=authorized_official,
        populations={"1a": 3},
        capacities={"1a": {"los_angeles": 150}},
    )
    submit(application, authorized_official)

    changes = attestation_changes(fresh(application))
    assert changes is not None
    assert set(changes) == {
        Change("criterion_3", str(application.criterion_attestations.get(criterion=3)),
               "changed", "how your organization meets it",
               "Our leadership team meets weekly and joins every plan learning session, in "
               "person or online. (3)", NEW_NARRATIVE),
        Change("care_team", "Lee Lead (Lead Care Manager)", "changed", "languages spoken",
               "", "English, Tagalog"),
        Change("care_team", "Chris Worker (Community Health Worker)", "added"),
        Change("care_team", "Dana Director (ECM Director)", "removed"),
        Change("care_team", "Drew Director (ECM Director)", "added"),
        Change("capacity", "1a · Los Angeles: 150", "changed", "member capacity", "120", "150"),
    }  # fmt: skip


def test_the_reviewer_page_shows_the_diff_and_never_a_date_of_birth(
    ready, authorized_official, reviewer_client
):
    return_care_team(ready, authorized_official, reviewer_client)
    application = fresh(ready)
    care_team_member_save(
        application=application,
        user=authorized_official,
        member=application.care_team.get(full_name="Lee Lead"),
        data={"fte": "0.50", "date_of_birth": "1980-02-03"},
    )
    submit(application, authorized_official)
    history_fields = {f.name for f in CareTeamMember.history.model._meta.get_fields()}
    assert "date_of_birth" not in history_fields
    task = claimed_task(reviewer_client, application)
    page = reviewer_client.get(f"/review/tasks/{task.pk}/").content.decode()
    assert "What changed since the last submission" in page
    assert "Lee Lead (Lead Care Manager)" in page
    assert "<del>1.00</del>" in page
    assert "<ins>0.50</ins>" in page
    assert "1980" not in page


def test_nothing_changed_is_said_plainly(ready, authorized_official, reviewer_client):
    return_care_team(ready, authorized_official, reviewer_client)
    submit(fresh(ready), authorized_official)
    assert attestation_changes(fresh(ready)) == []
    task = claimed_task(reviewer_client, ready)
    page = reviewer_client.get(f"/review/tasks/{task.pk}/").content.decode()
    assert "Nothing in this section changed since the last submission." in page


def test_accept_all_remaining_items_accepts_every_item_not_returned(
    ready, authorized_official, reviewer_client
):
    submit(ready, authorized_official)
    task = claimed_task(reviewer_client, ready)
    data = decision_data("return", dict.fromkeys(ITEMS, ""))
    data |= {
        "accept_remaining": "on",
        "item-care_team-verdict": "return",
        "item-care_team-reason_code": "staffing_gap",
        "item-care_team-comment": "Add a second clinical consultant.",
    }

    response = reviewer_client.post(f"/review/tasks/{task.pk}/", data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    decision = fresh(ready).decisions.get(stage="attestations")
    assert decision.outcome == ReviewDecision.Outcome.RETURN
    assert list(decision.deficiencies.values_list("requirement", flat=True)) == ["care_team"]
    accepted = set(decision.accepted_items.values_list("requirement", flat=True))
    assert accepted == set(ITEMS) - {"care_team"}


def test_the_approve_button_accepts_every_item_in_one_click(
    ready, authorized_official, reviewer_client
):
    submit(ready, authorized_official)
    task = claimed_task(reviewer_client, ready)
    data = decision_data("", dict.fromkeys(ITEMS, ""))
    del data["outcome"]

    response = reviewer_client.post(f"/review/tasks/{task.pk}/", {**data, "approve_all": "1"})

    assert response.status_code == 302, response.content.decode()[-3000:]
    decision = fresh(ready).decisions.get(stage="attestations")
    assert decision.outcome == ReviewDecision.Outcome.APPROVE
    assert decision.accepted_items.count() == len(ITEMS)


def test_each_verdict_radio_group_is_named_for_its_item(
    ready, authorized_official, reviewer_client
):
    submit(ready, authorized_official)
    task = claimed_task(reviewer_client, ready)
    page = reviewer_client.get(f"/review/tasks/{task.pk}/").content.decode()

    for item, label in ATTESTATION_ITEMS:
        radio = f'name="item-{item}-verdict"'
        assert radio in page
        # The fieldset holding this item's radios, and its legend.
        fieldset = page[: page.index(radio)].rsplit("<fieldset", 1)[1]
        legend = re.search(r"<legend[^>]*>(.*?)</legend>", fieldset, re.S)
        assert legend is not None, item
        name = html.unescape(" ".join(legend.group(1).split()))
        assert name != "Verdict"
        assert str(label) in name, (item, name)
