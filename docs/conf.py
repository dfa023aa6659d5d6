"""Sphinx configuration for the hsdata documentation.

Everything about the standard (schema reference, codelists, worked examples,
rule catalogue, CLI reference, figures) is generated at build time from the
schemas, codelists, canonical data and package, by the local extension in
``_ext/hsdocs``. Build with ``sphinx-build -W --keep-going -n docs <outdir>``;
add ``-D language=fr`` for the French edition.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS_DIR / "_ext"))

import hsdata  # noqa: E402

project = "hsdata"
author = "hsdata maintainers"
copyright = "hsdata maintainers; text CC-BY-4.0, code Apache-2.0"
version = hsdata.STANDARD_VERSION
release = hsdata.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "myst_parser",
    "hsdocs",
]

# Markdown is only used to include CHANGELOG.md as it is.
source_suffix = {".rst": "restructuredtext"}
myst_heading_anchors = 2

root_doc = "index"
exclude_patterns = ["_build", "locales", "_ext", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]
# The site's editions, each language's name written in that language, for the language
# switcher of _templates/ (English at the site's root, the others under <language>/).
html_context = {"hsdocs_languages": {"en": "English", "fr": "Français"}}

# Warnings are errors (-W) and every cross-reference must resolve (-n). References to
# the standard library and third-party packages stay plain text: the build is offline
# and ships no intersphinx inventories.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(collections|collections\.abc|pathlib|typing|types|datetime|enum)\..*"),
    (r"py:.*", r"(referencing|click|jsonschema|frictionless|pandas|networkx|rdflib)(\..*)?"),
    (r"py:.*", r"(Path|Mapping|Iterator|Iterable|Sequence|Any|Callable|Registry|IO|TextIO)"),
    (r"py:.*", r"(Enum|date|PathLike|os\.PathLike|datetime)"),
    (r"py:class", r"(str|int|bool|float|bytes|object|dict|list|tuple|set|frozenset|None)"),
    # Private names (modules and type variables) that public signatures mention.
    (r"py:.*", r"hsdata\._.*"),
    (r"py:class", r"FieldPath"),
    # A merge input's private header, named unqualified in a documented dataclass field.
    (r"py:class", r"Head"),
]
# A builtin such as ``type`` in a signature would otherwise match record attributes
# named ``type`` ("more than one target found"); missing targets are still errors.
suppress_warnings = ["ref.python"]

# Translations: the French edition is built with -D language=fr. The catalogues in
# locales/ are compiled by the hsdocs extension into the build directory, so a build
# never writes into the source tree.
language = "en"
locale_dirs = ["locales/"]
gettext_compact = True
gettext_uuid = False
gettext_location = False

# Where the site is published: validator messages link to <base>rules.html#<rule-id>.
# The French edition lives under <base>fr/ (set by the hsdocs extension).
html_baseurl = "https://w3id.org/hsdata/docs/"
html_theme = "furo"
html_title = f"hsdata {version}"
html_static_path = ["_static"]
html_css_files = ["hsdocs.css"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
# source_repository: the project's home, from pyproject.toml (set by the hsdocs extension).
html_theme_options = {
    "navigation_with_keys": True,
}

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": False}

# Docstring examples are written in their module's namespace; the public names cover them.
doctest_global_setup = """
import hsdata
from hsdata import *
"""
