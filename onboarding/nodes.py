"""The onboarding flow's nodes as the portal's pages and services know them.

The review nodes are not listed here: each step kind's definition names its own
(``StepDefinition.review_node``), and the network manager's final approval follows them. A
change request's review (``changes.flows``) is worked in the same workbench, so its node is one
of them too. Like the definitions, they are read on first use, not when this module is imported.
"""

from functools import cache
from typing import Any

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from onboarding.flows import OnboardingFlow
from onboarding.steps import step_definitions
from reviews.models import ReviewDecision

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED)
ACKNOWLEDGE_NODE = OnboardingFlow.acknowledge_packet


@cache
def review_nodes() -> dict[ReviewDecision.Stage, Any]:
    """Each review stage's node (viewflow's nodes are untyped), in the order of the flow."""
    from changes.flows import ChangeRequestFlow  # changes builds on onboarding, not the reverse

    nodes = {ReviewDecision.Stage(step.kind.value): step.review_node for step in step_definitions()}
    nodes[ReviewDecision.Stage.FINAL] = OnboardingFlow.final_approval
    nodes[ReviewDecision.Stage.CHANGE] = ChangeRequestFlow.review
    return nodes


@cache
def _stage_by_node() -> dict[Any, ReviewDecision.Stage]:
    return {node: stage for stage, node in review_nodes().items()}


def stage_of_node(node: Any) -> ReviewDecision.Stage | None:
    """The review stage decided at this node; None for a node that is no review."""
    return _stage_by_node().get(node)


def stage_of(task: Task) -> ReviewDecision.Stage:
    """The review stage of a review task."""
    return _stage_by_node()[task.flow_task]
