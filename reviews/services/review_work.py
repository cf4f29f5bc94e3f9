"""Keeping the workbench's copy of the review tasks (``ReviewWork``) in step with the flow."""

from collections import defaultdict

from viewflow.workflow.models import Task

from changes.models import ChangeRequestProcess
from onboarding.models import Application
from onboarding.nodes import OPEN_STATUSES, review_nodes, stage_of
from reviews.models import ReviewDecision, ReviewWork
from reviews.sla import ReviewRound, due_date, holidays


def review_work_refresh(application: Application) -> list[ReviewWork]:
    """Rewrite the application's review work from its viewflow review tasks.

    Called after everything that creates, claims, releases, finishes or cancels a review task, so
    the queues show what the flow says. Due dates count earlier rounds of the same step against
    its allowance (the clock pauses while the step is with the applicant).
    """
    # The onboarding process and the change requests' (looked up apart, so each uses an index).
    processes = [
        application.process.pk,
        *ChangeRequestProcess.objects.filter(change_request__application=application).values_list(
            "pk", flat=True
        ),
    ]
    tasks = list(
        Task.objects.filter(
            process_id__in=processes, flow_task__in=list(review_nodes().values())
        ).order_by("created", "pk")
    )
    closed = holidays()
    rounds: dict[str, list[ReviewRound]] = defaultdict(list)
    rows = []
    for task in tasks:
        stage = stage_of(task)
        is_open = task.status in OPEN_STATUSES
        # Each change request's rounds count against its own allowance.
        clock = f"{stage}:{task.process_id}" if stage == ReviewDecision.Stage.CHANGE else stage
        rounds[clock].append(ReviewRound(task.created, task.finished))
        rows.append(
            ReviewWork(
                task_id=task.pk,
                application=application,
                stage=stage,
                owner_id=task.owner_id if is_open else None,
                is_open=is_open,
                created_at=task.created,
                finished_at=task.finished,
                due_on=due_date(stage, rounds[clock], closed),
            )
        )
    ReviewWork.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["task"],
        update_fields=["owner", "is_open", "finished_at", "due_on"],
    )
    return rows
