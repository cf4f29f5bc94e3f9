from onboarding.models.applications import Application, ApplicationStep, OnboardingProcess
from onboarding.models.attestations import (
    CapabilityAttestation,
    CareTeamMember,
    CommunityPartner,
    CriterionAttestation,
    CriterionRule,
    PopulationCapacity,
    PopulationServed,
)
from onboarding.models.data_exchange import (
    FileSpecification,
    SampleFileCheck,
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
from onboarding.models.reviews import AcceptedItem, Deficiency, ReviewDecision, ScreeningResult
from onboarding.models.screening import ExclusionRecord, ExclusionRelease, ExclusionSource
from onboarding.models.workbench import InternalNote, ReviewWork

__all__ = [
    "AcceptedItem",
    "Application",
    "ApplicationEvent",
    "ApplicationStep",
    "CapabilityAttestation",
    "CareTeamMember",
    "CommunityPartner",
    "CriterionAttestation",
    "CriterionRule",
    "DataSharingProfile",
    "Deficiency",
    "EntityProfile",
    "EntityType",
    "EvidenceRequirement",
    "ExclusionRecord",
    "ExclusionRelease",
    "ExclusionSource",
    "FileSpecification",
    "InternalNote",
    "Invitation",
    "Membership",
    "OnboardingProcess",
    "Organization",
    "PopulationCapacity",
    "PopulationServed",
    "ReviewDecision",
    "ReviewWork",
    "SampleFileCheck",
    "SampleFileProblem",
    "SampleFileReport",
    "ScreeningResult",
    "ServiceCounty",
    "SpecColumn",
]
