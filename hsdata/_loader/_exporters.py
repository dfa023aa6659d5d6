"""The export formats a :class:`~hsdata.Dataset` can be written in, and its other shapes.

Each format is one module of :mod:`hsdata._export` that registers itself here
when that package is imported, which the look-ups below do on first need (a
program that never exports never loads the formats): its name (what ``hsdata export --format`` and
:meth:`Dataset.export <hsdata.Dataset.export>` take), a description for the
command's help, whether it writes a folder or a file, the options it takes
and the pip extra it needs. The registry sits with the loader, below the
exports, so that a data set finds its formats without importing the layer
above it; the command-line program reads its ``--format`` choices from it.

Shapes that are not files (a JSON-LD document in memory, pandas DataFrames,
a networkx graph) are registered the same way as *conversions*, which the
``Dataset.to_*`` methods call.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Exporter:
    """One export format.

    ``write(dataset, out, **options)`` writes it and returns the file written
    (for a folder, its main file); ``text(dataset, **options)``, for a file
    format, gives the file's text (for writing to standard output).
    ``suffix`` names the file written into a folder given as the output of a
    file format; ``summary`` completes 'Wrote N records as ...'.
    """

    name: str
    description: str
    writes: Literal["folder", "file"]
    write: Callable[..., Path]
    summary: str
    suffix: str = ""
    text: Callable[..., str] | None = None
    options: frozenset[str] = field(default_factory=frozenset)
    extra: str | None = None


_EXPORTERS: dict[str, Exporter] = {}
_CONVERSIONS: dict[str, Callable[..., Any]] = {}


def register_exporter(exporter: Exporter) -> Exporter:
    """Make a format known to ``Dataset.export`` and ``hsdata export``."""
    if exporter.name in _EXPORTERS and _EXPORTERS[exporter.name] != exporter:
        raise ValueError(f"an export format named {exporter.name!r} is already registered")
    _EXPORTERS[exporter.name] = exporter
    return exporter


def _load_bundled_formats() -> None:
    # The formats hsdata ships are plugins of this registry, found by name as a
    # plugin would be: the loader never imports the export layer above it.
    importlib.import_module("hsdata._export")


def exporters() -> tuple[Exporter, ...]:
    """Every registered format, by name."""
    _load_bundled_formats()
    return tuple(_EXPORTERS[name] for name in sorted(_EXPORTERS))


def find_exporter(name: str) -> Exporter:
    """The format called ``name``; ValueError, listing the formats, if there is none."""
    _load_bundled_formats()
    try:
        return _EXPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(_EXPORTERS)) or "none (hsdata._export was not imported)"
        raise ValueError(f"no export format {name!r}; the formats are: {known}") from None


def register_conversion(name: str, function: Callable[..., Any]) -> None:
    """Make a shape of the data set in memory ('jsonld', 'pandas') known to ``Dataset.to_*``."""
    _CONVERSIONS[name] = function


def conversion(name: str) -> Callable[..., Any]:
    """The conversion registered as ``name``."""
    _load_bundled_formats()
    try:
        return _CONVERSIONS[name]
    except KeyError:
        raise ValueError(f"no conversion {name!r}: hsdata._export was not imported") from None
