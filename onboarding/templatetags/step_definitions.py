"""What templates ask a step's definition: ``{% include kind|summary_template %}``."""

from django import template

from onboarding.steps import definition_of

register = template.Library()


@register.filter
def summary_template(kind: str) -> str:
    """The template summarising a step of ``kind`` as submitted."""
    return definition_of(kind).summary_template
