"""hsdocs: the Sphinx extension that generates the hsdata documentation from its sources.

Directives (each reads the authoritative source at build time):

``hsdata-schema-reference``  every record type and shared definition (schema/<version>/*.json)
``hsdata-codelists``         every codelist (schema/<version>/codelists/*.csv)
``hsdata-record``            one canonical record, included from data/*.json by id
``hsdata-rules``             the validator's rule catalogue (hsdata.RULES)
``hsdata-rules-beyond-schemas`` the rules a JSON Schema validator does not check (portability page)
``hsdata-cli``               the command-line reference (the click group hsdata.cli:main)
``hsdata-model-diagram``     the record types and the references between them (SVG)
``hsdata-timeline``          the canonical events on a time axis (matplotlib SVG)
``hsdata-network``           actors and partnerships as a network (networkx + matplotlib SVG)
``hsdata-versions``          the published versions and the fields and codes each changed
``hsdata-api``               autodoc for the listed public names; ``hsdata-api-rest`` the others
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

import hsdata

from ._nodes import describe_version
from .api import ApiGroup, ApiRest
from .cli import CliReference
from .codelists import CodelistReference
from .examples import RecordExample
from .figures import ModelDiagram, NetworkFigure, TimelineFigure
from .portability import RulesBeyondSchemas
from .project import fill_tokens, project_facts, rst_epilog
from .publish import publish_schemas
from .rules import RuleCatalogue
from .schema import SchemaReference
from .signatures import clean_signature
from .versions import VersionHistory

DOCS_DIR = Path(__file__).resolve().parents[2]


def compile_catalogues(app: Sphinx, config: Config) -> None:
    """Compile docs/locales/*/LC_MESSAGES/*.po into the build's doctree folder.

    Sphinx would otherwise write .mo files next to the .po files in the source
    tree; compiling them into the build keeps the checkout untouched and lets
    several builds run side by side.
    """
    if config.hsdata_version:
        config.version = config.hsdata_version
        config.html_title = f"hsdata {config.hsdata_version}"
    describe_version(config.hsdata_version or hsdata.STANDARD_VERSION)
    # The project's facts come from pyproject.toml, for prose (substitutions) and code
    # blocks (tokens, see fill_code_tokens).
    config.rst_epilog = (config.rst_epilog or "") + rst_epilog(config.version)
    config.html_theme_options = {
        **config.html_theme_options,
        "source_repository": project_facts().home,
    }
    language = config.language or "en"
    source_root = DOCS_DIR / "locales"
    target_root = Path(app.doctreedir) / "hsdocs-locales"
    if target_root.exists():
        shutil.rmtree(target_root)
    for po_path in sorted(source_root.glob(f"{language}/LC_MESSAGES/*.po")):
        target_dir = target_root / language / "LC_MESSAGES"
        target_dir.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        with (target_dir / f"{po_path.stem}.mo").open("wb") as handle:
            write_mo(handle, catalogue)
    if language != "en" and config.html_baseurl:
        config.html_baseurl = config.html_baseurl.rstrip("/") + f"/{language}/"
    config.locale_dirs = [str(target_root)]
    config.gettext_auto_build = False
    app.add_message_catalog("hsdocs", str(target_root))


def fill_code_tokens(app: Sphinx, docname: str, source: list[str]) -> None:
    """Replace ``{{distribution}}``, ``{{release}}``... in a page's source (see hsdocs.project)."""
    source[0] = fill_tokens(source[0], app.config.version)


def regenerate_generated_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Re-read every page that uses an hsdata directive on every build.

    Their content comes from Python code (the rule catalogue, the CLI, the
    API) as well as files, so an incremental build must never reuse them.
    """
    found = []
    for docname in env.found_docs:
        path = env.doc2path(docname)
        if path.suffix == ".rst" and ".. hsdata-" in path.read_text(encoding="utf-8"):
            found.append(docname)
    return found


def setup(app: Sphinx) -> dict[str, Any]:
    # Which published version of the standard to describe: -D hsdata_version=1.1
    app.add_config_value("hsdata_version", "", "env", types=[str])
    app.connect("config-inited", compile_catalogues)
    app.connect("autodoc-process-signature", clean_signature)
    app.connect("source-read", fill_code_tokens)
    app.connect("build-finished", publish_schemas)
    app.connect("env-get-outdated", regenerate_generated_pages)
    app.add_directive("hsdata-api", ApiGroup)
    app.add_directive("hsdata-api-rest", ApiRest)
    app.add_directive("hsdata-schema-reference", SchemaReference)
    app.add_directive("hsdata-codelists", CodelistReference)
    app.add_directive("hsdata-record", RecordExample)
    app.add_directive("hsdata-rules", RuleCatalogue)
    app.add_directive("hsdata-rules-beyond-schemas", RulesBeyondSchemas)
    app.add_directive("hsdata-cli", CliReference)
    app.add_directive("hsdata-model-diagram", ModelDiagram)
    app.add_directive("hsdata-timeline", TimelineFigure)
    app.add_directive("hsdata-network", NetworkFigure)
    app.add_directive("hsdata-versions", VersionHistory)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
