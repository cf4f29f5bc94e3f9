from onboarding.models.applications import Application, ApplicationStep, OnboardingProcess
from onboarding.models.attestations import (
    CapabilityAttestation,
    CareTeamMember,
    CriterionAttestation,
    PopulationCapacity,
)
from onboarding.models.data_exchange import (
    FileSpecification,
    SampleFileProblem,
    SampleFileReport,
    SpecColumn,
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
    "FileSpecification",
    "Invitation",
    "Membership",
    "OnboardingProcess",
    "Organization",
    "PopulationCapacity",
    "ReviewDecision",
    "SampleFileProblem",
    "SampleFileReport",
    "ScreeningResult",
    "ServiceCounty",
    "SpecColumn",
]
