"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The top of the source checkout."""
    return REPO_ROOT


@pytest.fixture(autouse=True)
def _fetch_cache_aside(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test writes into the user's own cache of fetched files."""
    monkeypatch.setenv("HSDATA_CACHE_DIR", str(tmp_path_factory.mktemp("fetch-cache")))
