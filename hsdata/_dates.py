"""Partial dates: a year, a year and month, or a full date, never padded.

'1998-12' means some day in December 1998. It is not 1 December 1998, so it
is never turned into a :class:`datetime.date`; instead it exposes the
earliest and latest days it can mean, and comparisons use those bounds.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import Enum
from functools import cached_property, lru_cache

from ._i18n import tr

_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


class Precision(str, Enum):
    """How precisely a partial date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"

    def __str__(self) -> str:
        return self.value


#: The months by name, in the reader's language when a message is shown.
_MONTH_NAMES = (
    tr("January"),
    tr("February"),
    tr("March"),
    tr("April"),
    tr("May"),
    tr("June"),
    tr("July"),
    tr("August"),
    tr("September"),
    tr("October"),
    tr("November"),
    tr("December"),
)


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day.

    >>> d = PartialDate.parse("1998-12")
    >>> d.precision, d.earliest, d.latest
    (<Precision.MONTH: 'month'>, datetime.date(1998, 12, 1), datetime.date(1998, 12, 31))
    >>> str(d)
    '1998-12'
    >>> PartialDate.parse("1999-02") < PartialDate.parse("1999-03-01")
    True
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; raise ValueError for anything else.

        The day must exist in its month: '1999-02-30' is refused.
        """
        match = _PARTIAL_DATE.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a date written as YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is not None and not 1 <= month <= 12:
            # Past the pattern, the text is digits and hyphens: safe to echo in a message.
            raise ValueError(
                tr(
                    "{text} has no month {month}: months run from 01 to 12",
                    text=repr(text),
                    month=month,
                )
            )
        if year < 1:
            raise ValueError(
                tr("{text} has year 0000, which the calendar does not have", text=repr(text))
            )
        if month is not None and day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(
                    tr(
                        "{text} is not a real date: {month} {year} has {last} days",
                        text=repr(text),
                        month=_MONTH_NAMES[month - 1],
                        year=year,
                        last=last,
                    )
                )
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    # Cached: the validator compares the same (remembered) dates millions of times.
    @cached_property
    def earliest(self) -> datetime.date:
        """The first day this date can mean."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def latest(self) -> datetime.date:
        """The last day this date can mean."""
        if self.day is not None and self.month is not None:
            return datetime.date(self.year, self.month, self.day)
        month = self.month or 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __lt__(self, other: PartialDate) -> bool:
        """Certainly before: every day this can mean is before every day ``other`` can."""
        return self.latest < other.earliest

    def __gt__(self, other: PartialDate) -> bool:
        """Certainly after: every day this can mean is after every day ``other`` can."""
        return self.earliest > other.latest

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@lru_cache(maxsize=65536)
def partial_date_or_none(text: str) -> PartialDate | None:
    """The partial date written in ``text``, or None; remembered, as dates repeat a lot.

    >>> partial_date_or_none("1998-12") is partial_date_or_none("1998-12")
    True
    >>> partial_date_or_none("1999-02-30") is None
    True
    """
    try:
        return PartialDate.parse(text)
    except ValueError:
        return None


def date_in(value: object) -> PartialDate | None:
    """The partial date a JSON value holds: None for a value that is not a text, or not a
    date (the schema and the date check report those).

    >>> date_in("1998-05-11"), date_in(1998), date_in("1998-13")
    (PartialDate(year=1998, month=5, day=11), None, None)
    """
    return partial_date_or_none(value) if isinstance(value, str) else None
