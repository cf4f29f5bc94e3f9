"""Looking an NPI up in the national registry (NPPES), behind a small interface.

``NppesNpiRegistry`` calls NPPES's public API: ``NPI_REGISTRY = "nppes"``, a deployment's default.
``OfflineNpiRegistry`` reads a fixtures file and is what tests, ``make run`` and the embedded
default use (``NPI_REGISTRY = "offline"``).
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class NpiRecord:
    number: str
    enumeration_type: str  # "NPI-1" for individuals, "NPI-2" for organizations
    name: str
    is_active: bool
    state: str = ""

    @property
    def is_organization(self) -> bool:
        return self.enumeration_type == "NPI-2"


class RegistryUnavailable(Exception):
    """The registry could not answer; a lookup that failed is never a pass."""


class NpiRegistry(Protocol):
    def lookup(self, npi: str) -> NpiRecord | None:
        """The registry's record of ``npi``; None when it has none. Raises RegistryUnavailable."""
        ...


def _record_from_api(result: dict[str, Any]) -> NpiRecord:
    basic = result.get("basic", {})
    name = basic.get("organization_name") or " ".join(
        part for part in (basic.get("first_name", ""), basic.get("last_name", "")) if part
    )
    state = next(
        (
            a.get("state", "")
            for a in result.get("addresses", [])
            if a.get("address_purpose") == "LOCATION"
        ),
        "",
    )
    return NpiRecord(
        number=str(result.get("number", "")),
        enumeration_type=str(result.get("enumeration_type", "")),
        name=str(name),
        is_active=basic.get("status", "A") == "A",
        state=str(state),
    )


class OfflineNpiRegistry:
    """Answers from a JSON file shaped like NPPES API results: ``{"results": [...]}``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lookup(self, npi: str) -> NpiRecord | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            message = f"the offline NPI registry file cannot be read: {error}"
            raise RegistryUnavailable(message) from error
        for result in data.get("results", []):
            if str(result.get("number")) == npi:
                return _record_from_api(result)
        return None


class NppesNpiRegistry:
    """NPPES NPI Registry API v2.1. It reports errors with HTTP 200, so the body is read."""

    def __init__(self, url: str, timeout: float) -> None:
        if not url.startswith("https://"):
            raise ValueError("NPPES_API_URL must be an https:// address")
        self.url, self.timeout = url, timeout

    def lookup(self, npi: str) -> NpiRecord | None:
        query = urllib.parse.urlencode({"version": "2.1", "number": npi})
        try:
            # S310: the scheme is checked in __init__ (https only).
            request = f"{self.url}?{query}"
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError) as error:
            raise RegistryUnavailable(f"NPPES did not answer: {error}") from error
        if data.get("Errors"):
            descriptions = "; ".join(str(e.get("description", e)) for e in data["Errors"])
            raise RegistryUnavailable(f"NPPES refused the lookup: {descriptions}")
        results = data.get("results") or []
        return _record_from_api(results[0]) if results else None


def npi_registry() -> NpiRegistry:
    """The registry ``NPI_REGISTRY`` names: "nppes" or "offline"; any other name is refused, so a
    misspelt "nppes" never screens real NPIs against the fixtures."""
    if settings.NPI_REGISTRY == "nppes":
        return NppesNpiRegistry(settings.NPPES_API_URL, settings.NPPES_TIMEOUT_SECONDS)
    if settings.NPI_REGISTRY == "offline":
        return OfflineNpiRegistry(Path(settings.NPI_REGISTRY_FIXTURES))
    raise ImproperlyConfigured(
        f"NPI_REGISTRY is {settings.NPI_REGISTRY!r}; it must be 'nppes' or 'offline'."
    )
