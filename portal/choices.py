"""Choice labels read from a per-language table instead of translating every label each time.

Django's ``get_FOO_display()`` hashes the field's whole list of choices on every call, and hashing a
lazy label translates it: a list page showing a few statuses per row translated a thousand labels
per request, a third of its time. Models that show choices on busy pages derive from
``ChoiceLabels``; their ``get_FOO_display()`` then translates each field's labels once per
language per process.
"""

from typing import Any

from django.db import models
from django.utils.translation import get_language

_LABELS: "dict[tuple[models.Field[Any, Any], str], dict[Any, str]]" = {}


class ChoiceLabels(models.Model):
    """Abstract base for models: a cheaper ``get_FOO_display()`` with the same result."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: "models.Field[Any, Any]") -> Any:
        return choice_label(field, getattr(self, field.attname))


def choice_label(field: "models.Field[Any, Any]", value: Any) -> Any:
    """The label of ``value`` among ``field``'s choices in the active language (``value`` itself
    if it is not one): what ``get_FOO_display()`` shows, for rows read without their models."""
    key = (field, get_language() or "")
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    try:
        return labels.get(value, value)
    except TypeError:  # an unhashable value: Django shows it as it is
        return value
