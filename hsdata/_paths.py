"""Where the bundled schemas and canonical data live.

In an installed wheel they are copied into ``hsdata/_bundled``; in a source
checkout (including an editable install) they are the ``schema/`` and
``data/`` folders at the top of the repository. The checkout is the single
authoritative copy; the wheel only carries it.

Tests (and only tests) may point hsdata at another folder of schema versions
by setting the environment variable ``HSDATA_SCHEMA_ROOT``: the suite uses it
to prove that a record type added to a scratch version of the standard needs
no change to the Python code. It is not a supported setting for users.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The private seam for tests: a folder to read schema versions from instead of the bundled one.
SCHEMA_ROOT_VARIABLE = "HSDATA_SCHEMA_ROOT"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside_wheel = _PACKAGE_DIR / "_bundled" / name
    if inside_wheel.is_dir():
        return inside_wheel
    in_checkout = _PACKAGE_DIR.parent / name
    if in_checkout.is_dir():
        return in_checkout
    raise FileNotFoundError(
        f"the hsdata installation is incomplete: no '{name}' folder in {inside_wheel.parent} "
        f"or {_PACKAGE_DIR.parent}"
    )


def schema_root() -> Path:
    """The folder holding one sub-folder per published schema version."""
    override = os.environ.get(SCHEMA_ROOT_VARIABLE)
    if override:
        # Read at every call, not at import, so a test can set and unset it.
        return Path(override)
    return _bundled("schema")


def canonical_data_dir() -> Path:
    """The folder of the canonical data package (its datapackage.json and resources)."""
    return _bundled("data")


def extensions_root() -> Path | None:
    """The folder of the extensions shipped with hsdata, or None if there is none."""
    bundled = _PACKAGE_DIR / "_bundled"
    # An installed wheel never looks beside the package: site-packages/extensions
    # could belong to anything.
    folder = bundled / "extensions" if bundled.is_dir() else _PACKAGE_DIR.parent / "extensions"
    return folder if folder.is_dir() else None
