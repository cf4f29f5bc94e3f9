"""Each operation reads in a fixed number of queries, whatever the number of providers."""

import pytest
from django.test import Client

from api.tokens import IssuedToken
from tests.api.conftest import bearer, roster_provider

pytestmark = pytest.mark.django_db

# The token, the page's queries, and the audit row.
QUERIES = {
    "/api/v1/roster": 6,
    "/api/v1/changes": 6,
    "/api/v1/applications/by-npi/1234567893": 4,
}


@pytest.mark.parametrize("path", sorted(QUERIES))
@pytest.mark.parametrize("providers", [2, 12])
def test_queries_do_not_grow_with_providers(
    path: str, providers: int, token: IssuedToken, django_assert_num_queries
):
    for number in range(providers):
        roster_provider(number, npi="1234567893")
    client = Client()
    with django_assert_num_queries(QUERIES[path]):
        response = client.get(path, headers=bearer(token))
    assert response.status_code == 200
