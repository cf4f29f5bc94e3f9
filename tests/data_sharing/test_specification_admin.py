"""File specifications are data: seeded by a migration, edited by plan administrators."""

from typing import Any

import pytest
from django.test import Client

from data_exchange.models import FileSpecification
from portal.roles import Role
from tests.data_sharing.samples import specification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_both_rtf_versions_and_the_otf():
    seeded = {
        (spec.kind, spec.version): (spec.is_current, spec.columns.count())
        for spec in FileSpecification.objects.all()
    }

    assert seeded == {
        ("rtf", "2022"): (False, 38),
        ("rtf", "2025-07"): (True, 41),
        ("otf", "2022"): (True, 12),
    }
    cin = specification("rtf").columns.get(name="Member Client Index Number (CIN)")
    assert (cin.format, cin.required, cin.member_data) == ("cin", True, True)


def post_data(response: Any) -> dict[str, Any]:
    """What the admin's change form would send back unchanged."""
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None and value is not False:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for row in formset.forms:
            for name, field in row.fields.items():
                value = row.get_initial_for_field(field, name)
                if name == "id":
                    value = row.instance.pk
                if value is not None and value is not False:
                    data[row.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_a_plan_administrator_makes_another_version_current_in_the_admin():
    client = Client()
    client.force_login(UserFactory.create(is_staff=True, groups=[Role.PLAN_ADMIN.value]))
    spec_2022 = specification("rtf", "2022")
    url = f"/admin/data_exchange/filespecification/{spec_2022.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = post_data(page)
    data["is_current"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302, [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ] + [response.context["errors"]]
    assert specification("rtf").version == "2022"
    assert not FileSpecification.objects.get(kind="rtf", version="2025-07").is_current


def test_reviewers_cannot_edit_file_specifications(reviewer):
    client = Client()
    client.force_login(reviewer)

    response = client.get("/admin/data_exchange/filespecification/")

    assert response.status_code == 302
