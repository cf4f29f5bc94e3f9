"""Every applicant step kind is one definition, and nothing outside it branches on the kind."""

import re
from pathlib import Path

import pytest
from django.template.loader import get_template

from onboarding.models import ApplicationStep
from onboarding.steps import (
    UnknownStep,
    definition_for_slug,
    definition_of,
    definition_screening,
    step_definitions,
)

ROOT = Path(__file__).resolve().parents[2]
# Where a kind may not be named: these ask the step's definition instead. No allow-list is needed.
SCANNED = [
    *sorted((ROOT / "onboarding" / "views").glob("*.py")),
    ROOT / "onboarding" / "requirements.py",
    ROOT / "templates" / "includes" / "step_summary.html",
    *sorted((ROOT / "reviews" / "views").glob("*.py")),
    *sorted((ROOT / "templates" / "reviews").glob("*.html")),
]
KIND_BRANCH = re.compile(
    r"(Kind|Stage)\.(ENTITY|ATTESTATIONS|DATA_SHARING)\b|(kind|stage) == \"|kind=\""
)


def test_every_step_kind_has_exactly_one_definition():
    kinds = [definition.kind for definition in step_definitions()]
    assert sorted(kinds) == sorted(ApplicationStep.Kind.values)
    assert len(kinds) == len(set(kinds))


def test_slugs_are_unique_and_the_step_pages_addresses():
    slugs = [definition.slug for definition in step_definitions()]
    assert len(slugs) == len(set(slugs))
    for definition in step_definitions():
        assert definition.slug == ApplicationStep(kind=definition.kind).slug
        assert definition_for_slug(definition.slug) is definition
        assert definition_of(definition.kind) is definition


def test_an_unknown_step_is_a_lookup_error():
    with pytest.raises(UnknownStep):
        definition_for_slug("final")
    with pytest.raises(LookupError):
        definition_of("final")


def test_each_screening_subject_belongs_to_one_step():
    subjects = [d.screening_subject for d in step_definitions() if d.screening_subject]
    assert len(subjects) == len(set(subjects))
    for subject in subjects:
        assert definition_screening(subject).screening_subject == subject


@pytest.mark.parametrize("definition", step_definitions(), ids=lambda d: d.slug)
def test_each_definitions_templates_exist(definition):
    get_template(definition.template_name)
    get_template(definition.summary_template)


@pytest.mark.django_db
@pytest.mark.parametrize("definition", step_definitions(), ids=lambda d: d.slug)
def test_each_definitions_forms_and_summary_render(definition, application):
    form = definition.main_form(application, None)
    assert not form.is_bound
    assert str(form)
    for extra in definition.extra_forms().values():
        assert str(extra)
    context = {"application": application, **definition.page_context(application)}
    assert get_template(definition.summary_template).render(context).strip()
    assert definition.document_choices(application)
    assert definition.review_items()
    assert definition.problems(application.step(definition.kind))


@pytest.mark.django_db
@pytest.mark.parametrize("definition", step_definitions(), ids=lambda d: d.slug)
def test_each_definitions_review_context_renders_its_summary_and_sections(definition, application):
    context = {"application": application, **definition.review_context(application)}
    assert get_template(definition.summary_template).render(context).strip()
    if definition.review_extras_template:
        assert get_template(definition.review_extras_template).render(context).strip()


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_outside_the_definitions_branches_on_a_step_kind(path):
    found = [
        f"{n}: {line.strip()}"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if KIND_BRANCH.search(line)
    ]
    assert found == []


def test_the_scan_finds_a_branch_on_a_kind():
    assert KIND_BRANCH.search("if kind == Kind.ENTITY:")
    assert KIND_BRANCH.search('{% if kind == "entity" %}')
    assert KIND_BRANCH.search("by_item = stage == Stage.ATTESTATIONS")
    assert KIND_BRANCH.search('{% with kind="entity" %}')
    assert not KIND_BRANCH.search("definition_of(step.kind).problems(step)")
