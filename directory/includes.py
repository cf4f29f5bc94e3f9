"""``_include`` and ``_revinclude``: the resources a page refers to, and those referring to it.

Each adds one search per type referred to (by ``_id``, or by the reference parameter), so the
number of queries does not grow with the page.
"""

from collections import defaultdict

from directory.catalogue import SERVED_TYPES, Catalogue, ServedType, revinclude_options
from directory.search import JSON, Criterion, Ref, SearchError, Token, find

# How many resources one _revinclude may add to a page (a provider has a handful of roles).
REVINCLUDE_LIMIT = 1000


def by_id(catalogue: Catalogue, resource_type: str, ids: list[str]) -> list[JSON]:
    served = SERVED_TYPES[resource_type]
    criterion = Criterion(served.params["_id"], tuple(Token(None, i) for i in ids))
    return find(catalogue.sources(resource_type), [criterion], 0, len(ids)).resources


def forward(
    catalogue: Catalogue, served: ServedType, matches: list[JSON], value: str
) -> list[JSON]:
    """``_include=Type:param[:Target]``: the resources the matches' ``param`` refers to."""
    resource_type, _, rest = value.partition(":")
    code, _, target = rest.partition(":")
    if resource_type != served.name or code not in served.reference_params:
        raise SearchError(
            f"_include={value[:80]} is not supported here; supported: "
            + ", ".join(f"{served.name}:{c}" for c in served.reference_params)
        )
    wanted: dict[str, list[str]] = defaultdict(list)
    for resource in matches:
        for reference in served.params[code].extract(resource):
            target_type, _, target_id = reference.rpartition("/")
            if target_type in SERVED_TYPES and target in ("", target_type):
                wanted[target_type].append(target_id)
    found: list[JSON] = []
    for target_type, ids in sorted(wanted.items()):
        found += by_id(catalogue, target_type, sorted(set(ids)))
    return found


def reverse(
    catalogue: Catalogue, served: ServedType, matches: list[JSON], value: str
) -> list[JSON]:
    """``_revinclude=Type:param``: the resources whose ``param`` refers to one of the matches."""
    options = revinclude_options(served.name)
    if value not in options:
        raise SearchError(
            f"_revinclude={value[:80]} is not supported here; supported: {', '.join(options)}"
        )
    if not matches:
        return []
    if served.name == "Organization":
        same_rows = catalogue.from_the_same_rows(matches, value)
        if same_rows is not None:
            return same_rows
    source_type, _, code = value.partition(":")
    source = SERVED_TYPES[source_type]
    criterion = Criterion(
        source.params[code], tuple(Ref(served.name, resource["id"]) for resource in matches)
    )
    return find(catalogue.sources(source_type), [criterion], 0, REVINCLUDE_LIMIT).resources


def included(
    catalogue: Catalogue,
    served: ServedType,
    matches: list[JSON],
    include: list[str],
    revinclude: list[str],
) -> list[JSON]:
    """Everything ``_include`` and ``_revinclude`` add to the page, each resource once and none
    that is already a match."""
    seen = {(r["resourceType"], r["id"]) for r in matches}
    added: list[JSON] = []
    groups = [forward(catalogue, served, matches, value) for value in include] + [
        reverse(catalogue, served, matches, value) for value in revinclude
    ]
    for group in groups:
        for resource in group:
            key = (resource["resourceType"], resource["id"])
            if key not in seen:
                seen.add(key)
                added.append(resource)
    return added
