"""Tests that need a tool from outside Python: present here, or required in CI."""

from __future__ import annotations

import pytest


def require_tool(available: bool, what: str) -> None:
    """Skip a test whose outside tool is missing here; fail it in CI (``HSDATA_CI=1``) instead.

    A skip in CI would let a whole class of checks pass silently; ``.ci/run`` installs every tool.
    """
    import os

    if available:
        return
    if os.environ.get("HSDATA_CI") == "1":
        pytest.fail(f"{what} is required in CI (HSDATA_CI=1) but missing; .ci/run must install it")
    pytest.skip(f"{what} is not installed here")
