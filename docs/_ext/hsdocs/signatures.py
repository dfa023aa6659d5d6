"""Cleaner autodoc signatures: no private parameters, no dataclass ``<factory>`` defaults.

Record classes are frozen dataclasses whose constructors take private
bookkeeping parameters (``_dataset``) and default factories that Python
prints as ``<factory>``, which is not valid Python and makes Sphinx fall back
to a crude signature parser. The documented signature shows what a user
passes: public parameters, with ``...`` for computed defaults.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.inspect import stringify_signature


def clean_signature(  # noqa: PLR0917 - the autodoc-process-signature event's signature
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str, str | None] | None:
    if what != "class" or not dataclasses.is_dataclass(obj) or signature is None:
        return None
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = []
    for param in sig.parameters.values():
        if param.name.startswith("_"):
            continue
        computed = param.default is not inspect.Parameter.empty and "factory" in repr(param.default)
        params.append(param.replace(default=Ellipsis) if computed else param)
    cleaned = sig.replace(parameters=params, return_annotation=inspect.Signature.empty)
    text = stringify_signature(cleaned, unqualified_typehints=True)
    return text.replace("=Ellipsis", "=...").replace("= Ellipsis", "= ..."), return_annotation
