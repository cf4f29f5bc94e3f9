from onboarding.models.applications import Application, ApplicationStep, OnboardingProcess
from onboarding.models.attestations import (
    CapabilityAttestation,
    CareTeamMember,
    CriterionAttestation,
    PopulationCapacity,
)
from onboarding.models.data_sharing import DataSharingProfile
from onboarding.models.entity import (
    EntityProfile,
    EntityType,
    EvidenceRequirement,
    ServiceCounty,
)
from onboarding.models.events import ApplicationEvent
from onboarding.models.organizations import Invitation, Membership, Organization
from onboarding.models.reviews import Deficiency, ReviewDecision, ScreeningResult
from onboarding.models.screening import ExclusionRecord, ExclusionRelease, ExclusionSource
from onboarding.models.workbench import InternalNote, ReviewWork

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationStep",
    "CapabilityAttestation",
    "CareTeamMember",
    "CriterionAttestation",
    "DataSharingProfile",
    "Deficiency",
    "EntityProfile",
    "EntityType",
    "EvidenceRequirement",
    "ExclusionRecord",
    "ExclusionRelease",
    "ExclusionSource",
    "InternalNote",
    "Invitation",
    "Membership",
    "OnboardingProcess",
    "Organization",
    "PopulationCapacity",
    "ReviewDecision",
    "ReviewWork",
    "ScreeningResult",
    "ServiceCounty",
]
