"""Record types named in messages, with their article: 'an actor', 'a partnership'.

Each is a message of its own, so that a translation names the record type in
its language and with its own article (French: 'un acteur', 'une source').
A record type added to the schemas without an entry here is named by its
words ('fooBar' -> 'a foo bar').
"""

from __future__ import annotations

import re

from .._i18n import tr

#: The record types of the standard, with their article.
_NOUNS = {
    "source": tr("a source"),
    "actor": tr("an actor"),
    "issueArea": tr("an issue area"),
    "document": tr("a document"),
    "event": tr("an event"),
    "partnership": tr("a partnership"),
    "membership": tr("a membership"),
    "engagement": tr("an engagement"),
    "commitment": tr("a commitment"),
}


def record_noun(record_type: str) -> str:
    """'issueArea' -> 'an issue area', 'actor' -> 'an actor', 'fooBar' -> 'a foo bar'.

    >>> record_noun("issueArea"), record_noun("membership"), record_noun("outcomeReport")
    ('an issue area', 'a membership', 'an outcome report')
    """
    known = _NOUNS.get(record_type)
    if known is not None:
        return known
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", record_type).lower()
    if words[:1] in ("a", "e", "i", "o", "u"):
        return tr("an {words}", words=words)
    return tr("a {words}", words=words)
