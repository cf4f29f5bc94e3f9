"""Scoped reads. Applicants reach an application only through their own organization's queryset."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from onboarding.models import Application, ApplicationStep, Deficiency, Organization
from onboarding.services.workflow import REVIEW_NODES, STAGE_BY_NODE
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVIEW_PERMISSION


def organization_of(user: User) -> Organization | None:
    membership = getattr(user, "membership", None)
    return membership.organization if membership else None


def applications_of(user: User) -> QuerySet[Application]:
    """The applications of the user's own organization; nothing for anyone else."""
    membership = getattr(user, "membership", None)
    if membership is None:
        return Application.objects.none()
    return (
        Application.objects.filter(organization_id=membership.organization_id)
        .select_related("organization")
        .prefetch_related("steps")
    )


def application_for_applicant(user: User, pk: int) -> Application:
    """The application if it is the user's organization's; a 404 otherwise, never a 403."""
    return get_object_or_404(applications_of(user), pk=pk)


def application_for_staff(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related(
            "organization", "entity_profile", "data_sharing", "capability_attestation"
        ).prefetch_related("steps", "entity_profile__entity_types", "entity_profile__counties"),
        pk=pk,
    )


def open_deficiencies(application: Application) -> dict[str, list[Deficiency]]:
    """Unresolved deficiencies by step kind, for showing next to the fields they concern."""
    by_step: dict[str, list[Deficiency]] = {kind: [] for kind in ApplicationStep.Kind}
    for item in Deficiency.objects.filter(
        step__application=application, resolved_at__isnull=True
    ).select_related("step"):
        by_step[item.step.kind].append(item)
    return by_step


@dataclass(frozen=True)
class ReviewTask:
    """A review task with the application it belongs to, for the queues."""

    task: Task
    application: Application

    @property
    def stage_label(self) -> str:
        return str(STAGE_BY_NODE[self.task.flow_task].label)


def _review_nodes_for(user: User) -> list[object]:
    nodes = []
    if user.has_perm(REVIEW_PERMISSION):
        nodes += [node for stage, node in REVIEW_NODES.items() if stage != "final"]
    if user.has_perm(FINAL_APPROVAL_PERMISSION):
        nodes.append(REVIEW_NODES["final"])  # type: ignore[index]
    return nodes


def _with_applications(tasks: QuerySet[Task]) -> list[ReviewTask]:
    tasks_list = list(tasks.select_related("owner").order_by("created")[:200])
    applications = {
        application.process.pk: application
        for application in Application.objects.select_related("organization", "process").filter(
            process__pk__in=[task.process_id for task in tasks_list]
        )
    }
    return [ReviewTask(task, applications[task.process_id]) for task in tasks_list]


def review_queue(user: User) -> list[ReviewTask]:
    """Review tasks nobody has claimed that the user's role allows them to take."""
    return _with_applications(
        Task.objects.filter(flow_task__in=_review_nodes_for(user), status=STATUS.NEW)
    )


def my_review_tasks(user: User) -> list[ReviewTask]:
    return _with_applications(
        Task.objects.filter(
            flow_task__in=list(REVIEW_NODES.values()), status=STATUS.ASSIGNED, owner=user
        )
    )


def review_task(pk: int) -> Task:
    return get_object_or_404(Task.objects.filter(flow_task__in=list(REVIEW_NODES.values())), pk=pk)


def open_review_tasks(application: Application) -> list[Task]:
    return list(
        Task.objects.filter(
            process_id=application.process.pk,
            flow_task__in=list(REVIEW_NODES.values()),
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        ).select_related("owner")
    )


def applications_for_staff(status: str | None = None) -> QuerySet[Application]:
    applications = Application.objects.select_related("organization").prefetch_related(
        Prefetch("steps", queryset=ApplicationStep.objects.order_by("kind"))
    )
    if status:
        applications = applications.filter(status=status)
    return applications
