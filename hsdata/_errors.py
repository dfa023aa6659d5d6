"""Exceptions: raised only when hsdata cannot do what it was asked.

Invalid data is not an exception: it is a :class:`hsdata.Report`. The
exception tree::

    HsdataError
    ├── SchemaError          the bundled or extension schemas cannot be used
    │   └── ExtensionError   an extension cannot be read or applied; carries its issues
    ├── InvalidDataError     hsdata.load() was given data that does not validate;
    │                        carries the Report that says why
    ├── OutputError          a file or folder could not be written (it names the file);
    │                        what was there before is left as it was
    ├── FetchError           a fetch allowed with allow_network failed or was refused
    │                        (it names the address and the reason)
    ├── SpreadsheetError     a spreadsheet or the package to fill one from cannot be used
    ├── DiffError            a package to compare cannot be read; carries the reader's issues
    └── UpgradeError         an upgrade was asked for in a way that cannot work
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._i18n import translated

if TYPE_CHECKING:
    from ._reporting import Report


class HsdataError(Exception):
    """The base of every exception hsdata raises on purpose."""

    def __str__(self) -> str:
        # The message in the language chosen (a tr() message keeps its template).
        return translated(self.args[0]) if len(self.args) == 1 else super().__str__()


class InvalidDataError(HsdataError):
    """Data handed to the loader failed validation; ``report`` lists every issue."""

    def __init__(self, message: str, report: Report) -> None:
        super().__init__(message)
        self.report = report
