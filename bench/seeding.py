"""Bulk-create realistic applications in every state, with their viewflow processes and tasks.

For measuring the workbench at scale (``bench/pages.py``; run it with ``bench/seed_scale.py``):
rows are written in batches as plain tuples (``bench.table_rows``: ``COPY`` on PostgreSQL), never
by running the flow, so 100,000 applications take minutes, not hours. The rows are what the flow
would have left behind: one process per application, its human tasks in the right statuses (review
tasks held by seeded reviewers or waiting in the queue), the workbench's ``ReviewWork`` copy with
due dates, timeline events, decisions and screening results.
"""

import random
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from bench.table_rows import TableRows
from changes.flows import ChangeRequestFlow
from changes.models import ChangeRequest, ChangeRequestProcess
from corrective_actions.models import CorrectiveActionItem, CorrectiveActionPlan
from disclosures.models import DisclosedParty, Disclosure
from documents.models import Document
from onboarding.attestation_text import ATTESTATION_VERSION
from onboarding.attested_content import content_sha256, signed_data_sharing
from onboarding.flows import OnboardingFlow
from onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    CapabilityAttestation,
    CareTeamMember,
    CommunityPartner,
    CriterionAttestation,
    DataSharingProfile,
    EntityProfile,
    EntityType,
    EvidenceRequirement,
    Membership,
    OnboardingProcess,
    Organization,
    PopulationCapacity,
    PopulationServed,
    ServiceCounty,
)
from onboarding.nodes import stage_of_node
from onboarding.reference import (
    AgreementKind,
    CareTeamRole,
    County,
    PartnerKind,
    PopulationOfFocus,
    QualificationCriterion,
)
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVIEW_PERMISSION, Role
from providers.models import StatusChange
from recredentialing.models import Recredentialing
from reviews.models import ReviewDecision, ReviewWork
from reviews.sla import ReviewRound, due_date, holidays
from screening.identifiers import npi_check_digit
from screening.models import ScreeningResult

F = OnboardingFlow
Status = Application.Status
StepStatus = ApplicationStep.Status
SIGNATURE_COLUMNS = (
    "signed_at",
    "signed_by_id",
    "signer_name",
    "signer_title",
    "attestation_version",
    "content_sha256",
)
Kind = ApplicationStep.Kind
Outcome = ReviewDecision.Outcome

# (scenario, weight): how an application portfolio of a real plan is spread over the states.
SCENARIOS = [
    ("draft", 14),
    ("entity_waiting", 8),
    ("entity_claimed", 5),
    ("entity_returned", 5),
    ("entity_resubmitted", 3),
    ("parallel_applicant", 6),
    ("parallel_waiting", 7),
    ("parallel_claimed", 5),
    ("final_waiting", 4),
    ("final_claimed", 2),
    ("approved", 4),
    ("active", 21),
    ("conditional", 2),
    ("recredentialed", 1),
    ("suspended", 1),
    ("terminated", 1),
    ("denied", 8),
    ("withdrawn", 6),
]
CARE_TEAM = (
    CareTeamRole.LEAD_CARE_MANAGER,
    CareTeamRole.ECM_DIRECTOR,
    CareTeamRole.CLINICAL_CONSULTANT,
)
REVIEW_PERMISSIONS = {
    F.review_entity: REVIEW_PERMISSION,
    F.review_attestations: REVIEW_PERMISSION,
    F.review_data_sharing: REVIEW_PERMISSION,
    F.final_approval: FINAL_APPROVAL_PERMISSION,
}


@dataclass
class Plan:
    """What one application's history looks like, before it is written."""

    status: str
    steps: dict[str, str]
    created: datetime
    official: int
    official_name: str = ""
    application: int = 0
    tasks: list[dict[str, Any]] = field(default_factory=list)
    process_status: str = PROCESS.NEW
    events: list[tuple[str, datetime]] = field(default_factory=list)
    decisions: list[tuple[str, str, datetime]] = field(default_factory=list)
    renews: "Plan | None" = None  # a recredentialing: the provider it renews
    due_on: date | None = None  # a provider's recredentialing due date

    def first(self, *kinds: str) -> datetime | None:
        return next((at for kind, at in self.events if kind in kinds), None)

    @property
    def submitted_at(self) -> datetime | None:
        return self.first("step_submitted")

    @property
    def decided_at(self) -> datetime | None:
        return self.first("final_approved", "denied", "withdrawn")

    @property
    def approved_at(self) -> datetime | None:
        return self.first("final_approved")


# The scenarios that end in the network, by the status they end in.
NETWORK_SCENARIOS = {
    "approved": Application.Status.APPROVED,
    "active": Application.Status.ACTIVE,
    "conditional": Application.Status.CONDITIONAL,
}


def seed_providers(
    providers: int,
    statuses: Collection[str] = tuple(NETWORK_SCENARIOS.values()),
    report: Callable[[str], None] = lambda _: None,
) -> int:
    """Seed until the database holds about ``providers`` providers in one of ``statuses`` (in
    the network, unless told; from the scenarios' share of them, with 2% to spare); how many it
    holds then."""
    counted = Application.objects.filter(status__in=statuses)
    have = counted.count()
    if have < providers:
        scenarios = {n for n, status in NETWORK_SCENARIOS.items() if status in statuses}
        share = sum(w for n, w in SCENARIOS if n in scenarios) / sum(w for _, w in SCENARIOS)
        seed_scale(round((providers - have) / share * 1.02), report=report)
    return counted.count()


def seed_scale(
    applications: int = 1000,
    batch: int = 2000,
    reviewers: int = 20,
    seed: int = 7,
    report: Callable[[str], None] = print,
) -> None:
    """Adds ``applications`` applications to the database, ``batch`` per transaction."""
    ScaleSeeder(seed).seed(applications, batch, reviewers, report)


class ScaleSeeder:
    def __init__(self, seed: int) -> None:
        # Repeatable made-up data, not secrets.
        self.random = random.Random(seed)

    def seed(
        self, total: int, batch: int, reviewer_count: int, report: Callable[[str], None]
    ) -> None:
        self.now = timezone.now()
        self.closed = holidays()
        self.entity_types = list(EntityType.objects.values_list("pk", flat=True))
        self.clinic_licence = EvidenceRequirement.objects.filter(has_expiry=True).order_by("pk")[0]
        reviewers, managers = self.staff(reviewer_count)
        self.reviewers = [user.pk for user in reviewers]
        self.managers = [user.pk for user in managers]
        self.rows = TableRows(connection)
        self.password = make_password(None)
        self.scenarios = [name for name, weight in SCENARIOS for _ in range(weight)]
        start = User.objects.count()
        made = 0
        while made < total:
            size = min(batch, total - made)
            with transaction.atomic():
                self.batch(start + made, size)
            made += size
            report(f"{made} / {total} applications")
        split_tokens_give()
        fresh_statistics()
        report(f"Seeded {total} applications.")

    def staff(self, count: int) -> tuple[list[User], list[User]]:
        """Reviewers and network managers, made once and reused by later runs."""
        reviewers = list(User.objects.filter(email__endswith="@reviewers.plan.example"))
        managers = list(User.objects.filter(email__endswith="@managers.plan.example"))
        for n in range(len(reviewers), count):
            user = User.objects.create_user(
                email=f"reviewer{n}@reviewers.plan.example", full_name=f"Reviewer {n}"
            )
            user.groups.add(Group.objects.get(name=Role.REVIEWER.value))
            reviewers.append(user)
        for n in range(len(managers), max(2, count // 5)):
            user = User.objects.create_user(
                email=f"manager{n}@managers.plan.example", full_name=f"Manager {n}"
            )
            user.groups.add(Group.objects.get(name=Role.NETWORK_MANAGER.value))
            managers.append(user)
        return reviewers, managers

    # One batch ------------------------------------------------------------------------------

    def batch(self, offset: int, size: int) -> None:
        rnd = self.random
        rows = self.rows
        officials = rows.new_ids(User, size)
        rows.write(
            User,
            ("id", "email", "full_name", "password", "date_joined"),
            (
                (
                    pk,
                    f"official{offset + i}@org{offset + i}.example",
                    f"Official {offset + i}",
                    self.password,
                    self.now,
                )
                for i, pk in enumerate(officials)
            ),
        )
        created = [self.now - timedelta(days=rnd.uniform(1, 540)) for _ in range(size)]
        organizations = rows.new_ids(Organization, size)
        rows.write(
            Organization,
            ("id", "legal_name", "created_at"),
            (
                (pk, f"Community Care Org {offset + i}", created[i])
                for i, pk in enumerate(organizations)
            ),
        )
        rows.write(
            Membership,
            ("organization_id", "user_id", "role", "joined_at"),
            (
                (o, u, Membership.Role.AUTHORIZED_OFFICIAL.value, c)
                for o, u, c in zip(organizations, officials, created, strict=True)
            ),
        )
        plans = [
            self.plan(rnd.choice(self.scenarios), created[i], official)
            for i, official in enumerate(officials)
        ]
        for i, plan in enumerate(plans):
            plan.official_name = f"Official {offset + i}"
        for plan, pk in zip(plans, rows.new_ids(Application, size), strict=True):
            plan.application = pk
        organization_of = self.recredentialing_cycle(plans, organizations)
        rows.write(
            Application,
            (
                "id",
                "organization_id",
                "created_by_id",
                "status",
                "created_at",
                "updated_at",
                "submitted_at",
                "decided_at",
                "decision_reason",
                "effective_date",
                "recredentialing_due_on",
                "renews_id",
            ),
            (
                (
                    plan.application,
                    organization,
                    plan.official,
                    plan.status,
                    plan.created,
                    max([plan.created] + [t for _k, t in plan.events]),
                    plan.submitted_at,
                    plan.decided_at,
                    "Does not meet criterion 3." if plan.status == Status.DENIED else "",
                    plan.approved_at.date() if plan.approved_at else None,
                    plan.due_on,
                    plan.renews.application if plan.renews else None,
                )
                for plan, organization in zip(plans, organization_of, strict=True)
            ),
        )
        self.domain_rows(plans)
        self.workflow_rows(plans)
        self.change_request_rows(plans)
        self.corrective_action_rows(plans)
        self.recredentialing_rows(plans)

    def plan(self, scenario: str, created: datetime, official: int) -> Plan:
        """The tasks, events and decisions an application in ``scenario`` has gathered so far."""
        rnd = self.random
        clock = created
        reviewer = rnd.choice(self.reviewers)
        manager = rnd.choice(self.managers)

        def later(days: float) -> datetime:
            nonlocal clock
            clock = min(clock + timedelta(days=rnd.uniform(0.2, days)), self.now)
            return clock

        draft = {
            Kind.ENTITY: StepStatus.DRAFT,
            Kind.ATTESTATIONS: StepStatus.DRAFT,
            Kind.DATA_SHARING: StepStatus.DRAFT,
        }
        plan = Plan(
            Status.DRAFT,
            {str(k): str(v) for k, v in draft.items()},
            created=created,
            official=official,
            events=[("created", created)],
        )
        plan.tasks.append(self.task(F.start, STATUS.DONE, created, created, official))
        if scenario == "draft":
            plan.tasks.append(self.task(F.entity_profile, STATUS.ASSIGNED, created, None, official))
            return plan

        def review(node: Any, stage: str, outcome: str | None, claimed: bool = True) -> None:
            """A submitted step and its review: decided with ``outcome``, or still open."""
            opened = later(10)
            plan.events.append(("step_submitted", opened))
            if outcome is None:
                status = STATUS.ASSIGNED if claimed else STATUS.NEW
                plan.tasks.append(
                    self.task(node, status, opened, None, reviewer if claimed else None)
                )
                if claimed:
                    plan.events.append(("task_claimed", later(1)))
                return
            decided = later(12)
            who = manager if node is F.final_approval else reviewer
            plan.tasks.append(self.task(node, STATUS.DONE, opened, decided, who))
            plan.events.append(("task_claimed", decided))
            kind = {
                Outcome.APPROVE: "final_approved" if node is F.final_approval else "step_approved",
                Outcome.RETURN: "step_returned",
                Outcome.DENY: "denied",
            }[Outcome(outcome)]
            plan.events.append((kind, decided))
            plan.decisions.append((stage, outcome, decided))

        entity_open = scenario in {"entity_waiting", "entity_claimed"}
        plan.tasks.append(self.task(F.entity_profile, STATUS.DONE, created, later(20), official))
        plan.status = Status.SUBMITTED
        plan.steps[Kind.ENTITY] = StepStatus.SUBMITTED
        if entity_open:
            review(F.review_entity, "entity", None, claimed=scenario == "entity_claimed")
            plan.status = Status.IN_REVIEW if scenario == "entity_claimed" else Status.SUBMITTED
            return plan
        if scenario in {"entity_returned", "entity_resubmitted"}:
            review(F.review_entity, "entity", Outcome.RETURN)
            if scenario == "entity_returned":
                plan.tasks.append(
                    self.task(F.entity_profile, STATUS.ASSIGNED, clock, None, official)
                )
                plan.steps[Kind.ENTITY] = StepStatus.RETURNED
                plan.status = Status.RETURNED
                return plan
            plan.tasks.append(self.task(F.entity_profile, STATUS.DONE, clock, later(8), official))
            review(F.review_entity, "entity", None, claimed=rnd.random() < 0.5)
            return plan
        if scenario == "denied" and rnd.random() < 0.5:
            review(F.review_entity, "entity", Outcome.DENY)
            plan.status = Status.DENIED
            plan.process_status = PROCESS.DONE
            plan.steps = dict.fromkeys(plan.steps, StepStatus.CLOSED)
            plan.steps[Kind.ENTITY] = StepStatus.DENIED
            return plan
        review(F.review_entity, "entity", Outcome.APPROVE)
        plan.steps[Kind.ENTITY] = StepStatus.APPROVED
        plan.status = Status.IN_REVIEW
        if scenario == "withdrawn":
            plan.tasks.append(
                self.task(F.attestations, STATUS.CANCELED, clock, later(30), official)
            )
            plan.tasks.append(self.task(F.data_sharing, STATUS.CANCELED, clock, clock, official))
            plan.events.append(("withdrawn", clock))
            plan.status = Status.WITHDRAWN
            plan.process_status = PROCESS.CANCELED
            plan.steps[Kind.ATTESTATIONS] = plan.steps[Kind.DATA_SHARING] = StepStatus.CLOSED
            return plan
        if scenario == "parallel_applicant":
            plan.tasks.append(self.task(F.attestations, STATUS.ASSIGNED, clock, None, official))
            plan.tasks.append(self.task(F.data_sharing, STATUS.ASSIGNED, clock, None, official))
            return plan
        split = clock
        for applicant_node, review_node, kind in (
            (F.attestations, F.review_attestations, Kind.ATTESTATIONS),
            (F.data_sharing, F.review_data_sharing, Kind.DATA_SHARING),
        ):
            clock = split
            plan.tasks.append(self.task(applicant_node, STATUS.DONE, split, later(15), official))
            plan.steps[kind] = StepStatus.SUBMITTED
            if scenario in {"parallel_waiting", "parallel_claimed"}:
                review(review_node, kind, None, claimed=scenario == "parallel_claimed")
            elif scenario == "denied":
                review(review_node, kind, Outcome.DENY)
                plan.steps = dict.fromkeys(plan.steps, StepStatus.CLOSED)
                plan.steps[Kind.ENTITY] = StepStatus.APPROVED
                plan.steps[kind] = StepStatus.DENIED
                plan.status = Status.DENIED
                plan.process_status = PROCESS.DONE
                return plan
            else:
                review(review_node, kind, Outcome.APPROVE)
                plan.steps[kind] = StepStatus.APPROVED
        if scenario in {"parallel_waiting", "parallel_claimed"}:
            return plan
        if scenario in {"final_waiting", "final_claimed"}:
            review(F.final_approval, "final", None, claimed=scenario == "final_claimed")
            return plan
        review(F.final_approval, "final", Outcome.APPROVE)
        if scenario == "recredentialed":  # a renewal, applied to its provider's record
            plan.status = Status.RECREDENTIALED
            plan.process_status = PROCESS.DONE
            return plan
        plan.status = Status.APPROVED
        plan.events.append(("packet_delivered", clock))
        if scenario == "approved":
            plan.tasks.append(
                self.task(F.acknowledge_packet, STATUS.ASSIGNED, clock, None, official)
            )
            return plan
        plan.tasks.append(self.task(F.acknowledge_packet, STATUS.DONE, clock, later(10), official))
        plan.events.append(("packet_acknowledged", clock))
        plan.status = Status.ACTIVE
        plan.process_status = PROCESS.DONE
        if scenario == "conditional":  # approved with conditions (corrective_actions)
            plan.status = Status.CONDITIONAL
            plan.events.append(("conditions_set", clock))
        if scenario in {"suspended", "terminated"}:  # by two managers (providers/status_changes)
            plan.status = Status.SUSPENDED if scenario == "suspended" else Status.TERMINATED
            plan.events.append((f"provider_{scenario}", later(200)))
        return plan

    def task(
        self,
        node: Any,
        status: str,
        created: datetime,
        finished: datetime | None,
        owner: int | None,
    ) -> dict[str, Any]:
        return {
            "node": node,
            "status": status,
            "created": created,
            "finished": finished if status in {STATUS.DONE, STATUS.CANCELED} else None,
            "owner": owner,
        }

    def disclosure_rows(self, plans: list[Plan]) -> None:
        """A community non-profit's disclosure: no owners, its official as officer and managing
        employee (SSN and date of birth encrypted as the portal stores them). Its own random
        numbers, so that the rest of the seed stays what it was."""
        rnd = random.Random(plans[0].application if plans else 0)
        disclosures = self.rows.new_ids(Disclosure, len(plans))
        nothing = ["owners", "family", "other_interests", "subcontractors", "convictions"]
        self.rows.write(
            Disclosure,
            ("id", "application_id", *(Disclosure.NONE_FIELDS[c] for c in nothing)),
            (
                (pk, plan.application, *[True] * len(nothing))
                for pk, plan in zip(disclosures, plans, strict=True)
            ),
        )
        self.rows.write(
            DisclosedParty,
            (
                "disclosure_id",
                "kind",
                "first_name",
                "last_name",
                "date_of_birth",
                "ssn",
                "home_address",
                "position",
                "title",
                "is_managing_employee",
            ),
            (
                (
                    pk,
                    DisclosedParty.Kind.PERSON,
                    "Official",
                    f"{plan.application}",
                    date(1950 + rnd.randrange(50), rnd.randrange(1, 13), rnd.randrange(1, 29)),
                    f"{rnd.randrange(100, 665)}{rnd.randrange(10, 100)}{rnd.randrange(10**4):04}",
                    f"{rnd.randrange(1, 9999)} Oak St, Los Angeles, CA 90012",
                    DisclosedParty.Position.OFFICER,
                    "Executive Director",
                    True,
                )
                for pk, plan in zip(disclosures, plans, strict=True)
            ),
        )

    def domain_rows(self, plans: list[Plan]) -> None:
        rnd = self.random
        rows = self.rows
        rows.write(
            ApplicationStep,
            ("application_id", "kind", "status", "revision", "submitted_at", "submitted_by_id"),
            (
                (plan.application, kind, status, 0, None, None)
                if status == StepStatus.DRAFT
                else (plan.application, kind, status, 1, plan.submitted_at, plan.official)
                for plan in plans
                for kind, status in plan.steps.items()
            ),
        )
        profiles = rows.new_ids(EntityProfile, len(plans))
        rows.write(
            EntityProfile,
            (
                "id",
                "application_id",
                "legal_name",
                "tin",
                "npi",
                "service_address",
                "official_name",
                "official_title",
                "contact_name",
                "contact_email",
                "contact_phone",
            ),
            (
                (
                    profile,
                    plan.application,
                    f"Community Care Org {plan.application}",
                    f"{rnd.randrange(10**8, 10**9)}",
                    valid_npi(f"1{rnd.randrange(10**7, 10**8)}"),  # a draft save checks it
                    f"{rnd.randrange(1, 9999)} Main St, Los Angeles, CA 90012",
                    f"Official {plan.application}",
                    "Executive Director",
                    f"Contact {plan.application}",
                    f"contact@org{plan.application}.example",
                    "213-555-0100",
                )
                for profile, plan in zip(profiles, plans, strict=True)
            ),
        )
        rows.write(
            EntityProfile.entity_types.through,
            ("entityprofile_id", "entitytype_id"),
            ((profile, rnd.choice(self.entity_types)) for profile in profiles),
        )
        served = [rnd.sample(County.values, rnd.choice([1, 1, 2, 3])) for _ in profiles]
        rows.write(
            ServiceCounty,
            ("profile_id", "county"),
            (
                (profile, county)
                for profile, counties in zip(profiles, served, strict=True)
                for county in counties
            ),
        )
        rows.write(
            CapabilityAttestation,
            ("application_id", "languages_offered"),
            ((plan.application, "English, Spanish") for plan in plans),
        )
        rows.write(
            CriterionAttestation,
            ("application_id", "criterion", "attested", "narrative"),
            (
                (
                    plan.application,
                    criterion,
                    plan.status != Status.DRAFT,
                    "We meet this through weekly case conferences and a shared care plan.",
                )
                for plan in plans
                for criterion in QualificationCriterion.values
            ),
        )
        agreement_kinds = AgreementKind.values
        rows.write(
            CommunityPartner,
            ("application_id", "kind", "organization_name", "agreement_kind"),
            (
                (
                    plan.application,
                    kind,
                    f"{label} partner of {plan.application}",
                    rnd.choice(agreement_kinds),
                )
                for plan in plans
                for kind, label in PartnerKind.choices
            ),
        )
        # Licences run out over the next three years, and some already have: what the daily
        # credential check (providers/services/credentials.py) meets at a real plan.
        today = timezone.localdate()

        def licence_expires() -> date:
            return today + timedelta(days=rnd.randrange(-60, 3 * 365))

        rows.write(
            CareTeamMember,
            (
                "application_id",
                "role",
                "full_name",
                "email",
                "fte",
                "languages",
                "license_type",
                "license_number",
                "license_state",
                "license_expires_on",
            ),
            (
                (
                    plan.application,
                    role.value,
                    f"{role.label} {plan.application}",
                    f"{role.value}@org{plan.application}.example",
                    rnd.choice([Decimal("0.50"), Decimal("1.00")]),
                    "English, Spanish",
                    *(
                        ("LCSW", "LCS10001", "CA", licence_expires())
                        if role == CareTeamRole.CLINICAL_CONSULTANT
                        else ("", "", "", None)
                    ),
                )
                for plan in plans
                for role in CARE_TEAM
            ),
        )
        # A third of the providers in the network are also licensed clinics: their CDPH licence is
        # an evidence document with an expiry date (the row only; no file is stored).
        clinics = [
            plan
            for plan in plans
            if plan.status in Application.IN_NETWORK_STATUSES and rnd.random() < 1 / 3
        ]
        rows.write(
            Document,
            (
                "application_id",
                "step_kind",
                "requirement",
                "evidence_requirement_id",
                "file",
                "original_name",
                "content_type",
                "size",
                "sha256",
                "uploaded_by_id",
                "uploaded_at",
                "expires_on",
            ),
            (
                (
                    plan.application,
                    Kind.ENTITY,
                    self.clinic_licence.title,
                    self.clinic_licence.pk,
                    f"documents/bench/{plan.application}",
                    "clinic-licence.pdf",
                    "application/pdf",
                    1024,
                    "0" * 64,
                    plan.official,
                    plan.created,
                    licence_expires(),
                )
                for plan in clinics
            ),
        )
        self.status_change_rows(plans)
        chosen = [rnd.sample(PopulationOfFocus.values, rnd.choice([1, 2, 3])) for _ in plans]
        rows.write(
            PopulationServed,
            ("application_id", "population", "years_experience"),
            (
                (plan.application, population, rnd.randrange(0, 15))
                for plan, populations in zip(plans, chosen, strict=True)
                for population in populations
            ),
        )
        rows.write(
            PopulationCapacity,
            ("application_id", "population", "county", "member_capacity"),
            (
                (plan.application, population, counties[0], rnd.randrange(10, 400))
                for plan, populations, counties in zip(plans, chosen, served, strict=True)
                for population in populations
            ),
        )
        rows.write(
            DataSharingProfile,
            ("application_id", "documentation_system", *SIGNATURE_COLUMNS),
            (
                (plan.application, "CareFlow", *self.data_sharing_signature(plan, "CareFlow"))
                for plan in plans
            ),
        )
        self.disclosure_rows(plans)
        rows.write(
            ApplicationEvent,
            ("application_id", "kind", "created_at"),
            ((plan.application, kind, at) for plan in plans for kind, at in plan.events),
        )
        rows.write(
            ScreeningResult,
            ("application_id", "check_name", "subject", "outcome", "evidence", "checked_at"),
            (
                (
                    plan.application,
                    "npi_check_digit",
                    "NPI",
                    ScreeningResult.Outcome.CLEAR.value,
                    "Luhn check passed",
                    plan.submitted_at,
                )
                for plan in plans
                if plan.submitted_at
            ),
        )

    def status_change_rows(self, plans: list[Plan]) -> None:
        """The confirmed suspension or termination behind each suspended or terminated provider:
        proposed by one network manager, confirmed by another."""
        Action = StatusChange.Action
        changed = [p for p in plans if p.status in {Status.SUSPENDED, Status.TERMINATED}]
        rows = []
        for plan in changed:
            proposer, confirmer = self.random.sample(self.managers, 2)
            at = max(t for _kind, t in plan.events)
            suspended = plan.status == Status.SUSPENDED
            rows.append(
                (
                    plan.application,
                    Action.SUSPEND if suspended else Action.TERMINATE,
                    "" if suspended else StatusChange.Termination.FOR_CAUSE,
                    "Seeded for the benchmarks",
                    at.date(),
                    StatusChange.State.IN_EFFECT,
                    Status.ACTIVE,
                    proposer,
                    at,
                    confirmer,
                    at,
                    "",
                    at,
                )
            )
        self.rows.write(
            StatusChange,
            (
                "application_id",
                "action",
                "termination",
                "reason",
                "effective_on",
                "state",
                "status_before",
                "proposed_by_id",
                "proposed_at",
                "decided_by_id",
                "decided_at",
                "decision_note",
                "took_effect_at",
            ),
            rows,
        )

    def recredentialing_cycle(self, plans: list[Plan], organizations: list[int]) -> list[int]:
        """Providers at every point of the recredentialing cycle, and the renewals that carry
        theirs: every renewal ("recredentialed", and one in six applications in review) renews
        a provider of the batch, of the same organization. Each application's organization."""
        rnd, today = self.random, self.now.date()
        organization_of = list(organizations)
        providers = [i for i, p in enumerate(plans) if p.status in Application.IN_NETWORK_STATUSES]
        rnd.shuffle(providers)
        for i in providers:  # due any day from 45 days ago to three years ahead
            plans[i].due_on = today + timedelta(days=rnd.randint(-45, 3 * 365))
        for i, plan in enumerate(plans):
            in_review = plan.status in {Status.SUBMITTED, Status.IN_REVIEW, Status.RETURNED}
            if not providers or not (
                plan.status == Status.RECREDENTIALED or (in_review and rnd.random() < 1 / 6)
            ):
                continue
            provider = plans[providers.pop()]
            plan.renews = provider
            plan.official = provider.official
            organization_of[i] = organization_of[plans.index(provider)]
            if plan.status == Status.RECREDENTIALED:
                provider.due_on = today + timedelta(days=3 * 365 - rnd.randint(0, 60))
            else:  # open: due within its window, or already overdue
                provider.due_on = today + timedelta(days=rnd.randint(-30, 120))
        for plan in plans:  # a renewal never approved is plain history: no provider of its own
            if plan.status == Status.RECREDENTIALED and plan.renews is None:
                plan.status = Status.WITHDRAWN
        return organization_of

    def recredentialing_rows(self, plans: list[Plan]) -> None:
        self.rows.write(
            Recredentialing,
            ("provider_id", "renewal_id", "due_on", "started_at", "outcome", "finished_at",
             "late", "copied"),
            (
                (
                    plan.renews.application,
                    plan.application,
                    # an open one is for the provider's due date; an approved one was for the
                    # date it answered, before the clock started again
                    plan.renews.due_on
                    if plan.status != Status.RECREDENTIALED
                    else plan.created.date() + timedelta(days=120),
                    plan.created,
                    "approved" if plan.status == Status.RECREDENTIALED else "open",
                    plan.decided_at,
                    False,
                    {},  # nothing copied yet: an object, as the field's prepared value expects
                )
                for plan in plans
                if plan.renews is not None
            ),
        )  # fmt: skip

    def corrective_action_rows(self, plans: list[Plan]) -> None:
        """Every provider approved with conditions has a plan of two items from its final
        approval: one overdue or due soon, in any state, and one due in a few months."""
        conditional = [p for p in plans if p.status == Status.CONDITIONAL]
        if not conditional:
            return
        finals = ReviewDecision.objects.filter(
            application_id__in=[p.application for p in conditional], stage="final"
        )
        finals.update(with_conditions=True)
        decision_of = dict(finals.values_list("application_id", "pk"))
        today = self.now.date()
        plan_ids = self.rows.new_ids(CorrectiveActionPlan, len(conditional))
        self.rows.write(
            CorrectiveActionPlan,
            ("id", "application_id", "decision_id", "created_at"),
            (
                (pk, p.application, decision_of[p.application], p.approved_at or self.now)
                for pk, p in zip(plan_ids, conditional, strict=True)
            ),
        )
        open_statuses = sorted(CorrectiveActionItem.OPEN_STATUSES)
        items = []
        for pk, p in zip(plan_ids, conditional, strict=True):
            soon = today + timedelta(days=self.random.randint(-40, 30))
            for finding, label, due_on, status in (
                ("attestations:care_team", "Capability attestations: Care-team roster", soon,
                 self.random.choice(open_statuses)),
                ("data_sharing:uses_mfa", "Data-sharing readiness: Multi-factor authentication",
                 today + timedelta(days=self.random.randint(31, 120)), "open"),
            ):  # fmt: skip
                items.append(
                    (pk, p.application, finding, label, "Seeded finding.", "Seeded action.",
                     due_on, "Seeded Director", status)
                )  # fmt: skip
        self.rows.write(
            CorrectiveActionItem,
            ("plan_id", "application_id", "finding", "finding_label", "detail", "action",
             "due_on", "responsible", "status"),
            items,
        )  # fmt: skip

    def change_request_rows(self, plans: list[Plan]) -> None:
        """Every tenth provider in the network has sent a change request (a new Lead Care
        Manager), waiting in the workbench's queue with its flow's tasks and review work."""
        providers = [
            p for p in plans if p.status in Application.IN_NETWORK_STATUSES and p.approved_at
        ][::10]
        if not providers:
            return
        rows = self.rows
        sent = [max(t for _kind, t in plan.events) + timedelta(days=1) for plan in providers]
        requests = rows.new_ids(ChangeRequest, len(providers))
        rows.write(
            ChangeRequest,
            (
                "id",
                "application_id",
                "kind",
                "status",
                "summary",
                "proposal",
                "revision",
                "created_by_id",
                "submitted_by_id",
                "submitted_at",
                "first_submitted_at",
            ),
            (
                (
                    request,
                    plan.application,
                    ChangeRequest.Kind.CARE_TEAM,
                    ChangeRequest.Status.SUBMITTED,
                    "Add Sam Seeded as Lead Care Manager",
                    {"action": "add", "role": "lead_care_manager", "full_name": "Sam Seeded"},
                    1,
                    plan.official,
                    plan.official,
                    at,
                    at,
                )
                for request, plan, at in zip(requests, providers, sent, strict=True)
            ),
        )
        processes = rows.new_ids(Process, len(providers))
        rows.write(
            Process,
            ("id", "flow_class", "status", "created"),
            (
                (process, ChangeRequestFlow, PROCESS.NEW, at)
                for process, at in zip(processes, sent, strict=True)
            ),
        )
        rows.write(
            ChangeRequestProcess,
            ("process_ptr_id", "change_request_id"),
            zip(processes, requests, strict=True),
        )
        tasks = rows.new_ids(Task, 2 * len(providers))
        task_columns = (
            "id",
            "flow_task",
            "flow_task_type",
            "status",
            "created",
            "finished",
            "owner_id",
            "owner_permission",
            "process_id",
        )
        rows.write(
            Task,
            task_columns,
            (
                row
                for n, (process, plan, at) in enumerate(
                    zip(processes, providers, sent, strict=True)
                )
                for row in (
                    (
                        tasks[2 * n],
                        ChangeRequestFlow.prepare,
                        "HUMAN",
                        STATUS.DONE,
                        at,
                        at,
                        plan.official,
                        None,
                        process,
                    ),
                    (
                        tasks[2 * n + 1],
                        ChangeRequestFlow.review,
                        "HUMAN",
                        STATUS.NEW,
                        at,
                        None,
                        None,
                        REVIEW_PERMISSION,
                        process,
                    ),
                )
            ),
        )
        stage = ReviewDecision.Stage.CHANGE
        rows.write(
            ReviewWork,
            ("task_id", "application_id", "stage", "is_open", "created_at", "due_on"),
            (
                (
                    tasks[2 * n + 1],
                    plan.application,
                    stage,
                    True,
                    at,
                    due_date(stage, [ReviewRound(at, None)], self.closed),
                )
                for n, (plan, at) in enumerate(zip(providers, sent, strict=True))
            ),
        )

    def data_sharing_signature(self, plan: Plan, documentation_system: str) -> tuple[Any, ...]:
        """The official's signature on a data-sharing step that was submitted, over the content
        written here (so the workbench shows it as matching); blanks on one never submitted."""
        if plan.steps[Kind.DATA_SHARING] in {StepStatus.DRAFT, StepStatus.CLOSED}:
            return (None, None, "", "", "", "")
        content = signed_data_sharing(
            reference=Application(pk=plan.application).reference,
            profile=DataSharingProfile(documentation_system=documentation_system),
            documents=[],
            reports=[],
        )
        return (
            plan.submitted_at,
            plan.official,
            plan.official_name,
            "Executive Director",
            ATTESTATION_VERSION,
            content_sha256(content),
        )

    def workflow_rows(self, plans: list[Plan]) -> None:
        rows = self.rows
        processes = rows.new_ids(Process, len(plans))
        rows.write(
            Process,
            ("id", "flow_class", "status", "created", "finished"),
            (
                (
                    process,
                    OnboardingFlow,
                    plan.process_status,
                    plan.created,
                    plan.decided_at if plan.process_status != PROCESS.NEW else None,
                )
                for process, plan in zip(processes, plans, strict=True)
            ),
        )
        rows.write(
            OnboardingProcess,
            ("process_ptr_id", "application_id"),
            ((process, plan.application) for process, plan in zip(processes, plans, strict=True)),
        )
        specs = [
            (plan, process, spec)
            for plan, process in zip(plans, processes, strict=True)
            for spec in plan.tasks
        ]
        tasks = rows.new_ids(Task, len(specs))
        rows.write(
            Task,
            (
                "id",
                "flow_task",
                "flow_task_type",
                "status",
                "created",
                "assigned",
                "finished",
                "owner_id",
                "owner_permission",
                "process_id",
            ),
            (
                (
                    task,
                    spec["node"],
                    "START" if spec["node"] is F.start else "HUMAN",
                    spec["status"],
                    spec["created"],
                    spec["created"] if spec["owner"] else None,
                    spec["finished"],
                    spec["owner"],
                    REVIEW_PERMISSIONS.get(spec["node"]),
                    process,
                )
                for task, (_plan, process, spec) in zip(tasks, specs, strict=True)
            ),
        )
        rounds: dict[tuple[int, str], list[ReviewRound]] = {}
        work = []
        for task, (plan, _process, spec) in zip(tasks, specs, strict=True):
            stage = stage_of_node(spec["node"])
            if stage is None:
                continue
            history = rounds.setdefault((plan.application, stage), [])
            history.append(ReviewRound(spec["created"], spec["finished"]))
            is_open = spec["status"] in {STATUS.NEW, STATUS.ASSIGNED}
            work.append(
                (
                    task,
                    plan.application,
                    stage,
                    spec["owner"] if is_open else None,
                    is_open,
                    spec["created"],
                    spec["finished"],
                    due_date(stage, history, self.closed),
                )
            )
        rows.write(
            ReviewWork,
            (
                "task_id",
                "application_id",
                "stage",
                "owner_id",
                "is_open",
                "created_at",
                "finished_at",
                "due_on",
            ),
            work,
        )
        rows.write(
            ReviewDecision,
            (
                "application_id",
                "stage",
                "outcome",
                "reviewer_id",
                "reason",
                "revision",
                "decided_at",
            ),
            (
                (
                    plan.application,
                    stage,
                    outcome,
                    self.managers[0] if stage == "final" else self.reviewers[0],
                    "Deficiencies listed." if outcome != Outcome.APPROVE else "",
                    1,
                    at,
                )
                for plan in plans
                for stage, outcome, at in plan.decisions
            ),
        )


# Given names and surnames of the people the disclosure benchmark lists: many namesakes across
# applications, as in a real network, but none on the generated LEIE (whose names are made of
# syllables, bench/screening.py).
GIVEN_NAMES = ["Maria", "Jose", "Linh", "David", "Aisha", "Carlos", "Mei", "Robert", "Fatima"]
GIVEN_NAMES += ["James", "Ana", "Tuan", "Sarah", "Miguel", "Grace", "Omar", "Elena", "Kevin"]
SURNAMES = ["Garcia", "Nguyen", "Smith", "Hernandez", "Kim", "Johnson", "Lopez", "Patel"]
SURNAMES += ["Williams", "Martinez", "Chen", "Brown", "Rodriguez", "Tran", "Davis", "Singh"]


def valid_npi(first_nine: str) -> str:
    """An NPI with a correct check digit, so that screening looks it up in the registry."""
    return f"{first_nine}{npi_check_digit(first_nine)}"


def seed_disclosed_applications(
    applications: int,
    people: int,
    listed: list[tuple[str, str, date]],
    *,
    every: int = 100,
    seed: int = 7,
    batch: int = 2000,
) -> list[int]:
    """Adds ``applications`` active providers, each disclosing ``people`` people (owners,
    officers and managing employees, their SSN and date of birth encrypted as the portal stores
    them). In one application of ``every`` one of them is a person of ``listed`` (last name,
    first name, date of birth: rows of an exclusion list) under that name and birth date, and in
    another a namesake of one, born on another day. The new applications' ids, in order."""
    rnd = random.Random(seed)
    rows = TableRows(connection)
    now = timezone.now()
    password = make_password(None)
    roles = [
        (DisclosedParty.Position.OFFICER, "Chief Executive Officer", True),
        (DisclosedParty.Position.DIRECTOR, "Director", False),
        (DisclosedParty.Position.BOARD_MEMBER, "Board member", False),
        ("", "Program manager", True),
    ]
    made: list[int] = []
    while len(made) < applications:
        size = min(batch, applications - len(made))
        with transaction.atomic():
            officials = rows.new_ids(User, size)
            organizations = rows.new_ids(Organization, size)
            ids = rows.new_ids(Application, size)
            rows.write(
                User,
                ("id", "email", "full_name", "password", "date_joined"),
                (
                    (pk, f"official{pk}@disclosing{pk}.example", f"Official {pk}", password, now)
                    for pk in officials
                ),
            )
            rows.write(
                Organization,
                ("id", "legal_name", "created_at"),
                ((pk, f"Disclosing Care Org {pk}", now) for pk in organizations),
            )
            rows.write(
                Application,
                ("id", "organization_id", "created_by_id", "status", "created_at", "submitted_at"),
                (
                    (pk, organization, official, Status.ACTIVE, now, now)
                    for pk, organization, official in zip(
                        ids, organizations, officials, strict=True
                    )
                ),
            )
            rows.write(
                ApplicationStep,
                ("application_id", "kind", "status", "revision", "submitted_at", "submitted_by_id"),
                (
                    (pk, kind, StepStatus.APPROVED, 1, now, official)
                    for pk, official in zip(ids, officials, strict=True)
                    for kind in (Kind.ENTITY, Kind.ATTESTATIONS, Kind.DATA_SHARING)
                ),
            )
            rows.write(
                EntityProfile,
                ("application_id", "legal_name", "tin", "npi", "service_address", "official_name"),
                (
                    (
                        pk,
                        f"Disclosing Care Org {pk}",
                        f"{rnd.randrange(10**8, 10**9)}",
                        valid_npi(f"1{rnd.randrange(10**7, 10**8)}"),
                        f"{rnd.randrange(1, 9999)} Main St, Los Angeles, CA 90012",
                        f"Official {pk}",
                    )
                    for pk in ids
                ),
            )
            disclosures = rows.new_ids(Disclosure, size)
            rows.write(
                Disclosure,
                ("id", "application_id", "none_family", "none_subcontractors", "none_convictions"),
                ((d, pk, True, True, True) for d, pk in zip(disclosures, ids, strict=True)),
            )
            parties = []
            for n, disclosure in enumerate(disclosures, start=len(made)):
                for i in range(people):
                    last, first = rnd.choice(SURNAMES), rnd.choice(GIVEN_NAMES)
                    born = date(
                        1940 + rnd.randrange(60), rnd.randrange(1, 13), rnd.randrange(1, 29)
                    )
                    if i == 0 and listed and n % every == 0:
                        last, first, born = listed[n // every % len(listed)]
                    elif i == 0 and listed and n % every == every // 2:
                        last, first, born = listed[n // every % len(listed)]
                        born -= timedelta(days=365)  # a namesake, born on another day
                    position, title, manages = roles[i % len(roles)]
                    parties.append(
                        (
                            disclosure,
                            DisclosedParty.Kind.PERSON,
                            first.title(),
                            last.title(),
                            born,
                            f"{rnd.randrange(100, 665)}{rnd.randrange(10, 100)}"
                            f"{rnd.randrange(10**4):04}",
                            f"{rnd.randrange(1, 9999)} Oak St, Los Angeles, CA 90012",
                            f"RN{rnd.randrange(10**5, 10**6)}" if i % 3 == 0 else "",
                            position,
                            title,
                            manages,
                        )
                    )
            rows.write(
                DisclosedParty,
                (
                    "disclosure_id",
                    "kind",
                    "first_name",
                    "last_name",
                    "date_of_birth",
                    "ssn",
                    "home_address",
                    "licence_number",
                    "position",
                    "title",
                    "is_managing_employee",
                ),
                parties,
            )
        made += ids
    fresh_statistics()
    return made


def fresh_statistics() -> None:
    """PostgreSQL's statistics, or the planner guesses a handful of rows where there are
    thousands (the review queue took 75 ms instead of 2 until autovacuum caught up); and, outside
    a transaction (VACUUM cannot run in one, a test's), the visibility map, or index-only scans
    read the tables' pages too until autovacuum has run."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def split_tokens_give() -> int:
    """The split of seed_scale's applications into their two parallel steps, as the flow leaves
    it: seed_scale writes every task with the token "start" and no Split task, so the flow's
    Join, meeting a token that is no split token, goes on at the first of the two approvals and
    again at the second, and the application gets two final-approval tasks. Here each process
    whose steps went parallel gets its Split task (done) and the branches' tasks the split's
    tokens ``start/<split>_1`` (attestations) and ``start/<split>_2`` (data sharing), as
    ``flow.Split`` gives them. Returns the number of processes repaired."""
    start = Token("start")  # the token of a flow before any split
    branches = {
        1: [F.attestations, F.review_attestations],
        2: [F.data_sharing, F.review_data_sharing],
    }
    parallel = Task.objects.filter(flow_task__in=branches[1] + branches[2], token=start)
    with transaction.atomic():
        first: dict[int, Any] = {}
        for process, created in parallel.values_list("process_id", "created").order_by("created"):
            first.setdefault(process, created)
        splits = Task.objects.bulk_create(
            Task(
                process_id=process,
                flow_task=F.split_steps,
                flow_task_type="PARALLEL_GATEWAY",
                status=STATUS.DONE,
                created=created,
                finished=created,
                token=start,
            )
            for process, created in first.items()
        )
        for split in splits:
            for path, nodes in branches.items():
                Task.objects.filter(
                    process_id=split.process_id, flow_task__in=nodes, token=start
                ).update(token=Token(f"start/{split.pk}_{path}"))
    return len(splits)
