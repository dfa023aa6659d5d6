"""The examples in the loader's and exports' docstrings run (the docs include them)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "hsdata._loader",
    "hsdata._loader._dataset",
    "hsdata._records",
    "hsdata._export._csv",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0, f"{name} has no examples"
    assert failures == 0
