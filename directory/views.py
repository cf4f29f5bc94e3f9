"""The public FHIR endpoints: no sign-in, GET only, JSON only; errors are OperationOutcomes.

Any failure is answered in FHIR: a bad request with 400, an unknown type or id with 404, another
method with 405, and an unexpected error (logged) with 500 rather than an HTML page.
"""

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from directory import capability
from directory.bundles import IssueCode, operation_outcome, searchset
from directory.catalogue import SERVED_TYPES, Catalogue
from directory.includes import included
from directory.search import RESOURCE_ID, Criterion, SearchError, Token, find, parse_query

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json; charset=utf-8"
View = Callable[..., HttpResponse]


def fhir_response(data: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type=FHIR_JSON, status=status
    )
    # Public data anyone may read, from any site; always fresh (nothing is cached).
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return response


def outcome(status: int, code: IssueCode, diagnostics: str) -> HttpResponse:
    return fhir_response(operation_outcome(code, diagnostics), status)


def fhir_endpoint(view: View) -> View:
    """GET (and HEAD) only, without CSRF (nothing is ever written), and every error answered
    with an OperationOutcome."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = outcome(405, "not-supported", "The directory is read-only: use GET.")
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except SearchError as error:
            return outcome(400, "invalid", str(error))
        except Exception:
            logger.exception("The FHIR directory failed on %s", request.path)
            return outcome(500, "exception", "The server could not answer this request.")

    return wrapper


def base_url(request: HttpRequest) -> str:
    """The FHIR base, ending in a slash: ``https://…/fhir/``."""
    return request.build_absolute_uri(reverse("directory:metadata")).removesuffix("metadata")


@fhir_endpoint
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability.capability_statement(base_url(request)))


@fhir_endpoint
def openapi(request: HttpRequest) -> HttpResponse:
    response = fhir_response(capability.openapi_document())
    response["Content-Type"] = "application/json"
    return response


def unknown_type(resource_type: str) -> HttpResponse:
    return outcome(
        404,
        "not-found",
        f"This server does not serve {resource_type[:60]!r}; it serves {', '.join(SERVED_TYPES)}.",
    )


@fhir_endpoint
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    served = SERVED_TYPES.get(resource_type)
    if served is None:
        return unknown_type(resource_type)
    if RESOURCE_ID.fullmatch(resource_id):
        criterion = Criterion(served.params["_id"], (Token(None, resource_id),))
        found = find(Catalogue().sources(resource_type), [criterion], 0, 1)
        if found.resources:
            return fhir_response(found.resources[0])
    return outcome(404, "not-found", f"{resource_type}/{resource_id[:64]} is not in the directory.")


@fhir_endpoint
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    served = SERVED_TYPES.get(resource_type)
    if served is None:
        return unknown_type(resource_type)
    query = parse_query(request.GET, served.params)
    catalogue = Catalogue()
    found = find(catalogue.sources(resource_type), query.criteria, query.offset, query.count)
    extra = included(catalogue, served, found.resources, query.include, query.revinclude)
    base = base_url(request)

    def page_url(offset: int) -> str:
        params = request.GET.copy()
        params["_count"] = str(query.count)
        params["_offset"] = str(offset)
        return f"{base}{resource_type}?{params.urlencode()}"

    following = query.offset + query.count
    return fhir_response(
        searchset(
            base=base,
            matches=found.resources,
            included=extra,
            total=found.total,
            self_url=page_url(query.offset),
            next_url=page_url(following) if query.count and following < found.total else None,
            previous_url=page_url(max(0, query.offset - query.count))
            if query.count and query.offset
            else None,
        )
    )
