"""The onboarding flow's nodes as the portal's pages and services know them."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from onboarding.flows import OnboardingFlow
from onboarding.models import ApplicationStep
from reviews.models import ReviewDecision

Kind = ApplicationStep.Kind
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED)

REVIEW_NODES = {
    ReviewDecision.Stage.ENTITY: OnboardingFlow.review_entity,
    ReviewDecision.Stage.ATTESTATIONS: OnboardingFlow.review_attestations,
    ReviewDecision.Stage.DATA_SHARING: OnboardingFlow.review_data_sharing,
    ReviewDecision.Stage.FINAL: OnboardingFlow.final_approval,
}
STAGE_BY_NODE = {node: stage for stage, node in REVIEW_NODES.items()}
ACKNOWLEDGE_NODE = OnboardingFlow.acknowledge_packet


def stage_of(task: Task) -> ReviewDecision.Stage:
    return STAGE_BY_NODE[task.flow_task]
