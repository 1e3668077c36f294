"""The parts and their direction (ARCHITECTURE.md): each part imports only the parts to its left,
``config`` composes them and is imported by none, and no module imports itself in a loop."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Left to right: a part may import the parts before it, never one after it.
ORDER = ["api", "contacts", "accounts", "handover", "incidents"]
COMPOSER = "config"
PARTS = [*ORDER, COMPOSER]


def modules() -> Iterator[tuple[str, Path]]:
    for part in PARTS:
        for path in sorted((ROOT / part).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name.removesuffix(".__init__"), path


MODULES = dict(modules())


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports(name: str, path: Path) -> Iterator[tuple[str, bool]]:
    """The project modules ``name`` imports, anywhere in it, and whether only for typing."""
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        typing_only = _type_checking_only(node, parents)
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, typing_only
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield (candidate if candidate in MODULES else base), typing_only


def arrows() -> Iterator[tuple[str, str, bool]]:
    for name, path in MODULES.items():
        for target, typing_only in imports(name, path):
            if target.split(".")[0] in PARTS:
                yield name, target, typing_only


def test_each_part_imports_only_the_parts_to_its_left() -> None:
    wrong = []
    for source, target, _typing_only in arrows():
        from_part, to_part = source.split(".")[0], target.split(".")[0]
        if from_part in (COMPOSER, to_part):
            continue
        if to_part == COMPOSER or ORDER.index(to_part) > ORDER.index(from_part):
            wrong.append(f"{source} -> {target}")
    assert wrong == []


def test_no_module_imports_itself_through_others() -> None:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for source, target, typing_only in arrows():
        if not typing_only and target in graph and target != source:
            graph[source].add(target)
    loops = []
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for successor in sorted(graph[node]):
            if state.get(successor) == "open":
                loops.append(" -> ".join([*trail[trail.index(successor) :], successor]))
            elif successor not in state:
                visit(successor, [*trail, successor])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert loops == []


def test_the_direction_test_sees_a_wrong_arrow(tmp_path: Path) -> None:
    source = "from incidents.models import Incident\n"
    path = tmp_path / "probe.py"
    path.write_text(source)
    found = list(imports("contacts.probe", path))
    assert ("incidents.models", False) in found
