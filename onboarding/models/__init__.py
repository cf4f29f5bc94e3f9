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
from onboarding.models.data_sharing import DataSharingProfile
from onboarding.models.entity import EntityProfile, EntityType, EvidenceRequirement, ServiceCounty
from onboarding.models.events import ApplicationEvent
from onboarding.models.organizations import Invitation, Membership, Organization

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationStep",
    "CapabilityAttestation",
    "CareTeamMember",
    "CommunityPartner",
    "CriterionAttestation",
    "CriterionRule",
    "DataSharingProfile",
    "EntityProfile",
    "EntityType",
    "EvidenceRequirement",
    "Invitation",
    "Membership",
    "OnboardingProcess",
    "Organization",
    "PopulationCapacity",
    "PopulationServed",
    "ServiceCounty",
]
