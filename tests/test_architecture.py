"""Import rules of the apps, read from the source: no app imports another's views, and no two
modules import each other, directly or round a longer loop."""

import ast
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "onboarding",
    "screening",
    "data_exchange",
    "reviews",
    "documents",
    "providers",
    "changes",
    "corrective_actions",
    "recredentialing",
    "portal",
)


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the apps by dotted name (a package by its own name, for ``__init__``)."""
    modules = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute name a ``from … import`` reads from (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def imported_names(module: str, path: Path, nodes: list[ast.stmt]) -> Iterator[str]:
    """The dotted names the statements import: ``import a.b`` gives ``a.b``; ``from a.b import c``
    gives ``a.b.c`` (which ``resolve`` reduces to ``a.b`` when ``c`` is not a module)."""
    for node in nodes:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, path, node)
            yield from (f"{source}.{alias.name}" for alias in node.names if alias.name != "*")
            if any(alias.name == "*" for alias in node.names):
                yield source


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The app module ``name`` is, or is in (``a.b.c`` is ``a.b`` when ``c`` is an attribute);
    None outside the apps."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements run when the module is imported: the body, into ``if``/``try``/``with``
    blocks, but not into functions or classes' methods, nor ``if TYPE_CHECKING:`` blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from module_level_statements(node.body)
            yield from module_level_statements(node.orelse)
        elif isinstance(node, ast.Try | ast.TryStar):
            for block in (node.body, node.orelse, node.finalbody):
                yield from module_level_statements(block)
            for handler in node.handlers:
                yield from module_level_statements(handler.body)
        elif isinstance(node, ast.With):
            yield from module_level_statements(node.body)
        elif isinstance(node, ast.ClassDef):
            yield from module_level_statements(
                [n for n in node.body if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
            )


def import_graph(modules: dict[str, Path]) -> dict[str, dict[str, int]]:
    """Module -> the app modules it imports when it is imported, each with the line."""
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        edges: dict[str, int] = {}
        for node in module_level_statements(tree.body):
            for name in imported_names(module, path, [node]):
                target = resolve(name, modules)
                if target is not None and target != module:
                    edges.setdefault(target, node.lineno)
        graph[module] = edges
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit to meet)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph[successor])))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def describe_cycle(component: list[str], graph: dict[str, dict[str, int]]) -> str:
    """One loop through the component, each import with its line: ``a (line 3) -> b ...``."""
    members = set(component)
    path = [component[0]]
    seen = {component[0]}
    while True:
        edges = graph[path[-1]]
        if component[0] in edges and len(path) > 1:
            path.append(component[0])
            break
        following = next((m for m in sorted(edges) if m in members and m not in seen), None)
        if following is None:  # every neighbour seen: close the loop on one already walked
            following = next(m for m in sorted(edges) if m in members)
            path.append(following)
            break
        path.append(following)
        seen.add(following)
    steps = [f"{a} (line {graph[a][b]}) -> {b}" for a, b in pairwise(path)]
    return f"{', '.join(component)}: " + "; ".join(steps)


def import_cycles(root: Path = ROOT) -> list[str]:
    graph = import_graph(module_files(root))
    return [describe_cycle(c, graph) for c in strongly_connected(graph) if len(c) > 1]


def foreign_view_imports(root: Path = ROOT) -> list[str]:
    """Imports, anywhere in a module (functions too), of another app's ``views``."""
    found = []
    for module, path in module_files(root).items():
        app = module.split(".")[0]
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in imported_names(module, path, [node]):
                parts = name.split(".")
                if parts[0] in APPS and parts[0] != app and parts[1:2] == ["views"]:
                    found.append(f"{path.relative_to(root)}:{node.lineno} imports {name}")
    return found


def test_no_app_imports_another_apps_views():
    found = foreign_view_imports()
    assert not found, "Another app's views imported:\n" + "\n".join(found)


def test_no_modules_import_each_other():
    cycles = import_cycles()
    assert not cycles, "Import cycles:\n" + "\n".join(cycles)
