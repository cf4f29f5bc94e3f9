"""``{{ item.requirement|item_label:stage }}``: a returned or accepted item by its name."""

from django import template

from onboarding.review_items import requirement_label

register = template.Library()


@register.filter
def item_label(requirement: str, stage: str) -> str:
    return requirement_label(requirement, stage)
