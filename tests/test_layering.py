"""The package's layers: what may import what (issue 12, part 5).

Every import of every module is read with ``ast``, including imports inside
functions (a lazy import is still a dependency). Three rules, each failing
with every offending ``file:line``:

* the private modules of a subpackage (``hsdata/_validator/_run.py``) are
  imported only from inside that subpackage; others import the subpackage
  itself (``from .._validator import validate``);
* nothing imports a layer above its own (the table below, also in
  ``docs/contributing.rst``);
* no two parts of the package import each other, directly or round a loop.

Imports under ``if TYPE_CHECKING:`` never run, so an annotation may name a
type from anywhere: they count for the first rule only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import hsdata

PACKAGE_DIR = Path(hsdata.__file__).parent

#: The layers, bottom first. A part of the package (a top-level module or a
#: subpackage of ``hsdata/``) may import its own layer and the layers below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "_paths", "_dates", "_errors", "_files", "_cache", "_i18n"),
    ("_reporting",),
    ("_schemas", "_schema_shapes", "_extensions", "_fetch"),
    ("_package",),
    ("_validator",),
    ("_records", "_loader"),
    ("_export", "_spreadsheet", "_upgrade", "_diff", "_compile", "_merge", "_registry", "dask"),
    ("cli", "__main__", "_web"),
)
LAYER_OF: dict[str, int] = {part: n for n, parts in enumerate(LAYERS) for part in parts}
#: ``hsdata/__init__.py`` curates the public API: it may import every layer but the
#: CLI's, and only the CLI may import it (it sits with the CLI, below it in spirit).
TOP = "__init__"
LAYER_OF[TOP] = LAYER_OF["cli"]


@dataclass(frozen=True)
class Import:
    """One imported hsdata module, where the import is written."""

    importer: str  # dotted module name: "hsdata._loader._dataset"
    imported: str  # dotted module name: "hsdata._export._csv"
    file: str  # relative to the repository: "hsdata/_loader/_dataset.py"
    line: int
    type_checking_only: bool

    def __str__(self) -> str:
        return f"{self.file}:{self.line} imports {self.imported}"


def module_name(path: Path, root: Path = PACKAGE_DIR.parent) -> str:
    relative = path.relative_to(root).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _existing_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """The lines inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for statement in node.body:
                    end = statement.end_lineno or statement.lineno
                    lines.update(range(statement.lineno, end + 1))
    return lines


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    parts = importer.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def imports_of(
    path: Path, modules: dict[str, Path], root: Path = PACKAGE_DIR.parent
) -> Iterator[Import]:
    """Every hsdata module the file at ``path`` imports, in the order written, with its line.

    ``modules`` are the modules that exist (to tell ``from . import _run``, a
    module, from ``from ._run import check``, a name); ``root`` holds ``hsdata/``.
    """
    importer = module_name(path, root)
    file = str(path.relative_to(root))
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=file)
    type_checking = _type_checking_lines(tree)
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(importer, path.name == "__init__.py", node)
            for alias in node.names:
                # "from . import _run" imports a module; "from ._run import x" a name.
                submodule = f"{base}.{alias.name}"
                targets.append(submodule if submodule in modules else base)
        for target in targets:
            if target == "hsdata" or target.startswith("hsdata."):
                yield Import(importer, target, file, node.lineno, node.lineno in type_checking)


def all_imports() -> list[Import]:
    """Every import of an hsdata module in the package, once per statement and module."""
    modules = _existing_modules()
    found = (item for path in modules.values() for item in imports_of(path, modules))
    return list(dict.fromkeys(found))


def part_of(module: str) -> str:
    """The part of the package a module belongs to: '_validator', '_paths', '__init__'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else TOP


def private_subpackage_of(module: str) -> str | None:
    """'hsdata._validator' for 'hsdata._validator._run' (a private module of a subpackage)."""
    parts = module.split(".")
    for depth in range(2, len(parts)):
        if parts[depth].startswith("_") and not parts[depth].startswith("__"):
            return ".".join(parts[:depth])
    return None


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_imports_are_read_relative_absolute_and_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "hsdata" / "_loader" / "_sample.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import _dataset\n"
        "from .._schemas import SchemaSet\n"
        "import hsdata._paths\n"
        "if TYPE_CHECKING:\n"
        "    from .._export import _csv\n"
        "def later():\n"
        "    from ..cli._common import load_or_exit\n",
        encoding="utf-8",
    )
    known = {"hsdata._loader._dataset": module, "hsdata._export._csv": module}
    found = sorted(
        (item.line, item.imported, item.type_checking_only)
        for item in imports_of(module, known, root=tmp_path)
    )
    assert found == [
        (2, "hsdata._loader._dataset", False),
        (3, "hsdata._schemas", False),
        (4, "hsdata._paths", False),
        (6, "hsdata._export._csv", True),
        (8, "hsdata.cli._common", False),
    ]


def test_private_modules_of_a_subpackage_are_imported_only_from_inside_it() -> None:
    offenders = []
    for found in all_imports():
        owner = private_subpackage_of(found.imported)
        if owner is not None and not inside(found.importer, owner):
            offenders.append(f"{found} (import it from {owner} instead)")
    assert not offenders, "private modules imported from outside their subpackage:\n" + "\n".join(
        offenders
    )


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {part_of(module_name(path)) for path in PACKAGE_DIR.rglob("*.py")}
    missing = sorted(parts - set(LAYER_OF))
    assert not missing, (
        f"{', '.join(missing)}: not in the layer table; add each to LAYERS in "
        "tests/test_layering.py and to the table in docs/contributing.rst"
    )


def test_nothing_imports_a_layer_above_its_own() -> None:
    offenders = []
    for found in all_imports():
        source, target = part_of(found.importer), part_of(found.imported)
        if found.type_checking_only or source not in LAYER_OF or target not in LAYER_OF:
            continue  # unknown parts: reported by test_every_part_of_the_package_has_a_layer
        if LAYER_OF[target] > LAYER_OF[source]:
            offenders.append(
                f"{found} ({source} is in layer {LAYER_OF[source]}, "
                f"{target} in layer {LAYER_OF[target]})"
            )
        elif source == TOP and target != TOP and LAYER_OF[target] == LAYER_OF[TOP]:
            offenders.append(f"{found} (hsdata/__init__.py never imports the CLI)")
    assert not offenders, "imports of a higher layer:\n" + "\n".join(offenders)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one part (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_cycles_are_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_parts_of_the_package() -> None:
    edges: dict[str, set[str]] = {}
    where: dict[tuple[str, str], list[Import]] = {}
    for found in all_imports():
        source, target = part_of(found.importer), part_of(found.imported)
        if found.type_checking_only or source == target:
            continue
        edges.setdefault(source, set()).add(target)
        where.setdefault((source, target), []).append(found)
    lines = []
    for group in _cycles(edges):
        lines.append(f"{' <-> '.join(group)} import each other:")
        members = set(group)
        for (source, target), found in sorted(where.items()):
            if source in members and target in members:
                lines.extend(f"  {item}" for item in found)
    assert not lines, "import cycles:\n" + "\n".join(lines)
