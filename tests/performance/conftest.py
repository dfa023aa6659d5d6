"""Fixtures for the performance tests: a small synthetic package from the benchmark's generator.

Speed itself is never asserted here (benchmarks/run.py measures it); these tests
check that the fast paths give exactly the answers of the plain ones.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

GENERATOR = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"


def load_generator() -> ModuleType:
    """benchmarks/generate.py as a module (it is a script, not part of the package)."""
    name = "hsdata_benchmark_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="session")
def sample_package(tmp_path_factory: pytest.TempPathFactory, generator: ModuleType) -> Path:
    """3,000 events, about 5% of them broken in every way the generator knows."""
    folder = tmp_path_factory.mktemp("sample") / "package"
    counts = generator.write_package(folder, 3000, seed=6, invalid_rate=0.05)
    # Every kind of corruption is present, so every path of the checks is exercised.
    assert set(counts) == {c.__name__[1:] for c in generator.CORRUPTIONS} | {generator.DUPLICATE}
    return folder
