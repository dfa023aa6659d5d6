"""Every example in the package's docstrings runs and passes (the docs include them).

Modules are discovered, not listed, so a new module's examples are tested
from the day they are written.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import hsdata

# Modules whose examples the API documentation relies on: they must keep having some.
MUST_HAVE_EXAMPLES = {
    "hsdata._dates",
    "hsdata._diff",
    "hsdata._export._csv",
    "hsdata._loader",
    "hsdata._loader._dataset",
    "hsdata._records",
    "hsdata._reporting._report",
    "hsdata._schemas",
    "hsdata._upgrade._json_text",
    "hsdata._upgrade._results",
    "hsdata._upgrade._run",
    "hsdata._upgrade._steps",
    "hsdata._package._positions",
    "hsdata._validator._record",
    "hsdata._reporting._render",
    "hsdata._validator._packages",
    "hsdata._reporting._safe",
    "hsdata._validator._schema_check",
}


def package_modules() -> list[str]:
    names = [hsdata.__name__]
    for info in pkgutil.walk_packages(hsdata.__path__, prefix="hsdata."):
        names.append(info.name)
    return sorted(names)


def examples_in(module: ModuleType) -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [test for test in finder.find(module) if test.examples]


WITH_EXAMPLES = [name for name in package_modules() if examples_in(importlib.import_module(name))]


def test_the_modules_the_docs_rely_on_still_have_examples() -> None:
    missing = MUST_HAVE_EXAMPLES - set(WITH_EXAMPLES)
    assert not missing, f"modules that lost their docstring examples: {sorted(missing)}"


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0, f"{failures} of {tried} examples in {name} failed"
