"""A scratch version of the standard with one extra record type, for tests.

It proves that a record type added to the schemas alone reaches every part of
hsdata. :func:`build_scratch_schema_root` writes, in a folder, copies of the
bundled versions plus version ``9.9``: the newest bundled version with a
``pledge`` record type added the way a maintainer would add one (its
schema, a codelist CSV, context terms, the meta-schema's ``recordRef``
list). :func:`build_scratch_package` writes the canonical data moved to that
version with a ``pledges.json`` resource of two records. (The type was once
``commitment``; standard 1.2 made commitments a type of its own, so the
scratch type took a name no version of the standard uses.)

The ``scratch_version`` fixture does both in ``tmp_path`` and points hsdata at
the scratch schemas (through the private ``HSDATA_SCHEMA_ROOT`` seam of
``hsdata._paths``) for the length of one test. The suite's top folder has no
``__init__.py``, so ``tests/`` is on ``sys.path`` and any test module can use
it with::

    from scratch_version import scratch_version  # noqa: F401 (a fixture)

    def test_something(scratch_version: ScratchVersion) -> None:
        report = hsdata.validate(scratch_version.package)
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hsdata._paths import SCHEMA_ROOT_VARIABLE, canonical_data_dir, schema_root
from hsdata._schemas import available_versions, load_schema_set

#: The version number of the scratch version (above any the standard will publish soon).
SCRATCH_VERSION = "9.9"
#: The record type the scratch version adds.
NEW_RECORD_TYPE = "pledge"
#: Its schema file and resource names, as the conventions make them.
NEW_SCHEMA_FILE = "pledge.json"
NEW_RESOURCE_NAME = "pledges"
NEW_CODELIST = "pledgeType.csv"

_ID_PREFIX = "https://w3id.org/hsdata/schema/"


def _schema_id(version: str, file_name: str) -> str:
    return f"{_ID_PREFIX}{version}/{file_name}"


def pledge_schema(version: str = SCRATCH_VERSION) -> dict[str, Any]:
    """The schema of the new record type, following every convention of the bundled schemas."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _schema_id(version, NEW_SCHEMA_FILE),
        "version": version,
        "title": "Pledge",
        "description": (
            "A promise an actor made in human security cooperation, such as a pledge to fund "
            "mine clearance, with the issue areas it concerns and when it was made."
        ),
        "type": "object",
        "required": ["id", "type", "name", "pledgedBy", "citations"],
        "properties": {
            "id": {
                "title": "Identifier",
                "description": "The pledge's identifier, unique among pledges.",
                "$ref": "common.json#/$defs/Identifier",
            },
            "type": {
                "title": "Pledge type",
                "description": "What kind of pledge this is, from the pledge type codelist.",
                "type": "string",
                "enum": ["undertaking", "target", "contribution"],
                "codelist": NEW_CODELIST,
                "openCodelist": False,
            },
            "name": {
                "title": "Name",
                "description": "A short name for the pledge in one or more languages.",
                "$ref": "common.json#/$defs/LanguageMap",
            },
            "pledgedBy": {
                "title": "Pledged by",
                "description": "The identifier of the actor that made the pledge.",
                "$ref": "common.json#/$defs/Reference",
                "recordRef": "actor",
            },
            "issueAreas": {
                "title": "Issue areas",
                "description": "The identifiers of the issue areas the pledge concerns.",
                "type": "array",
                "items": {"$ref": "common.json#/$defs/Reference", "recordRef": "issueArea"},
                "uniqueItems": True,
            },
            "madeOn": {
                "title": "Made on",
                "description": "When the pledge was made, as precisely as the sources give it.",
                "$ref": "common.json#/$defs/PartialDate",
            },
            "note": {
                "title": "Note",
                "description": "A remark about how this record was made from its sources.",
                "$ref": "common.json#/$defs/Note",
            },
            "citations": {
                "title": "Citations",
                "description": "Where the sources state this pledge.",
                "$ref": "common.json#/$defs/Citations",
            },
        },
        "additionalProperties": False,
    }


#: The codelist of the new type's ``type`` field, in the bundled codelists' columns.
PLEDGE_TYPES_CSV = (
    "code,title,title_fr,description,description_fr,deprecated\n"
    "undertaking,Undertaking,Engagement,A promise to act that the actor announced.,"
    "Une promesse d'agir que l'acteur a annoncée.,\n"
    "target,Target,Objectif,A result the actor undertook to reach by a date.,"
    "Un résultat que l'acteur s'est engagé à atteindre avant une date.,\n"
    "contribution,Contribution,Contribution,An amount of money or expertise the actor gave.,"
    "Une somme d'argent ou une expertise que l'acteur a apportée.,\n"
)

#: JSON-LD terms for the new class and its new properties (a reference resolves among
#: the actors, as every reference term of the bundled context does).
PLEDGE_CONTEXT_TERMS: dict[str, Any] = {
    "Pledge": "hsdata:Pledge",
    "pledgedBy": {
        "@id": "hsdata:pledgedBy",
        "@type": "@id",
        "@context": {"@base": "../actors/"},
    },
    "madeOn": "hsdata:madeOn",
}


def _write_json(path: Path, data: Any) -> None:
    # The bundled files' layout: 2-space indent, non-ASCII kept, trailing newline.
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _renumber(value: Any, old: str, new: str) -> Any:
    """``value`` with every schema URL and ``version`` of version ``old`` moved to ``new``."""
    if isinstance(value, dict):
        moved = {key: _renumber(item, old, new) for key, item in value.items()}
        if moved.get("version") == old:
            moved["version"] = new
        return moved
    if isinstance(value, list):
        return [_renumber(item, old, new) for item in value]
    if isinstance(value, str) and value.startswith(f"{_ID_PREFIX}{old}/"):
        return _ID_PREFIX + new + value[len(_ID_PREFIX) + len(old) :]
    return value


def build_scratch_schema_root(folder: Path, *, version: str = SCRATCH_VERSION) -> Path:
    """Write the bundled versions plus the scratch version into ``folder`` and return it."""
    bundled = schema_root()
    versions = list(available_versions())
    folder.mkdir(parents=True, exist_ok=True)
    for name in versions:
        shutil.copytree(bundled / name, folder / name)
    newest = versions[-1]
    scratch = folder / version
    shutil.copytree(bundled / newest, scratch)
    for path in sorted(scratch.glob("*.json")):
        _write_json(path, _renumber(json.loads(path.read_text(encoding="utf-8")), newest, version))
    package_path = scratch / "package.json"
    if package_path.exists():
        # The descriptor's schema (1.2 on) names the version it is for, as a maintainer
        # moving it to a new version would change it.
        package_schema = json.loads(package_path.read_text(encoding="utf-8"))
        package_schema["properties"]["hsdata:version"]["const"] = version
        _write_json(package_path, package_schema)
    _write_json(scratch / NEW_SCHEMA_FILE, pledge_schema(version))
    (scratch / "codelists" / NEW_CODELIST).write_text(PLEDGE_TYPES_CSV, encoding="utf-8")

    meta_path = scratch / "meta-schema.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["properties"]["recordRef"]["enum"].append(NEW_RECORD_TYPE)
    _write_json(meta_path, meta)

    context_path = scratch / "context.jsonld"
    context = json.loads(context_path.read_text(encoding="utf-8"))
    context["@context"].update(PLEDGE_CONTEXT_TERMS)
    _write_json(context_path, context)
    return folder


def _citation(
    source: str, section: str, quote: str, paragraph: int | None = None
) -> dict[str, Any]:
    citation: dict[str, Any] = {"source": source, "section": section}
    if paragraph is not None:
        citation["paragraph"] = paragraph
    citation["quote"] = quote
    return citation


#: The two records of the scratch package's pledges resource.
PLEDGES: tuple[dict[str, Any], ...] = (
    {
        "id": "canada-landmines-ban",
        "type": "undertaking",
        "name": {"en": "Ban on landmines", "fr": "Interdiction des mines terrestres"},
        "pledgedBy": "canada",
        "issueAreas": ["landmines"],
        "madeOn": "1997-12",
        "citations": [
            _citation(
                "building-partnerships-for-human-security",
                "International Organizations",
                "the elimination of landmines",
                paragraph=3,
            )
        ],
    },
    {
        "id": "norway-lysoen-agenda",
        "type": "target",
        "name": {"en": "The Lysøen agenda"},
        "pledgedBy": "norway",
        "issueAreas": ["landmines", "human-security"],
        "madeOn": "1998-05-11",
        "note": {"en": "Made for the scratch version of the standard used by the tests."},
        "citations": [
            _citation(
                "human-security-concept-and-action",
                "1. Lysoen Partnership with Norway.",
                "Landmines; the International Criminal Court; Human Rights; Humanitarian Law; "
                "the Gender Dimensions of Armed Conflict; Small Arms Proliferation; War-Affected "
                "Children (including Child Soldiers); Child Labour; and Arctic and Northern "
                "Cooperation.",
                paragraph=2,
            )
        ],
    },
)


def build_scratch_package(folder: Path, *, version: str = SCRATCH_VERSION) -> Path:
    """Write the canonical data moved to the scratch version, with a pledges resource.

    Returns the package folder (``folder`` itself). Only the JSON resources and
    the descriptor are copied; the canonical data's CSV export is left out.
    """
    source = canonical_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    old = descriptor["hsdata:version"]
    for resource in descriptor["resources"]:
        shutil.copyfile(source / resource["path"], folder / resource["path"])
    descriptor = _renumber(descriptor, old, version)
    descriptor["hsdata:version"] = version
    descriptor["resources"].append(
        {
            "name": NEW_RESOURCE_NAME,
            "path": f"{NEW_RESOURCE_NAME}.json",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "title": "Pledges",
            "description": (
                "hsdata pledges records: a JSON array of objects, each valid against the "
                "pledge schema."
            ),
            "hsdata:recordType": NEW_RECORD_TYPE,
            "jsonSchema": _schema_id(version, NEW_SCHEMA_FILE),
        }
    )
    _write_json(folder / "datapackage.json", descriptor)
    _write_json(folder / f"{NEW_RESOURCE_NAME}.json", [copy.deepcopy(r) for r in PLEDGES])
    return folder


@dataclass(frozen=True)
class ScratchVersion:
    """What the ``scratch_version`` fixture made: where the schemas and the package are."""

    version: str
    schema_root: Path
    package: Path

    @property
    def schema_folder(self) -> Path:
        """The scratch version's own folder of schemas."""
        return self.schema_root / self.version


@pytest.fixture
def scratch_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ScratchVersion]:
    """Scratch schemas and package in ``tmp_path``, used by hsdata for this test only."""
    root = build_scratch_schema_root(tmp_path / "schema")
    package = build_scratch_package(tmp_path / "package")
    # Schema sets are cached by version number: forget them on the way in (a set of
    # the same number from another test's folder) and out (this folder's, soon gone).
    load_schema_set.cache_clear()
    monkeypatch.setenv(SCHEMA_ROOT_VARIABLE, str(root))
    try:
        yield ScratchVersion(SCRATCH_VERSION, root, package)
    finally:
        monkeypatch.delenv(SCHEMA_ROOT_VARIABLE, raising=False)
        load_schema_set.cache_clear()
