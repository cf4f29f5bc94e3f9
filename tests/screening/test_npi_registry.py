"""The NPI registry interface: the offline fixtures file, and NPPES's API without the network."""

import io
import json
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured

from screening.npi_registry import (
    NppesNpiRegistry,
    OfflineNpiRegistry,
    RegistryUnavailable,
    npi_registry,
)
from tests.factories import VALID_NPI


def test_the_embedded_default_is_the_offline_registry_and_knows_the_demo_npi(settings):
    settings.NPI_REGISTRY = "offline"

    registry = npi_registry()

    assert isinstance(registry, OfflineNpiRegistry)
    record = registry.lookup(VALID_NPI)
    assert record is not None
    assert record.is_organization
    assert record.is_active
    assert registry.lookup("1993999998").is_organization is False  # type: ignore[union-attr]
    assert registry.lookup("1000000020") is None


def test_an_unreadable_fixtures_file_is_unavailable_not_a_pass(tmp_path):
    with pytest.raises(RegistryUnavailable):
        OfflineNpiRegistry(tmp_path / "missing.json").lookup(VALID_NPI)


def test_the_live_registry_is_chosen_by_setting_and_only_over_https(settings):
    settings.NPI_REGISTRY = "nppes"
    settings.NPPES_API_URL = "https://npiregistry.cms.hhs.gov/api/"

    assert isinstance(npi_registry(), NppesNpiRegistry)
    with pytest.raises(ValueError, match="https"):
        NppesNpiRegistry("file:///etc/passwd", 1)


@pytest.mark.parametrize("name", ["NPPES", "live", ""])
def test_a_registry_name_that_is_neither_is_refused_not_read_as_offline(settings, name):
    settings.NPI_REGISTRY = name

    with pytest.raises(ImproperlyConfigured, match="'nppes' or 'offline'"):
        npi_registry()


def test_tests_screen_against_the_fixtures_whatever_the_environment_says(settings):
    """tests/conftest.py pins "offline": on PostgreSQL (DEBUG off, a DATABASE_URL) the default
    would be NPPES, and no test may depend on a live service it does not start."""
    assert settings.NPI_REGISTRY == "offline"


class FakeResponse(io.BytesIO):
    def __enter__(self) -> "FakeResponse":
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


def answering(monkeypatch, body: dict) -> list[str]:
    """Stand in for the network: urlopen answers ``body`` with HTTP 200, as NPPES does."""
    asked: list[str] = []

    def urlopen(url: str, timeout: float) -> FakeResponse:
        asked.append(url)
        return FakeResponse(json.dumps(body).encode())

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return asked


def test_nppes_answer_is_read_into_a_record(monkeypatch):
    asked = answering(monkeypatch, {"result_count": 1, "results": [{
        "number": 1234567893, "enumeration_type": "NPI-2",
        "basic": {"organization_name": "SUNRISE COMMUNITY SERVICES", "status": "A"},
        "addresses": [{"address_purpose": "MAILING", "state": "NV"},
                      {"address_purpose": "LOCATION", "state": "CA"}],
    }]})  # fmt: skip

    record = NppesNpiRegistry("https://npiregistry.example/api/", 5).lookup(VALID_NPI)

    assert asked == ["https://npiregistry.example/api/?version=2.1&number=1234567893"]
    assert record is not None
    assert (record.number, record.name, record.state) == (
        VALID_NPI,
        "SUNRISE COMMUNITY SERVICES",
        "CA",
    )


def test_nppes_errors_come_with_http_200_and_are_read_from_the_body(monkeypatch):
    answering(monkeypatch, {"Errors": [{"description": "Invalid NPI number", "field": "number"}]})

    with pytest.raises(RegistryUnavailable, match="Invalid NPI number"):
        NppesNpiRegistry("https://npiregistry.example/api/", 5).lookup(VALID_NPI)


def test_nppes_without_results_means_no_such_npi(monkeypatch):
    answering(monkeypatch, {"result_count": 0, "results": []})

    assert NppesNpiRegistry("https://npiregistry.example/api/", 5).lookup(VALID_NPI) is None


def test_nppes_out_of_reach_is_unavailable(monkeypatch):
    def urlopen(url: str, timeout: float) -> None:
        raise OSError("Network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)

    with pytest.raises(RegistryUnavailable, match="did not answer"):
        NppesNpiRegistry("https://npiregistry.example/api/", 5).lookup(VALID_NPI)
