"""Search results and errors as FHIR: the searchset Bundle and the OperationOutcome."""

from typing import Literal

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome

from directory.resources import validated
from directory.search import JSON

IssueCode = Literal["invalid", "not-found", "not-supported", "exception"]


def operation_outcome(code: IssueCode, diagnostics: str) -> JSON:
    """One error issue, said in plain words."""
    return validated(
        OperationOutcome,
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
        },
    )


def searchset(
    *,
    base: str,
    matches: list[JSON],
    included: list[JSON],
    total: int,
    self_url: str,
    next_url: str | None,
    previous_url: str | None,
) -> JSON:
    """A searchset Bundle: the page of matches, what ``_include``/``_revinclude`` added, the
    total and the ``self`` / ``next`` / ``previous`` links."""
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    if previous_url:
        links.append({"relation": "previous", "url": previous_url})
    resources = [resource for group in (matches, included) for resource in group]
    entries = [
        {
            "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
            "search": {"mode": mode},
        }
        for mode, group in (("match", matches), ("include", included))
        for resource in group
    ]
    # The resources were each validated as they were built: the Bundle around them is validated
    # without them, then given them.
    bundle = validated(
        Bundle,
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": total,
            "link": links,
            "entry": entries or None,
        },
    )
    for entry, resource in zip(bundle.get("entry", []), resources, strict=True):
        entry["resource"] = resource
    return bundle
