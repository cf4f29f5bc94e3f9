"""Applications at the review stage, made the way applicants make them (through the services),
and which parts of a record a look renders."""

from collections.abc import Callable

import pytest

from documents.services import document_upload
from onboarding.models import Application, ApplicationStep, EntityType
from onboarding.services.applications import application_start
from onboarding.services.attestations import capacity_table_save
from onboarding.services.organizations import organization_create
from onboarding.services.steps import step_submit
from reviews import record_sections as sections_module
from reviews.record_sections import rendering
from tests.factories import PDF, UserFactory, fill_entity_step, pdf_upload, refetch, signature_of

MakeApplication = Callable[..., Application]


@pytest.fixture
def submitted_application(db: None) -> MakeApplication:
    """A function making an organization whose entity step waits for review.

    ``entity_type``, ``county`` and ``population`` set what the filters look at.
    """
    counter = iter(range(1, 1000))

    def make(
        *, entity_type: str = "fqhc", county: str = "los_angeles", population: str = "1a"
    ) -> Application:
        n = next(counter)
        official = UserFactory.create(email=f"official{n}@org{n}.example")
        organization = organization_create(
            user=official, legal_name=f"Organization {n}", title="Director"
        )
        official = refetch(official)
        application = application_start(organization=organization, user=official)
        kind = EntityType.objects.get(code=entity_type)
        fill_entity_step(
            application,
            official,
            upload_evidence=False,
            legal_name=f"Organization {n}",
            entity_types=[kind],
            counties=[county],
        )
        for number, requirement in enumerate(kind.evidence_requirements.filter(is_required=True)):
            document_upload(
                application=application,
                step_kind=ApplicationStep.Kind.ENTITY,
                user=official,
                evidence_requirement=requirement,
                upload=pdf_upload(f"evidence-{number}.pdf", PDF + str(number).encode()),
            )
        capacity_table_save(
            application=application,
            user=official,
            populations={population: 3},
            capacities={population: {county: 10}},
        )
        step_submit(
            application=application,
            kind=ApplicationStep.Kind.ENTITY,
            user=official,
            signature=signature_of(official),
        )
        return Application.objects.get(pk=application.pk)

    return make


@pytest.fixture
def parts_rendered(monkeypatch) -> list[str]:
    """The names of the parts rendered from here on (read and rendered, not from the cache)."""
    names: list[str] = []

    def counted(viewer, part, context):
        names.append(part.name)
        return rendering(viewer, part, context)

    monkeypatch.setattr(sections_module, "rendering", counted)
    return names
