"""What the server says about itself: the FHIR CapabilityStatement (``/fhir/metadata``) and an
OpenAPI description of the same endpoints (``/fhir/openapi.json``) for API fuzzing in CI."""

from typing import Any

from django.conf import settings
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from directory import codes
from directory.catalogue import SERVED_TYPES, ServedType, revinclude_options
from directory.resources import validated
from directory.search import JSON, RESULT_PARAMETERS

# The day this statement last changed in substance (FHIR asks for a date).
STATEMENT_DATE = "2026-05-01"
BASE_PARAMETERS = {
    "_id": "http://hl7.org/fhir/SearchParameter/Resource-id",
    "_lastUpdated": "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated",
}
# Parameters we serve that Plan-Net does not define; their definitions are FHIR's own.
CORE_PARAMETERS = {
    ("Organization", "identifier"): "http://hl7.org/fhir/SearchParameter/Organization-identifier",
    ("Practitioner", "identifier"): "http://hl7.org/fhir/SearchParameter/Practitioner-identifier",
    ("HealthcareService", "characteristic"): (
        "http://hl7.org/fhir/SearchParameter/HealthcareService-characteristic"
    ),
}
DOCUMENTATION = (
    "The plan's public directory of Enhanced Care Management (ECM) providers, following the Da "
    "Vinci PDex Plan-Net implementation guide (1.2.0). Read-only (GET), JSON only, open to "
    "anyone without authentication (42 CFR 431.70). Every resource declares its Plan-Net "
    "profile in meta.profile. Paging: _count (default 50, at most 500) and _offset, with self, "
    "next and previous links and the total. Chained searches, _sort, _summary and _elements "
    "are not supported and are refused with an OperationOutcome (400). Addresses are kept on "
    "one line: address, address-city, address-state and address-postalcode match the part of "
    "the line given. Populations of focus are the characteristic of the ECM HealthcareService "
    "(code system {populations}); whether a provider takes new members is the newpatients "
    "extension, from its attested capacity."
)


def parameter_definition(served: ServedType, code: str) -> str:
    if code in BASE_PARAMETERS:
        return BASE_PARAMETERS[code]
    core = CORE_PARAMETERS.get((served.name, code))
    if core:
        return core
    return f"{codes.PLAN_NET}/SearchParameter/{served.name.lower()}-{code}"


def capability_statement(base: str) -> JSON:
    """The CapabilityStatement: every served type with read and search-type, its parameters,
    and the _include and _revinclude values it accepts."""
    return validated(
        CapabilityStatement,
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": STATEMENT_DATE,
            "publisher": settings.PLAN_NAME,
            "kind": "instance",
            "instantiates": [codes.CAPABILITY_STATEMENT],
            "software": {"name": "ECM Provider Onboarding Portal provider directory"},
            "implementation": {
                "description": f"{settings.PLAN_NAME} ECM provider directory",
                "url": base,
            },
            "fhirVersion": "4.0.1",
            "format": ["json", "application/fhir+json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": DOCUMENTATION.format(populations=codes.populations_of_focus()),
                    "security": {
                        "cors": True,
                        "description": "No authentication: the directory is public.",
                    },
                    "resource": [resource_entry(served) for served in SERVED_TYPES.values()],
                }
            ],
        },
    )


def resource_entry(served: ServedType) -> JSON:
    return {
        "type": served.name,
        "supportedProfile": [served.profile],
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "versioning": "no-version",
        "readHistory": False,
        "searchInclude": [f"{served.name}:{code}" for code in served.reference_params] or None,
        "searchRevInclude": revinclude_options(served.name) or None,
        "searchParam": [
            {
                "name": code,
                "definition": parameter_definition(served, code),
                "type": param.kind,
            }
            for code, param in served.params.items()
        ],
    }


def openapi_document() -> dict[str, Any]:
    """OpenAPI 3 for the FHIR endpoints, every query parameter a string: what schemathesis
    needs to throw arbitrary values at them."""
    fhir_json = {"application/fhir+json": {"schema": {"type": "object"}}}
    outcome = {"description": "OperationOutcome", "content": fhir_json}
    paths: dict[str, Any] = {
        "/fhir/metadata": {
            "get": {
                "operationId": "metadata",
                "responses": {"200": {"description": "CapabilityStatement", "content": fhir_json}},
            }
        }
    }
    for served in SERVED_TYPES.values():
        parameters = [
            {"name": code, "in": "query", "required": False, "schema": {"type": "string"}}
            for code in [*served.params, *sorted(RESULT_PARAMETERS)]
        ]
        paths[f"/fhir/{served.name}"] = {
            "get": {
                "operationId": f"search{served.name}",
                "parameters": parameters,
                "responses": {
                    "200": {"description": "searchset Bundle", "content": fhir_json},
                    "400": outcome,
                },
            }
        }
        paths[f"/fhir/{served.name}/{{id}}"] = {
            "get": {
                "operationId": f"read{served.name}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": served.name, "content": fhir_json},
                    "404": outcome,
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{settings.PLAN_NAME} ECM provider directory (FHIR R4, Plan-Net)",
            "version": "1.0.0",
        },
        "paths": paths,
    }
