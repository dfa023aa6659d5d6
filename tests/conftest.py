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


def require_tool(available: bool, what: str) -> None:
    """Skip a test whose outside tool is missing here, but fail in CI (``HSDATA_CI=1``), where it must exist.

    A skip in CI would let a whole class of checks pass silently; ``.ci/run`` installs every tool.
    """
    import os

    if available:
        return
    if os.environ.get("HSDATA_CI") == "1":
        pytest.fail(f"{what} is required in CI (HSDATA_CI=1) but is missing; .ci/run should install it")
    pytest.skip(f"{what} is not installed here")
