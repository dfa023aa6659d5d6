"""``hsdata serve``: a data review web page for people who do not program.

Upload a file, read its problems in plain words at their place, download it
converted, and look at the data through a summary, pictures and record
pages. :mod:`._app` holds the routes, :mod:`._checks` what runs on an upload
(in a worker thread), :mod:`._store` the reports and their temporary
folders, :mod:`._text` the English and French words of the page and
:mod:`._figures` the timeline and network pictures (shared with the docs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import CONTENT_SECURITY_POLICY, Settings, create_app

__all__ = ["CONTENT_SECURITY_POLICY", "Settings", "create_app"]


def __getattr__(name: str) -> Any:
    # The application is imported on first use: the docs draw their pictures with
    # ._figures without the web framework installed.
    if name in __all__:
        from . import _app

        return getattr(_app, name)
    raise AttributeError(name)
