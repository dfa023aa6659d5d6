"""Exceptions: raised only when hsdata cannot do what it was asked.

Invalid data is not an exception: it is a :class:`hsdata.Report`. The
exception tree::

    HsdataError
    ├── SchemaError          the bundled or extension schemas cannot be used
    └── InvalidDataError     hsdata.load() was given data that does not validate;
                             carries the Report that says why
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._reporting import Report


class HsdataError(Exception):
    """The base of every exception hsdata raises on purpose."""


class InvalidDataError(HsdataError):
    """Data handed to the loader failed validation; ``report`` lists every issue."""

    def __init__(self, message: str, report: Report) -> None:
        super().__init__(message)
        self.report = report
