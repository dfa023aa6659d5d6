"""The RDF exports: Turtle and N-Triples, made from the JSON-LD export with rdflib.

The triples are exactly those of the JSON-LD document
(:mod:`hsdata._export._jsonld`), which rdflib parses; nothing is said here
about records or fields. Nested objects (members, citations, posts) are
blank nodes, given canonical labels (rdflib's canonical graph) so that the
same data always gives the same file:

* N-Triples: one triple a line, the lines sorted;
* Turtle: as rdflib serialises the canonical graph, with the context's
  prefixes (hsdata, schema, org, skos, dcterms, xsd) bound.

Both need rdflib, the ``rdf`` extra: ``pip install 'hsdata-standard[rdf]'``.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._loader import Dataset, Exporter, register_exporter
from ._jsonld import to_jsonld, write_file
from ._optional import require

if TYPE_CHECKING:
    import rdflib


def rdf_graph(dataset: Dataset, *, base: str | None = None) -> rdflib.Graph:
    """The triples of the JSON-LD export, blank nodes labelled canonically, prefixes bound."""
    require("rdflib", "rdf", "The RDF export (Turtle, N-Triples)")
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    document = to_jsonld(dataset, base=base)
    parsed = Graph()
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph internally.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        parsed.parse(data=json.dumps(document), format="json-ld")
    graph = Graph()
    for triple in to_canonical_graph(parsed):
        graph.add(triple)
    context: dict[str, Any] = document["@context"][0]
    for prefix, iri in sorted(context.items()):
        if isinstance(iri, str) and iri.startswith("http") and iri.endswith(("#", "/")):
            graph.bind(prefix, iri, override=True, replace=True)
    return graph


def ntriples_text(dataset: Dataset, *, base: str | None = None) -> str:
    """The data set as N-Triples: one triple a line, sorted."""
    text = rdf_graph(dataset, base=base).serialize(format="nt")
    return "".join(f"{line}\n" for line in sorted({line for line in text.splitlines() if line}))


def turtle_text(dataset: Dataset, *, base: str | None = None) -> str:
    """The data set as Turtle."""
    return str(rdf_graph(dataset, base=base).serialize(format="turtle"))


def _writer(render: Callable[..., str]) -> Callable[..., Path]:
    def write(dataset: Dataset, out: str | Path, *, base: str | None = None) -> Path:
        path = Path(out)
        text = render(dataset, base=base)  # before any folder is made: rdflib may be missing
        write_file(path, text)
        return path

    return write


#: Write the N-Triples export to a file; return its path.
write_ntriples = _writer(ntriples_text)
#: Write the Turtle export to a file; return its path.
write_turtle = _writer(turtle_text)

register_exporter(
    Exporter(
        "ntriples",
        "the triples of the JSON-LD export as N-Triples, sorted, into OUT, a file "
        "(a folder: OUT/NAME.nt; '-': standard output; needs pip install 'hsdata-standard[rdf]')",
        "file",
        write_ntriples,
        summary="N-Triples to",
        suffix=".nt",
        text=ntriples_text,
        options=frozenset({"base"}),
        extra="rdf",
    )
)
register_exporter(
    Exporter(
        "turtle",
        "the triples of the JSON-LD export as Turtle into OUT, a file "
        "(a folder: OUT/NAME.ttl; '-': standard output; needs pip install 'hsdata-standard[rdf]')",
        "file",
        write_turtle,
        summary="Turtle to",
        suffix=".ttl",
        text=turtle_text,
        options=frozenset({"base"}),
        extra="rdf",
    )
)
