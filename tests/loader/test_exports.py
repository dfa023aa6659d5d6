"""The exports: CSV Data Package (frictionless), JSON-LD (rdflib), pandas, networkx."""

from __future__ import annotations

import builtins
import csv
import filecmp
import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import frictionless
import pytest
import rdflib
from rdflib.namespace import RDF, SKOS, XSD

import hsdata
from hsdata._export import (
    read_csv_package,
    read_table,
    restore_cell,
    to_jsonld,
    write_csv_package,
    write_jsonld,
)
from hsdata._export._csv import neutralise_cell
from hsdata._export._optional import MissingExtraError

REGENERATE = "hsdata export --format csv --force data/csv"
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
SCHEMA = rdflib.Namespace("https://schema.org/")


def _validate_with_frictionless(descriptor: Path) -> frictionless.Report:
    return frictionless.validate(str(descriptor))


def _pointer_get(document: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv")
    write_csv_package(hsdata.load(), out)
    return out


# --- CSV -------------------------------------------------------------------------------------


def test_the_csv_package_passes_frictionless_validate(exported: Path) -> None:
    report = _validate_with_frictionless(exported / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    names = {r["name"] for r in descriptor["resources"]}
    expected = {"actors", "partnerships", "partnership_members", "events", "event_participants"}
    assert expected | {"issue_areas", "citations", "texts", "memberships"} <= names
    members = next(r for r in descriptor["resources"] if r["name"] == "partnership_members")
    assert members["schema"]["primaryKey"] == ["partnership", "position"]
    references = {fk["reference"]["resource"] for fk in members["schema"]["foreignKeys"]}
    assert references == {"partnerships", "actors"}


def test_frictionless_catches_a_broken_foreign_key(exported: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in exported.iterdir():
        broken.joinpath(path.name).write_bytes(path.read_bytes())
    members = broken / "partnership_members.csv"
    text = members.read_text(encoding="utf-8")
    assert "lysoen-partnership,0,canada," in text
    members.write_text(
        text.replace("lysoen-partnership,0,canada,", "lysoen-partnership,0,atlantis,")
    )
    report = _validate_with_frictionless(broken / "datapackage.json")
    assert not report.valid
    errors = report.flatten(["type"])
    assert ["foreign-key"] in errors


def test_frictionless_catches_a_broken_self_reference(exported: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in exported.iterdir():
        broken.joinpath(path.name).write_bytes(path.read_bytes())
    actors = broken / "actors.csv"
    rows = list(csv.reader(actors.read_text(encoding="utf-8").splitlines()))
    parent_column = rows[0].index("parent")
    child = next(row for row in rows[1:] if row[parent_column])
    child[parent_column] = "nowhere"
    with actors.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    report = _validate_with_frictionless(broken / "datapackage.json")
    assert ["foreign-key"] in report.flatten(["type"])


def test_the_committed_csv_export_matches_the_json(exported: Path, repo_root: Path) -> None:
    committed = repo_root / "data" / "csv"
    message = f"data/csv is out of date with the JSON data; regenerate it with: {REGENERATE}"
    assert committed.is_dir(), message
    expected = sorted(p.name for p in exported.iterdir())
    assert sorted(p.name for p in committed.iterdir()) == expected, message
    _, mismatch, errors = filecmp.cmpfiles(committed, exported, expected, shallow=False)
    assert not mismatch and not errors, f"{message} (differs: {mismatch + errors})"


def test_the_export_is_deterministic(exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_csv_package(hsdata.load(), again)
    names = sorted(p.name for p in exported.iterdir())
    assert filecmp.cmpfiles(exported, again, names, shallow=False)[0] == names
    raw = (exported / "actors.csv").read_bytes()
    assert b"\r\n" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    ids = [row["id"] for row in read_table(exported / "actors.csv")]
    assert ids == sorted(ids)


def test_every_text_and_citation_is_in_the_csv_exactly(
    exported: Path, raw_records: dict[str, list[dict[str, Any]]]
) -> None:
    by_id = {(t, r["id"]): r for t, records in raw_records.items() for r in records}
    texts = list(read_table(exported / "texts.csv"))
    for row in texts:
        record = by_id[(str(row["record_type"]), str(row["record_id"]))]
        value = _pointer_get(record, str(row["pointer"]))
        if isinstance(value, list):  # not possible: pointers reach language maps
            pytest.fail(f"{row} points at a list")
        assert value[row["language"]] == row["text"]

    def count_texts(node: Any) -> int:
        if isinstance(node, dict):
            if "en" in node and all(isinstance(v, str) for v in node.values()):
                return len(node)
            return sum(count_texts(v) for v in node.values())
        if isinstance(node, list):
            return sum(count_texts(v) for v in node)
        return 0

    assert len(texts) == sum(count_texts(r) for r in by_id.values())

    citations = list(read_table(exported / "citations.csv"))
    for row in citations:
        record = by_id[(str(row["record_type"]), str(row["record_id"]))]
        citation = _pointer_get(record, str(row["pointer"]))
        assert citation["source"] == row["source"]
        assert citation.get("quote") == row["quote"]
        assert citation.get("section") == row["section"]
        assert str(citation.get("paragraph")) == str(row["paragraph"]) or (
            "paragraph" not in citation and row["paragraph"] is None
        )
    expected_citations = sum(
        len(r.get("citations", [])) + sum(len(m.get("citations", [])) for m in r.get("members", []))
        for r in by_id.values()
    )
    assert len(citations) == expected_citations


def test_link_tables_hold_every_member_and_participant(
    exported: Path, raw_records: dict[str, list[dict[str, Any]]]
) -> None:
    members = [
        (row["partnership"], int(str(row["position"])), row["actor"], row["role"])
        for row in read_table(exported / "partnership_members.csv")
    ]
    expected = [
        (p["id"], n, m["actor"], m["role"])
        for p in raw_records["partnership"]
        for n, m in enumerate(p["members"])
    ]
    assert sorted(members) == sorted(expected)
    participants = list(read_table(exported / "event_participants.csv"))
    assert len(participants) == sum(len(e.get("participants", [])) for e in raw_records["event"])


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx", "'quoted"])
def test_formula_cells_are_neutralised_and_restored(text: str) -> None:
    cell = neutralise_cell(text)
    assert cell.startswith("'") and cell != text
    assert restore_cell(cell) == text
    assert neutralise_cell("Canada") == "Canada" == restore_cell("Canada")


def test_a_formula_in_the_data_never_reaches_a_spreadsheet_as_one(
    edit_records: Any, package_copy: Path, tmp_path: Path
) -> None:
    def plant_formula(actors: list[dict[str, Any]]) -> None:
        actors[0]["note"] = {"en": '=HYPERLINK("http://example.com","x")', "fr": "@x"}

    edit_records("actors.json", plant_formula)
    dataset = hsdata.load(package_copy)
    out = tmp_path / "csv"
    write_csv_package(dataset, out)
    with (out / "texts.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert '\'=HYPERLINK("http://example.com","x")' in cells
    restored = {row["text"] for row in read_table(out / "texts.csv")}
    assert '=HYPERLINK("http://example.com","x")' in restored and "@x" in restored
    assert _validate_with_frictionless(out / "datapackage.json").valid


# --- JSON-LD ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> rdflib.Graph:
    path = write_jsonld(hsdata.load(), tmp_path_factory.mktemp("ld") / "canonical.jsonld")
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph internally.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return rdflib.Graph().parse(path, format="json-ld")


def _iri(kind: str, record_id: str) -> rdflib.URIRef:
    return rdflib.URIRef(f"https://w3id.org/hsdata/data/canonical/{kind}/{record_id}")


def test_jsonld_says_the_lysoen_partnership_has_member_canada(graph: rdflib.Graph) -> None:
    lysoen = _iri("partnerships", "lysoen-partnership")
    found = set(
        graph.query(
            "SELECT ?member WHERE "
            "{ ?m a org:Membership ; org:organization ?p ; org:member ?member }",
            initNs={"org": ORG},
            initBindings={"p": lysoen},
        )
    )
    assert {row[0] for row in found} == {_iri("actors", "canada"), _iri("actors", "norway")}
    assert (lysoen, RDF.type, ORG.OrganizationalCollaboration) in graph


def test_jsonld_keeps_languages_and_partial_dates(graph: rdflib.Graph) -> None:
    landmines = _iri("issue-areas", "landmines")
    labels = set(graph.objects(landmines, SKOS.prefLabel))
    assert rdflib.Literal("Mines terrestres", lang="fr") in labels
    assert rdflib.Literal("Landmines", lang="en") in labels
    assert (landmines, SKOS.broader, _iri("issue-areas", "human-security")) in graph
    meeting = _iri("events", "lysoen-senior-officials-meeting-1998")
    assert (meeting, RDF.type, SCHEMA.Event) in graph
    start = graph.value(meeting, SCHEMA.startDate)
    assert isinstance(start, rdflib.Literal)
    # From 1.2 a plain literal, as the context reads it from the data file (test_context_graph)
    assert (str(start), start.datatype) == ("1998-12", None)
    council = _iri("memberships", "canada-un-security-council-1999-2000")
    assert (council, ORG.member, _iri("actors", "canada")) in graph
    assert (council, ORG.organization, _iri("actors", "un-security-council")) in graph


def test_jsonld_has_a_node_for_every_record(graph: rdflib.Graph, canonical: hsdata.Dataset) -> None:
    hsdata_ns = rdflib.Namespace("https://w3id.org/hsdata/ns#")
    assert len(set(graph.subjects(RDF.type, hsdata_ns.Actor))) == len(canonical.actors)
    assert len(set(graph.subjects(RDF.type, hsdata_ns.Event))) == len(canonical.events)
    people = set(graph.subjects(RDF.type, SCHEMA.Person))
    assert _iri("actors", "lloyd-axworthy") in people
    assert _iri("actors", "canada") not in people


def test_the_context_file_is_the_one_the_export_embeds(
    canonical: hsdata.Dataset, repo_root: Path
) -> None:
    context = json.loads(
        (repo_root / "schema" / canonical.schema_version / "context.jsonld").read_text("utf-8")
    )
    document = to_jsonld(canonical)
    assert document["@context"][0] == context["@context"]
    assert context["@context"]["name"]["@container"] == "@language"


# --- pandas and networkx ---------------------------------------------------------------------


def test_to_pandas_gives_a_frame_per_table(canonical: hsdata.Dataset, exported: Path) -> None:
    frames = canonical.to_pandas()
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert set(frames) == {r["name"] for r in descriptor["resources"]}
    assert len(frames["actors"]) == len(canonical.actors)
    members = frames["partnership_members"]
    lysoen = members[members["partnership"] == "lysoen-partnership"]
    assert list(lysoen["actor"]) == ["canada", "norway"]
    assert str(frames["partnerships"]["members_complete"].dtype) == "boolean"
    texts = frames["texts"]
    french = texts[(texts["record_id"] == "norway") & (texts["language"] == "fr")]
    assert list(french["text"]) == ["Norvège"]


def test_to_networkx_links_actors_and_partnerships(canonical: hsdata.Dataset) -> None:
    graph = canonical.to_networkx()
    lysoen = ("partnership", "lysoen-partnership")
    members = {
        source
        for source, _, data in graph.in_edges(lysoen, data=True)
        if data["relation"] == "member"
    }
    assert members == {("actor", "canada"), ("actor", "norway")}
    assert graph.nodes[("actor", "canada")]["record"] is canonical.actors["canada"]
    assert graph.nodes[lysoen]["record_type"] == "partnership"
    seats = [
        data
        for _, target, data in graph.out_edges(("actor", "canada"), data=True)
        if data["relation"] == "seat" and target == ("actor", "un-security-council")
    ]
    assert {"1999", "1999-02"} == {seat["start"] for seat in seats}


@pytest.mark.parametrize(
    ("method", "module", "extra"),
    [("to_pandas", "pandas", "pandas"), ("to_networkx", "networkx", "graph")],
)
def test_a_missing_optional_package_names_the_extra(
    canonical: hsdata.Dataset, monkeypatch: pytest.MonkeyPatch, method: str, module: str, extra: str
) -> None:
    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == module or name.startswith(module + "."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    monkeypatch.setattr("importlib.import_module", refuse)
    with pytest.raises(MissingExtraError, match=rf"pip install 'hsdata-standard\[{extra}\]'"):
        getattr(canonical, method)()


def _without_empty_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_empty_lists(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [_without_empty_lists(v) for v in value]
    return value


def test_the_csv_package_reads_back_into_the_same_records(
    exported: Path, raw_records: dict[str, list[dict[str, Any]]]
) -> None:
    read_back = read_csv_package(exported)
    expected = {
        record_type: sorted((_without_empty_lists(r) for r in records), key=lambda r: r["id"])
        for record_type, records in raw_records.items()
    }
    assert read_back == expected


def test_formulas_survive_the_csv_round_trip(
    edit_records: Any, package_copy: Path, tmp_path: Path
) -> None:
    def change(events: list[dict[str, Any]]) -> None:
        events[0]["note"] = {"en": "=1+1", "fr": "'déjà cité'"}
        events[0]["participants"][0]["capacity"] = {"en": "-Host", "fr": "@hôte"}

    edit_records("events.json", change)
    dataset = hsdata.load(package_copy)
    out = tmp_path / "csv"
    write_csv_package(dataset, out)
    read_back = read_csv_package(out)
    original = sorted((r.to_dict() for r in dataset.events.values()), key=lambda r: r["id"])
    assert read_back["event"] == [_without_empty_lists(r) for r in original]


def test_extension_fields_survive_the_csv_round_trip(
    raw_records: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    # Built directly (an extension's fields would need the extension to validate).
    records = {t: [dict(r) for r in rs] for t, rs in raw_records.items()}
    records["event"][0]["funding"] = {"amount": 1000, "currency": "CAD"}
    records["event"][0]["participants"] = [
        {**records["event"][0]["participants"][0], "pledge": [1, 2]},
        *records["event"][0]["participants"][1:],
    ]
    dataset = hsdata.Dataset(
        records,
        schema_set=hsdata.load_schema_set(hsdata.load().schema_version),
        descriptor={"name": "extended"},
        location="memory",
        report=hsdata.Report(),
    )
    out = tmp_path / "csv"
    write_csv_package(dataset, out)
    extras = list(read_table(out / "extras.csv"))
    assert {row["pointer"] for row in extras} == {"/funding", "/participants/0/pledge"}
    read_back = read_csv_package(out)
    expected = sorted((_without_empty_lists(r) for r in records["event"]), key=lambda r: r["id"])
    assert read_back["event"] == expected


def test_dataset_methods_write_the_same_exports(canonical: hsdata.Dataset, tmp_path: Path) -> None:
    descriptor = canonical.to_csv(tmp_path / "csv")
    assert descriptor == tmp_path / "csv" / "datapackage.json"
    assert read_csv_package(descriptor.parent)["actor"][0]["id"] == min(canonical.actors)
    assert canonical.to_jsonld() == to_jsonld(canonical)


def test_the_frictionless_command_line_validates_the_committed_export(repo_root: Path) -> None:
    descriptor = repo_root / "data" / "csv" / "datapackage.json"
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", str(descriptor)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif("1.1" not in hsdata.available_versions(), reason="needs standard 1.1")
def test_fields_added_in_1_1_survive_csv_and_become_linked_data(tmp_path: Path) -> None:
    # The canonical data as released at 1.1 (the data itself has moved on to a later version).
    release_1_1 = Path(__file__).parents[1] / "versions" / "canonical_1_1"
    descriptor = json.loads((release_1_1 / "datapackage.json").read_text(encoding="utf-8"))
    records = {
        resource["hsdata:recordType"]: json.loads(
            (release_1_1 / resource["path"]).read_text(encoding="utf-8")
        )
        for resource in descriptor["resources"]
    }
    source = records["source"][0]
    source.pop("issued", None)
    source["issuedWithin"] = {"start": "1998-12", "end": "2000"}
    person = next(a for a in records["actor"] if a.get("posts"))
    person["posts"] = [{"organization": "canada", "attestedOn": ["1997-12-03", "1998"]}]
    dataset = hsdata.Dataset(
        records,
        schema_set=hsdata.load_schema_set("1.1"),
        descriptor={"name": "later", "id": "https://example.org/later"},
        location="memory",
        report=hsdata.Report(),
    )
    write_csv_package(dataset, tmp_path / "csv")
    assert _validate_with_frictionless(tmp_path / "csv" / "datapackage.json").valid
    read_back = read_csv_package(tmp_path / "csv")
    assert read_back["source"] == sorted(
        (_without_empty_lists(r) for r in records["source"]), key=lambda r: r["id"]
    )
    assert next(a for a in read_back["actor"] if a["id"] == person["id"]) == person

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph = rdflib.Graph().parse(data=json.dumps(dataset.to_jsonld()), format="json-ld")
    hsdata_ns = rdflib.Namespace("https://w3id.org/hsdata/ns#")
    source_iri = rdflib.URIRef(f"https://example.org/later/sources/{source['id']}")
    within = graph.value(source_iri, hsdata_ns.issuedWithin)
    assert within is not None
    assert graph.value(source_iri, SCHEMA.startDate) is None, "the source's own dates stay apart"
    end = graph.value(within, SCHEMA.endDate)
    assert isinstance(end, rdflib.Literal) and end.datatype == XSD.gYear
    attested = {
        (str(o), o.datatype)
        for o in graph.objects(None, hsdata_ns.attestedOn)
        if isinstance(o, rdflib.Literal)
    }
    assert attested == {("1997-12-03", XSD.date), ("1998", XSD.gYear)}
