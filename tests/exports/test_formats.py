"""The export formats: the registry, Dataset.export, the command's choices, RDF and JSON-LD."""

from __future__ import annotations

import builtins
import json
import os
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF
from scratch_version import (
    NEW_RESOURCE_NAME,
    PLEDGES,
    ScratchVersion,
    scratch_version,  # noqa: F401 (a fixture)
)

import hsdata
from hsdata._export import Exporter, MissingExtraError, exporters, find_exporter
from hsdata._files import OutputError
from hsdata._loader import _exporters
from hsdata.cli import all_commands, main

ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
HSDATA = rdflib.Namespace("https://w3id.org/hsdata/ns#")
BASE = "https://w3id.org/hsdata/data/canonical/"


def _iri(path: str) -> rdflib.URIRef:
    return rdflib.URIRef(BASE + path)


def _parse(text: str, form: str) -> rdflib.Graph:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return rdflib.Graph().parse(data=text, format=form)


@pytest.fixture(scope="module")
def rdf_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rdf")
    dataset = hsdata.load()
    return {name: dataset.export(name, folder) for name in ("turtle", "ntriples", "jsonld")}


# --- the registry ----------------------------------------------------------------------------


def test_the_formats_are_registered_and_the_command_offers_exactly_them() -> None:
    names = [exporter.name for exporter in exporters()]
    assert names == ["csv", "jsonld", "ntriples", "sqlite", "turtle"]
    assert find_exporter("csv").writes == "folder"
    assert find_exporter("turtle").extra == "rdf"
    command = all_commands()["export"]
    option = next(p for p in command.params if p.name == "format_")
    assert sorted(option.type.choices) == names
    help_text = CliRunner().invoke(main, ["export", "--help"]).output
    # click wraps the help text, at a hyphen too ('hsdata-' / 'standard[rdf]').
    unwrapped = re.sub(r"-\s+", "-", help_text)
    assert "N-Triples" in help_text and "hsdata-standard[rdf]" in unwrapped


def test_an_unknown_format_or_option_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    dataset = hsdata.load()
    with pytest.raises(ValueError, match="the formats are: csv, jsonld, ntriples, sqlite, turtle"):
        dataset.export("xml", tmp_path)
    with pytest.raises(TypeError, match=r"takes no option colour \(its options: base\)"):
        dataset.export("jsonld", tmp_path / "x.jsonld", colour="red")
    assert not list(tmp_path.iterdir())


def test_a_new_format_is_one_registration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def write(dataset: hsdata.Dataset, out: Path, *, shout: bool = False) -> Path:
        text = ",".join(dataset.record_types)
        out.write_text(text.upper() if shout else text, encoding="utf-8")
        return out

    monkeypatch.setattr(_exporters, "_EXPORTERS", dict(_exporters._EXPORTERS))
    _exporters.register_exporter(
        Exporter(
            "types",
            "the record types",
            "file",
            write,
            "types to",
            ".txt",
            None,
            frozenset({"shout"}),
        )
    )
    written = hsdata.load().export("types", tmp_path, shout=True)
    assert written == tmp_path / "hsdata-canonical.txt"
    assert written.read_text(encoding="utf-8").startswith("ACTOR,")
    with pytest.raises(ValueError, match="already registered"):
        _exporters.register_exporter(Exporter("types", "other", "file", write, "x"))


def test_the_dataset_methods_go_through_the_registry(tmp_path: Path) -> None:
    dataset = hsdata.load()
    assert dataset.to_csv(tmp_path / "a") == tmp_path / "a" / "datapackage.json"
    assert dataset.export("csv", tmp_path / "b") == tmp_path / "b" / "datapackage.json"
    for name in ("texts.csv", "datapackage.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    written = dataset.export("jsonld", tmp_path / "c.jsonld", base="https://example.org/")
    assert json.loads(written.read_text(encoding="utf-8")) == dataset.to_jsonld(
        base="https://example.org/"
    )


# --- RDF ---------------------------------------------------------------------------------------


def test_the_triples_parse_back_and_name_the_lysoen_members(rdf_files: dict[str, Path]) -> None:
    graph = _parse(rdf_files["ntriples"].read_text(encoding="utf-8"), "nt")
    lysoen = _iri("partnerships/lysoen-partnership")
    members = {
        row[0]
        for row in graph.query(
            "SELECT ?member WHERE "
            "{ ?m a org:Membership ; org:organization ?p ; org:member ?member }",
            initNs={"org": ORG},
            initBindings={"p": lysoen},
        )
    }
    assert members == {_iri("actors/canada"), _iri("actors/norway")}
    assert (lysoen, RDF.type, ORG.OrganizationalCollaboration) in graph
    assert (lysoen, RDF.type, HSDATA.Partnership) in graph


def test_turtle_n_triples_and_json_ld_say_the_same(rdf_files: dict[str, Path]) -> None:
    turtle = _parse(rdf_files["turtle"].read_text(encoding="utf-8"), "turtle")
    triples = _parse(rdf_files["ntriples"].read_text(encoding="utf-8"), "nt")
    linked = _parse(rdf_files["jsonld"].read_text(encoding="utf-8"), "json-ld")
    assert len(triples) > 1000
    assert to_isomorphic(turtle) == to_isomorphic(triples) == to_isomorphic(linked)
    assert rdf_files["turtle"].read_text(encoding="utf-8").startswith("@prefix dcterms:")


def test_the_rdf_files_are_the_same_every_time(rdf_files: dict[str, Path], tmp_path: Path) -> None:
    lines = rdf_files["ntriples"].read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))
    again = {name: hsdata.load().export(name, tmp_path) for name in ("turtle", "ntriples")}
    for name, path in again.items():
        assert path.read_bytes() == rdf_files[name].read_bytes(), name


def test_the_command_writes_turtle_to_standard_output_and_n_triples_to_a_file(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    arguments = ["export", "-f", "turtle", "--base", "https://example.org/", "-"]
    streamed = runner.invoke(main, arguments)
    assert streamed.exit_code == 0, streamed.output
    graph = _parse(streamed.stdout, "turtle")
    assert (rdflib.URIRef("https://example.org/actors/canada"), None, None) in graph
    result = runner.invoke(main, ["export", "-f", "ntriples", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "as N-Triples to" in result.output
    assert (tmp_path / "hsdata-canonical.nt").stat().st_size > 0


def _without(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == module or name.startswith(module + "."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    monkeypatch.setattr("importlib.import_module", refuse)


def test_without_rdflib_the_export_names_the_extra_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dataset = hsdata.load()
    _without(monkeypatch, "rdflib")
    target = tmp_path / "out" / "data.ttl"
    with pytest.raises(MissingExtraError, match=r"pip install 'hsdata-standard\[rdf\]'"):
        dataset.export("turtle", target)
    assert not target.parent.exists()
    result = CliRunner().invoke(main, ["export", "-f", "ntriples", str(target)])
    assert result.exit_code == 2
    assert "pip install 'hsdata-standard[rdf]'" in result.output
    assert "Traceback" not in result.output


def test_an_export_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "data.nt"
    os.symlink(victim, link)
    with pytest.raises(OutputError, match="symbolic link"):
        hsdata.load().export("ntriples", link)
    assert victim.read_text(encoding="utf-8") == "keep me"


# --- a record type only the schemas know ---------------------------------------------------------


def test_json_ld_and_rdf_type_a_new_record_type_from_the_context(
    scratch_version: ScratchVersion,  # noqa: F811
    tmp_path: Path,
) -> None:
    dataset = hsdata.load(scratch_version.package)
    document = dataset.to_jsonld()
    pledges = [n for n in document["@graph"] if n["@id"].startswith(f"{NEW_RESOURCE_NAME}/")]
    assert [node["@id"] for node in pledges] == [f"{NEW_RESOURCE_NAME}/{p['id']}" for p in PLEDGES]
    assert [node["@type"] for node in pledges] == [["Pledge"], ["Pledge"]]
    # 1.2 exports a partial date as the plain text the data gives, references as record URIs.
    assert pledges[0]["madeOn"] == PLEDGES[0]["madeOn"]
    assert pledges[0]["issueAreas"] == [
        str(_iri(f"issue-areas/{area}")) for area in PLEDGES[0]["issueAreas"]
    ]
    graph = _parse(dataset.export("ntriples", tmp_path).read_text(encoding="utf-8"), "nt")
    pledge = _iri(f"{NEW_RESOURCE_NAME}/{PLEDGES[0]['id']}")
    assert (pledge, RDF.type, HSDATA.Pledge) in graph
    assert (pledge, HSDATA.pledgedBy, _iri(f"actors/{PLEDGES[0]['pledgedBy']}")) in graph
