"""One page of a long staff list, and the links to the pages around it (reviews/_pages.html)."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest


def page_context(items: Any, request: HttpRequest, size: int = 50) -> dict[str, Any]:
    """The page the request asks for, and the query strings of this list (``query``, for an
    export of the same selection) and of its previous and next pages."""
    page = Paginator(items, size).get_page(request.GET.get("page"))
    query = {key: value for key, value in request.GET.items() if key != "page"}
    return {
        "page": page,
        "query": urlencode(query),
        "previous_query": urlencode({**query, "page": page.number - 1}),
        "next_query": urlencode({**query, "page": page.number + 1}),
    }
