"""The public API is exactly what hsdata/__init__.py curates."""

from __future__ import annotations

import ast
from pathlib import Path

import hsdata

PACKAGE_DIR = Path(hsdata.__file__).parent


def test_all_lists_only_existing_public_names() -> None:
    for name in hsdata.__all__:
        assert hasattr(hsdata, name), name
        assert not name.startswith("_") or name == "__version__", name
    assert sorted(hsdata.__all__) == sorted(set(hsdata.__all__)), "duplicates in __all__"


def test_every_public_name_defined_in_init_is_listed() -> None:
    module_names = {
        name
        for name in vars(hsdata)
        if not name.startswith("_") and not isinstance(getattr(hsdata, name), type(ast))
    }
    assert module_names <= set(hsdata.__all__), module_names - set(hsdata.__all__)


def test_modules_other_than_init_are_private() -> None:
    for path in PACKAGE_DIR.glob("*.py"):
        if path.name not in {"__init__.py", "__main__.py"}:
            assert path.name.startswith("_"), f"{path.name} should be private (_name.py)"


def test_the_core_never_imports_the_cli() -> None:
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        relative = path.relative_to(PACKAGE_DIR)
        if relative.parts[0] in {"cli", "__main__.py"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if module.startswith(("hsdata.cli", "cli")) or (node.level and module == "cli"):
                    offenders.append(str(relative))
                if node.level and module == "" and any(a.name == "cli" for a in node.names):
                    offenders.append(str(relative))
            elif isinstance(node, ast.Import) and any(
                a.name.startswith("hsdata.cli") for a in node.names
            ):
                offenders.append(str(relative))
    assert not offenders, f"core modules importing the CLI: {offenders}"


def test_the_package_ships_type_information() -> None:
    assert (PACKAGE_DIR / "py.typed").exists()
