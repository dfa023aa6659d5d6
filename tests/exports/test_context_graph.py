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
