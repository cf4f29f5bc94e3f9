"""Bulk-create realistic applications in every state, with their viewflow processes and tasks.

For measuring the workbench at scale (``bench/pages.py``): rows are written with ``bulk_create``
in batches, never by running the flow, so 100,000 applications take minutes, not hours. The rows
are what the flow would have left behind: one process per application, its human tasks in the
right statuses (review tasks held by seeded reviewers or waiting in the queue), the workbench's
``ReviewWork`` copy with due dates, timeline events, decisions and screening results.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

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
    Membership,
    OnboardingProcess,
    Organization,
    PopulationCapacity,
    PopulationServed,
    ReviewDecision,
    ReviewWork,
    ScreeningResult,
    ServiceCounty,
)
from onboarding.reference import (
    AgreementKind,
    CareTeamRole,
    County,
    PartnerKind,
    PopulationOfFocus,
    QualificationCriterion,
)
from onboarding.services.workflow import STAGE_BY_NODE
from onboarding.sla import ReviewRound, due_date, holidays
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVIEW_PERMISSION, Role

F = OnboardingFlow
Status = Application.Status
StepStatus = ApplicationStep.Status
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
    ("active", 23),
    ("denied", 8),
    ("withdrawn", 6),
]
REVIEW_PERMISSIONS = {
    F.review_entity: REVIEW_PERMISSION,
    F.review_attestations: REVIEW_PERMISSION,
    F.review_data_sharing: REVIEW_PERMISSION,
    F.final_approval: FINAL_APPROVAL_PERMISSION,
}


@contextmanager
def timestamps_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the historical dates we set instead of stamping 'now'."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))  # type: ignore[attr-defined]
                f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[attr-defined]


@dataclass
class Plan:
    """What one application's history looks like, before it is written."""

    status: str
    steps: dict[str, str]
    tasks: list[dict[str, Any]] = field(default_factory=list)
    process_status: str = PROCESS.NEW
    events: list[tuple[str, datetime]] = field(default_factory=list)
    decisions: list[tuple[str, str, datetime]] = field(default_factory=list)


class Command(BaseCommand):
    help = "Bulk-create N realistic applications in all states, with their processes and tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applications", type=int, default=1000)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--reviewers", type=int, default=20)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        # Repeatable made-up data, not secrets.
        self.random = random.Random(options["seed"])  # noqa: S311
        self.now = timezone.now()
        self.closed = holidays()
        self.entity_types = list(EntityType.objects.values_list("pk", flat=True))
        self.reviewers, self.managers = self.staff(options["reviewers"])
        self.password = make_password(None)
        self.scenarios = [name for name, weight in SCENARIOS for _ in range(weight)]
        total = options["applications"]
        start = User.objects.count()
        made = 0
        while made < total:
            size = min(options["batch"], total - made)
            with (
                transaction.atomic(),
                timestamps_as_given(
                    Application, ApplicationEvent, ReviewDecision, Organization, ScreeningResult
                ),
            ):
                self.batch(start + made, size)
            made += size
            self.stdout.write(f"{made} / {total} applications")
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses a handful of rows where there are
            # thousands (the review queue took 75 ms instead of 2 until autovacuum caught up).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Seeded {total} applications."))

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
        users = User.objects.bulk_create(
            User(
                email=f"official{offset + i}@org{offset + i}.example",
                full_name=f"Official {offset + i}",
                password=self.password,
                date_joined=self.now,
            )
            for i in range(size)
        )
        created = [self.now - timedelta(days=rnd.uniform(1, 540)) for _ in range(size)]
        organizations = Organization.objects.bulk_create(
            Organization(legal_name=f"Community Care Org {offset + i}", created_at=created[i])
            for i in range(size)
        )
        Membership.objects.bulk_create(
            Membership(
                organization=o, user=u, role=Membership.Role.AUTHORIZED_OFFICIAL, joined_at=c
            )
            for o, u, c in zip(organizations, users, created, strict=True)
        )
        plans = [self.plan(rnd.choice(self.scenarios), c, users[i]) for i, c in enumerate(created)]
        applications = Application.objects.bulk_create(
            Application(
                organization=organizations[i],
                created_by=users[i],
                status=plan.status,
                created_at=created[i],
                updated_at=max([created[i]] + [t for _k, t in plan.events]),
                submitted_at=next((t for k, t in plan.events if k == "step_submitted"), None),
                decided_at=next(
                    (t for k, t in plan.events if k in {"final_approved", "denied", "withdrawn"}),
                    None,
                ),
                decision_reason="Does not meet criterion 3."
                if plan.status == Status.DENIED
                else "",
                effective_date=next(
                    (t.date() for k, t in plan.events if k == "final_approved"), None
                ),
            )
            for i, plan in enumerate(plans)
        )
        self.domain_rows(applications, plans, users)
        self.workflow_rows(applications, plans)

    def plan(self, scenario: str, created: datetime, official: User) -> Plan:
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
            Status.DRAFT, {str(k): str(v) for k, v in draft.items()}, events=[("created", created)]
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
        return plan

    def task(
        self,
        node: Any,
        status: str,
        created: datetime,
        finished: datetime | None,
        owner: User | None,
    ) -> dict[str, Any]:
        return {
            "node": node,
            "status": status,
            "created": created,
            "finished": finished if status in {STATUS.DONE, STATUS.CANCELED} else None,
            "owner": owner,
        }

    def domain_rows(
        self, applications: list[Application], plans: list[Plan], users: list[User]
    ) -> None:
        rnd = self.random
        counties = County.values
        populations = PopulationOfFocus.values
        ApplicationStep.objects.bulk_create(
            ApplicationStep(
                application=a,
                kind=kind,
                status=status,
                revision=0 if status == StepStatus.DRAFT else 1,
                submitted_at=a.submitted_at if status != StepStatus.DRAFT else None,
                submitted_by=users[i] if status != StepStatus.DRAFT else None,
            )
            for i, (a, plan) in enumerate(zip(applications, plans, strict=True))
            for kind, status in plan.steps.items()
        )
        profiles = EntityProfile.objects.bulk_create(
            EntityProfile(
                application=a,
                legal_name=f"Community Care Org {a.pk}",
                tin=f"{rnd.randrange(10**8, 10**9)}",
                npi=f"1{rnd.randrange(10**8, 10**9)}",
                service_address=f"{rnd.randrange(1, 9999)} Main St, Los Angeles, CA 90012",
                official_name=f"Official {a.pk}",
                official_title="Executive Director",
                contact_name=f"Contact {a.pk}",
                contact_email=f"contact@org{a.pk}.example",
                contact_phone="213-555-0100",
            )
            for a in applications
        )
        Through = EntityProfile.entity_types.through
        Through.objects.bulk_create(
            Through(entityprofile_id=p.pk, entitytype_id=rnd.choice(self.entity_types))
            for p in profiles
        )
        served = {p.pk: rnd.sample(counties, rnd.choice([1, 1, 2, 3])) for p in profiles}
        ServiceCounty.objects.bulk_create(
            ServiceCounty(profile=p, county=c) for p in profiles for c in served[p.pk]
        )
        CapabilityAttestation.objects.bulk_create(
            CapabilityAttestation(application=a, languages_offered="English, Spanish")
            for a in applications
        )
        CriterionAttestation.objects.bulk_create(
            CriterionAttestation(
                application=a,
                criterion=c,
                attested=a.status != Status.DRAFT,
                narrative="We meet this through weekly case conferences and a shared care plan.",
            )
            for a in applications
            for c in QualificationCriterion.values
        )
        licence = {
            "license_type": "LCSW",
            "license_number": "LCS10001",
            "license_state": "CA",
            "license_expires_on": timezone.localdate() + timedelta(days=400),
        }
        CommunityPartner.objects.bulk_create(
            CommunityPartner(
                application=a,
                kind=kind,
                organization_name=f"{kind.label} partner of {a.pk}",
                agreement_kind=rnd.choice(AgreementKind.values),
            )
            for a in applications
            for kind in PartnerKind
        )
        CareTeamMember.objects.bulk_create(
            CareTeamMember(
                application=a,
                role=role,
                full_name=f"{role.label} {a.pk}",
                email=f"{role.value}@org{a.pk}.example",
                fte=rnd.choice([Decimal("0.50"), Decimal("1.00")]),
                languages="English, Spanish",
                **(licence if role == CareTeamRole.CLINICAL_CONSULTANT else {}),
            )
            for a in applications
            for role in (
                CareTeamRole.LEAD_CARE_MANAGER,
                CareTeamRole.ECM_DIRECTOR,
                CareTeamRole.CLINICAL_CONSULTANT,
            )
        )
        chosen = {a.pk: rnd.sample(populations, rnd.choice([1, 2, 3])) for a in applications}
        PopulationServed.objects.bulk_create(
            PopulationServed(
                application=a, population=population, years_experience=rnd.randrange(0, 15)
            )
            for a in applications
            for population in chosen[a.pk]
        )
        PopulationCapacity.objects.bulk_create(
            PopulationCapacity(
                application=a,
                population=population,
                county=served[p.pk][0],
                member_capacity=rnd.randrange(10, 400),
            )
            for a, p in zip(applications, profiles, strict=True)
            for population in chosen[a.pk]
        )
        DataSharingProfile.objects.bulk_create(
            DataSharingProfile(application=a, documentation_system="CareFlow") for a in applications
        )
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(application=a, kind=kind, actor=None, created_at=at, detail="")
            for a, plan in zip(applications, plans, strict=True)
            for kind, at in plan.events
        )
        ScreeningResult.objects.bulk_create(
            ScreeningResult(
                application=a,
                check_name="npi_check_digit",
                subject="NPI",
                outcome=ScreeningResult.Outcome.CLEAR,
                evidence="Luhn check passed",
                revision=1,
                checked_at=a.submitted_at,
            )
            for a in applications
            if a.submitted_at
        )

    def workflow_rows(self, applications: list[Application], plans: list[Plan]) -> None:
        processes = Process.objects.bulk_create(
            Process(
                flow_class=OnboardingFlow,
                status=plan.process_status,
                created=a.created_at,
                finished=a.decided_at if plan.process_status != PROCESS.NEW else None,
            )
            for a, plan in zip(applications, plans, strict=True)
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                # The table name is our own model's, not input. bulk_create cannot write the
                # child rows of a multi-table model, so they are inserted directly.
                f"INSERT INTO {OnboardingProcess._meta.db_table} "  # noqa: S608
                "(process_ptr_id, application_id) VALUES (%s, %s)",
                [(p.pk, a.pk) for p, a in zip(processes, applications, strict=True)],
            )
        specs = []
        for a, plan, process in zip(applications, plans, processes, strict=True):
            for spec in plan.tasks:
                spec["process"] = process
                specs.append((a, spec))
        tasks = Task.objects.bulk_create(
            Task(
                flow_task=spec["node"],
                flow_task_type="HUMAN" if spec["node"] is not F.start else "START",
                status=spec["status"],
                created=spec["created"],
                assigned=spec["created"] if spec["owner"] else None,
                finished=spec["finished"],
                owner=spec["owner"],
                owner_permission=REVIEW_PERMISSIONS.get(spec["node"]),
                process=spec["process"],
            )
            for _a, spec in specs
        )
        rounds: dict[tuple[int, str], list[ReviewRound]] = {}
        work = []
        for (application, spec), task in zip(specs, tasks, strict=True):
            stage = STAGE_BY_NODE.get(spec["node"])
            if stage is None:
                continue
            history = rounds.setdefault((application.pk, stage), [])
            history.append(ReviewRound(task.created, task.finished))
            is_open = task.status in {STATUS.NEW, STATUS.ASSIGNED}
            work.append(
                ReviewWork(
                    task=task,
                    application=application,
                    stage=stage,
                    owner=task.owner if is_open else None,
                    is_open=is_open,
                    created_at=task.created,
                    finished_at=task.finished,
                    due_on=due_date(stage, history, self.closed),
                )
            )
        ReviewWork.objects.bulk_create(work)
        ReviewDecision.objects.bulk_create(
            ReviewDecision(
                application=a,
                stage=stage,
                outcome=outcome,
                reviewer=self.managers[0] if stage == "final" else self.reviewers[0],
                reason="Deficiencies listed." if outcome != Outcome.APPROVE else "",
                revision=1,
                decided_at=at,
            )
            for a, plan in zip(applications, plans, strict=True)
            for stage, outcome, at in plan.decisions
        )
