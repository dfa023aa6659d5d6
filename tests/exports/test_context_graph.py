"""The 1.2 JSON-LD context reads the data files themselves as the graph of the JSON-LD export.

Each records file is wrapped as ``{"@context": file_context(...), "@graph": records}``
(:func:`hsdata._export._jsonld.file_document`), parsed by rdflib, and compared with the
export's triples without the classes (``rdf:type``), which a context cannot add.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata._export._jsonld import file_context, file_document, to_jsonld

rdflib = pytest.importorskip("rdflib")
from rdflib.compare import graph_diff, isomorphic, to_isomorphic  # noqa: E402
from rdflib.namespace import RDF, SKOS  # noqa: E402

SCHEMAS = "https://w3id.org/hsdata/schema/1.2/"
REPO = Path(__file__).resolve().parents[2]
SCHEMA = rdflib.Namespace("https://schema.org/")
HSDATA = rdflib.Namespace("https://w3id.org/hsdata/ns#")


def _parse(document: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph internally.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


def files_graph(folder: Path, dataset: hsdata.Dataset) -> Any:
    """The triples of every records file of a package read through the context."""
    graph = rdflib.Graph()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        record_type = resource.get("hsdata:recordType")
        if record_type is None:
            continue
        records = json.loads((folder / resource["path"]).read_text(encoding="utf-8"))
        graph += _parse(file_document(dataset, record_type, records))
    return graph


def export_graph(dataset: hsdata.Dataset) -> Any:
    """The triples of the JSON-LD export, classes left out."""
    graph = _parse(to_jsonld(dataset))
    graph.remove((None, RDF.type, None))
    return graph


def assert_same_graph(folder: Path) -> tuple[Any, Any]:
    dataset = hsdata.load(folder)
    from_files, exported = files_graph(folder, dataset), export_graph(dataset)
    if not isomorphic(from_files, exported):
        _, only_files, only_export = graph_diff(to_isomorphic(from_files), to_isomorphic(exported))
        lines = ["read from the files only:"]
        lines += (
            sorted(f"  {t}" for t in only_files.n3_triples())[:40]
            if hasattr(only_files, "n3_triples")
            else sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_files)[:40]
        )
        lines += ["in the export only:"]
        lines += sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_export)[:40]
        pytest.fail("\n".join(lines))
    return from_files, exported


def test_the_canonical_files_read_as_the_export() -> None:
    graph, _ = assert_same_graph(REPO / "data")
    assert len(graph) > 1000


def test_the_norwegian_example_reads_as_the_export() -> None:
    graph, _ = assert_same_graph(REPO / "examples" / "norway-nb")
    canonical = rdflib.Namespace("https://w3id.org/hsdata/data/canonical/")
    # prefixed references name the canonical package's records
    assert any(o == canonical["actors/canada"] for o in graph.objects())


def _cite(source: str = "ud-pressemelding") -> list[dict[str, Any]]:
    return [{"source": source, "quote": "x"}]


@pytest.fixture(scope="module")
def every_field(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Norwegian example plus an issue area, a partnership and a membership using every
    1.2 field the example leaves out (SKOS matches, other labels and names, roles, periods)."""
    import shutil

    folder = tmp_path_factory.mktemp("every-field") / "package"
    shutil.copytree(REPO / "examples" / "norway-nb", folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["hsdata:dependencies"][0]["path"] = "../canonical"
    shutil.copytree(REPO / "data", folder.parent / "canonical")
    source = json.loads((folder / "sources.json").read_text(encoding="utf-8"))[0]["id"]
    records: dict[str, list[dict[str, Any]]] = {
        "issueArea": [
            {
                "id": "mineforbud",
                "label": {"nb": "Forbud mot antipersonellminer", "en": "Mine ban"},
                "alternateLabels": [{"nb": "Minekonvensjonen", "en": "Ottawa"}, {"nn": "Minar"}],
                "definition": {"nb": "Arbeidet for et forbud."},
                "broader": ["hsca:landmines"],
                "exactMatch": ["https://example.org/sdg/16.1"],
                "closeMatch": ["https://w3id.org/hsdata/data/canonical/issue-areas/landmines"],
                "broadMatch": ["https://example.org/b"],
                "narrowMatch": ["https://example.org/n"],
                "relatedMatch": ["https://example.org/r"],
                "identifiers": [
                    {
                        "scheme": "wikidata",
                        "id": "Q123",
                        "uri": "https://www.wikidata.org/wiki/Q123",
                    }
                ],
                "asOf": "1999-03",
                "citations": _cite(source),
            }
        ],
        "partnership": [
            {
                "id": "oslo-gruppen",
                "type": "bilateral",
                "name": {"nb": "Oslo-gruppen"},
                "alternateNames": [{"nb": "Gruppen", "en": "The group"}, {"en": "Oslo group"}],
                "status": "active",
                "period": {"start": "1997-09", "end": "1999"},
                "members": [
                    {"actor": "hsca:norway", "role": "party", "joined": "1997-09-01"},
                    {"actor": "hsca:canada", "role": "party"},
                ],
                "roles": [
                    {
                        "role": "chair",
                        "actor": "hsca:norway",
                        "period": {"start": "1997", "end": "1998"},
                    },
                    {"role": "chair", "actor": "hsca:canada", "period": {"start": "1998"}},
                ],
                "issueAreas": ["mineforbud", "hsca:landmines"],
                "relatedPartnerships": [
                    {"partnership": "hsca:lysoen-partnership", "relation": "extends"}
                ],
                "citations": _cite(source),
            }
        ],
    }
    for record_type, listed in records.items():
        name, schema_file = {
            "issueArea": ("issue-areas", "issue-area.json"),
            "partnership": ("partnerships", "partnership.json"),
        }[record_type]
        (folder / f"{name}.json").write_text(json.dumps(listed, ensure_ascii=False), "utf-8")
        descriptor["resources"].append(
            {
                "name": name,
                "path": f"{name}.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "hsdata:recordType": record_type,
                "jsonSchema": SCHEMAS + schema_file,
            }
        )
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    return folder


def test_a_package_with_every_1_2_field_reads_as_the_export(every_field: Path) -> None:
    graph, _ = assert_same_graph(every_field)
    here = rdflib.Namespace("https://w3id.org/hsdata/examples/norway-nb/")
    canonical = rdflib.Namespace("https://w3id.org/hsdata/data/canonical/")
    area, group = here["issue-areas/mineforbud"], here["partnerships/oslo-gruppen"]
    assert (area, SKOS.exactMatch, rdflib.URIRef("https://example.org/sdg/16.1")) in graph
    assert (area, SKOS.broader, canonical["issue-areas/landmines"]) in graph
    assert (area, SKOS.altLabel, rdflib.Literal("Minar", lang="nn")) in graph
    assert (group, SCHEMA.alternateName, rdflib.Literal("The group", lang="en")) in graph
    assert (group, SCHEMA.startDate, rdflib.Literal("1997-09")) in graph
    assert (group, SCHEMA.about, canonical["issue-areas/landmines"]) in graph
    chairs = {graph.value(role, HSDATA.actor) for role in graph.objects(group, HSDATA.role)}
    assert chairs == {canonical["actors/norway"], canonical["actors/canada"]}


def test_the_file_context_binds_languages_and_refuses_a_tag_that_is_a_term() -> None:
    dataset = hsdata.load(REPO / "data")
    with pytest.raises(ValueError, match="'id' of alternateNames is also a JSON-LD term"):
        file_context(dataset, "partnership", [{"alternateNames": [{"id": "Kemitraan"}]}])
    context = file_context(dataset, "partnership", [{"alternateNames": [{"nb": "Gruppen"}]}])
    assert context[1]["nb"] == {"@id": "schema:alternateName", "@language": "nb"}
    assert context[1]["@base"] == "https://w3id.org/hsdata/data/canonical/partnerships/"
