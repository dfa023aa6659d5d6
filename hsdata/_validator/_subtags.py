"""A pattern for the language tags that are certainly registered, for the compiled validators.

Asking the IANA registry (through ``langcodes``) about every tag of every
record costs a walk in Python per record. Nearly every tag a data set uses is
a two-letter language, alone or with a two-letter region ('en', 'fr-CA',
'nb'); the pattern made here accepts exactly those whose language and region
are both in the registry, so that a validator compiled with it settles the
language tag check for the usual record at C speed. A tag it refuses (a
three-letter language, a script, a variant) is only looked at more closely:
the check itself then asks the registry.

The pattern is built from the registry once per ``langcodes`` release and
kept in hsdata's cache (see :mod:`hsdata._cache`), so that a run does not
even import ``langcodes`` when its tags are all usual.
"""

from __future__ import annotations

import string
from functools import cache
from importlib import metadata

from .._cache import cached, digest_of


def _registered(tag: str) -> bool:
    import langcodes  # here: only when the pattern is built

    try:
        return bool(langcodes.tag_is_valid(tag))
    except (ValueError, LookupError):
        return False


def _build() -> str:
    languages = [
        first + second
        for first in string.ascii_lowercase
        for second in string.ascii_lowercase
        if _registered(first + second)
    ]
    regions = [
        first + second
        for first in string.ascii_uppercase
        for second in string.ascii_uppercase
        if _registered(f"en-{first}{second}")
    ]
    if not languages:
        return "^(?!)"  # a registry with nothing in it: no tag is usual
    region_part = f"(?:-(?:{'|'.join(regions)}))?" if regions else ""
    # '$' is the end of the text for jsonschema_rs, the only reader of this pattern.
    return f"^(?:{'|'.join(languages)}){region_part}$"


@cache  # read from the cache file once per process
def registered_tag_pattern() -> str:
    """A regular expression (Rust/ECMA-262 syntax) that only registered language tags
    match: a registered two-letter language, optionally with a registered two-letter
    region, written in the registry's usual case ('fr-CA').

    Every tag it matches is one :func:`~._languages.is_registered` accepts (a test
    checks each of them); it leaves other registered tags out on purpose.
    """
    try:
        release = metadata.version("langcodes")
    except metadata.PackageNotFoundError:
        release = "unknown"
    return cached("registered-tags", digest_of("registered-tags", release), _build, load=_text)


def _text(kept: object) -> str:
    if not isinstance(kept, str):
        raise TypeError("not a pattern")
    return kept
