"""Each rule of the attestation step, as the applicant meets it: in forms and before submitting."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from onboarding.attestation_forms import (
    CapacityTableForm,
    CareTeamMemberForm,
    CriteriaForm,
    capacity_totals,
)
from onboarding.models import CriterionRule
from onboarding.reference import CareTeamRole
from onboarding.requirements import attestation_problems
from onboarding.services.attestations import capacity_table_save, community_partner_remove
from onboarding.services.steps import attestations_save, care_team_member_save
from tests.attestations.conftest import fresh

pytestmark = pytest.mark.django_db


def messages(application) -> list[str]:
    return [p.message for p in attestation_problems(fresh(application))]


def test_a_complete_step_has_no_problems(ready):
    assert messages(ready) == []


def test_a_short_narrative_is_refused_with_the_minimum_length(ready, authorized_official):
    attestations_save(
        application=ready,
        user=authorized_official,
        languages_offered="English",
        criteria={3: {"attested": True, "narrative": "We do outreach."}},
    )
    assert "Describe how you meet criterion 3 in at least 50 characters." in messages(ready)


def test_the_minimum_narrative_length_is_set_by_the_plan(ready):
    CriterionRule.objects.filter(criterion=2).update(narrative_min_length=500)
    assert "Describe how you meet criterion 2 in at least 500 characters." in messages(ready)


def test_required_evidence_is_configurable_per_criterion(ready):
    assert not any("Upload the evidence for criterion 7" in m for m in messages(ready))
    CriterionRule.objects.filter(criterion=7).update(
        evidence_required=True, evidence_guidance="Sample report"
    )
    assert "Upload the evidence for criterion 7: Sample report." in messages(ready)


def test_criterion_1_evidence_is_required_by_default(application, authorized_official):
    assert "Upload the evidence for criterion 1: Organization chart showing ECM leadership." in (
        messages(application)
    )


def test_criterion_5_needs_a_partner_of_each_kind(ready, authorized_official):
    housing = ready.community_partners.get(kind="housing")
    community_partner_remove(partner=housing, user=authorized_official)
    assert messages(ready) == [
        "For criterion 5, name at least one partner of this kind: Housing or Community Supports."
    ]


def test_languages_and_in_person_settings_are_required(ready, authorized_official):
    attestations_save(
        application=ready,
        user=authorized_official,
        languages_offered=" ",
        criteria={},
        care_settings=[],
    )
    assert messages(ready) == [
        "List the languages you offer.",
        "Choose at least one setting where you meet members in person.",
    ]


def test_other_setting_must_be_described():
    form = CriteriaForm({"care_settings": ["other"], "setting_other_detail": ""})
    assert not form.is_valid()
    assert form.errors["setting_other_detail"] == ["Describe the other setting."]


def test_the_roster_needs_a_lead_care_manager(ready, authorized_official):
    ready.care_team.filter(role=CareTeamRole.LEAD_CARE_MANAGER).delete()
    assert messages(ready) == ["Add at least one Lead Care Manager."]


def test_the_roster_needs_exactly_one_ecm_director(ready, authorized_official):
    care_team_member_save(
        application=ready,
        user=authorized_official,
        data={"role": CareTeamRole.ECM_DIRECTOR, "full_name": "Second Director"},
    )
    assert messages(ready) == ["Name exactly one ECM Director (you have 2)."]
    ready.care_team.filter(role=CareTeamRole.ECM_DIRECTOR).delete()
    assert messages(ready) == ["Name exactly one ECM Director (you have 0)."]


def test_an_expired_clinical_consultant_license_is_named_with_its_date(ready):
    ready.care_team.filter(role=CareTeamRole.CLINICAL_CONSULTANT).update(
        license_expires_on=date(2025, 5, 3)
    )
    assert messages(ready) == [
        "The Clinical Consultant's license (Casey Clinician) expired on 3 May 2025.",
        "Add at least one ECM Clinical Consultant with an unexpired license.",
    ]


def member_form(**data: str) -> CareTeamMemberForm:
    return CareTeamMemberForm({"fte": "1.00", **data})


def test_a_clinical_consultant_needs_every_license_detail():
    form = member_form(role="clinical_consultant", full_name="Cal")
    assert not form.is_valid()
    for field in ("license_type", "license_number", "license_state", "license_expires_on"):
        assert form.errors[field] == ["Required for an ECM Clinical Consultant."]


def test_the_member_form_says_when_a_license_expired():
    form = member_form(
        role="clinical_consultant",
        full_name="Cal",
        license_type="LCSW",
        license_number="1",
        license_state="ca",
        license_expires_on="2025-05-03",
    )
    assert not form.is_valid()
    assert form.errors["license_expires_on"] == [
        "This license expired on 3 May 2025. Enter the renewed license."
    ]


def test_the_member_form_checks_state_fte_and_date_of_birth():
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    form = CareTeamMemberForm(
        {
            "role": "community_health_worker",
            "full_name": "Chris",
            "license_state": "C1",
            "fte": "1.5",
            "date_of_birth": tomorrow,
            "chw_certificate": "CHW 123",
            "languages": "Spanish",
        }
    )
    assert not form.is_valid()
    assert form.errors["license_state"] == ["Enter the state as two letters, e.g. CA."]
    assert form.errors["fte"] == ["FTE is between 0.01 and 1.00."]
    assert form.errors["date_of_birth"] == ["A date of birth is in the past."]


def test_the_date_of_birth_field_says_why_it_is_asked():
    help_text = str(CareTeamMemberForm().fields["date_of_birth"].help_text)
    assert "exclusion lists" in help_text
    assert "Leave blank unless the plan asks for it" in help_text


def capacity_form(**data: str) -> CapacityTableForm:
    return CapacityTableForm(data, counties=["los_angeles", "orange"])


def test_a_population_served_needs_years_and_a_capacity():
    form = capacity_form(serve_3a="on")
    assert not form.is_valid()
    assert form.errors["years_3a"] == ["Give your years of experience serving population 3a."]
    assert form.errors["serve_3a"] == [
        "Give a member capacity in at least one county for population 3a."
    ]


def test_capacity_for_a_population_not_ticked_is_refused():
    form = capacity_form(cap_2a_orange="10")
    assert not form.is_valid()
    assert form.errors["serve_2a"] == [
        "Tick population 2a if you serve it, or clear its capacity figures."
    ]


def test_negative_capacity_is_refused():
    form = capacity_form(serve_1a="on", years_1a="2", cap_1a_orange="-4")
    assert not form.is_valid()
    assert "cap_1a_orange" in form.errors


def test_the_server_computes_the_totals_the_page_shows():
    form = capacity_form(
        serve_1a="on",
        years_1a="2",
        cap_1a_los_angeles="100",
        cap_1a_orange="20",
        serve_9a="on",
        years_9a="1",
        cap_9a_orange="5",
    )
    assert form.is_valid(), form.errors
    assert form.populations() == {"1a": 2, "9a": 1}
    totals = capacity_totals(form.capacities())
    assert totals.by_population == {"1a": 120, "9a": 5}
    assert totals.by_county == {"los_angeles": 100, "orange": 25}
    assert totals.total == 125


def test_capacity_outside_the_counties_served_is_named(ready, authorized_official):
    capacity_table_save(
        application=ready,
        user=authorized_official,
        populations={"1a": 3},
        capacities={"1a": {"los_angeles": 100, "kern": 10}},
    )
    assert messages(ready) == [
        "You give capacity in Kern, which is not among the counties you serve "
        "(Entity verification)."
    ]


def test_no_population_served_is_named(ready, authorized_official):
    capacity_table_save(application=ready, user=authorized_official, populations={}, capacities={})
    assert messages(ready) == ["Choose at least one population of focus that you serve."]


def test_plan_administrators_edit_the_criterion_rules_in_the_admin(plan_admin):
    plan_admin.is_staff = True
    plan_admin.save()
    client = Client()
    client.force_login(plan_admin)
    rule = CriterionRule.objects.get(criterion=7)
    assert client.get("/admin/onboarding/criterionrule/").status_code == 200
    response = client.post(
        f"/admin/onboarding/criterionrule/{rule.pk}/change/",
        {
            "criterion": "7",
            "evidence_required": "on",
            "evidence_guidance": "Sample report",
            "narrative_min_length": "80",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    rule.refresh_from_db()
    assert (rule.evidence_required, rule.narrative_min_length) == (True, 80)
