"""The examples in the validator's docstrings run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "hsdata._validator._safe",
    "hsdata._validator._positions",
    "hsdata._validator._schema_check",
    "hsdata._validator._record",
    "hsdata._validator._reporters",
    "hsdata._validator._run",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0, f"{name} has no examples"
    assert failed == 0
