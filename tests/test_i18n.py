"""Messages in French: the catalogue, the language setting, the renderers and ``--lang``."""

from __future__ import annotations

import ast
import json
import pickle
import re
import shutil
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

import hsdata
from hsdata import _i18n
from hsdata._i18n import Message, language_from_environment, parse_po, tr, translated
from hsdata._paths import canonical_data_dir
from hsdata._reporting import Report, format_report, make_issue
from hsdata._reporting._catalogue_fr import RULES_FR, rule_title
from hsdata._reporting._render import _COUNTED
from hsdata.cli import main

PACKAGE = Path(hsdata.__file__).resolve().parent
CATALOGUE = _i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "hsdata.po"
REGENERATE = f"add the French for it to {CATALOGUE.relative_to(PACKAGE.parent)}"
#: A 1.1 package to upgrade.
UPGRADED = PACKAGE.parent / "tests" / "versions" / "canonical_1_1"
#: A 1.2 package whose third actor may refer into a dependency.
DEPENDING = PACKAGE.parent / "tests" / "validator" / "fixtures_v12" / "minimal"


def templates_in_code() -> dict[str, str]:
    """Every literal template given to tr() in the package, with where it is used."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    for one, several in _COUNTED.values():
        found.setdefault(one, "_reporting/_render.py (_COUNTED)")
        found.setdefault(several, "_reporting/_render.py (_COUNTED)")
    return found


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_of_the_code_has_a_french_form() -> None:
    templates = templates_in_code()
    assert len(templates) > 30
    french = _i18n.catalogue("fr")
    missing = [
        f"{where}: {template!r}" for template, where in templates.items() if template not in french
    ]
    assert missing == [], f"{len(missing)} messages have no French; {REGENERATE}:\n" + "\n".join(
        missing
    )


def test_every_french_message_keeps_the_placeholders_of_its_english() -> None:
    for english, french in _i18n.catalogue("fr").items():
        assert _fields(french) == _fields(english), (english, french)


def test_the_catalogue_is_read_as_babel_reads_it() -> None:
    with CATALOGUE.open("rb") as handle:
        babel = {m.id: m.string for m in read_po(handle) if m.id and m.string and not m.fuzzy}
    assert parse_po(CATALOGUE.read_text(encoding="utf-8")) == babel


def test_the_catalogue_gives_each_message_once() -> None:
    # gettext's msgfmt refuses a catalogue that defines a message twice.
    ids = [
        "".join(ast.literal_eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', block))
        for block in re.findall(
            r"^msgid (.*?)^msgstr", CATALOGUE.read_text(encoding="utf-8"), re.M | re.S
        )
    ]
    assert len(ids) > 100
    repeated = sorted({msgid for msgid in ids if ids.count(msgid) > 1})
    assert repeated == [], repeated


def test_every_rule_has_a_french_title_and_explanation() -> None:
    # Rules are registered by the modules that check them.
    import hsdata._extensions
    import hsdata._spreadsheet
    import hsdata._upgrade

    missing = sorted(set(hsdata.RULES) - set(RULES_FR))
    assert missing == [], (
        f"add French titles and explanations to _reporting/_catalogue_fr.py: {missing}"
    )
    for rule_id, (title, explanation) in RULES_FR.items():
        assert title and explanation, rule_id


def test_a_message_is_its_english_text_and_keeps_its_template_across_processes() -> None:
    message = tr("the file {file} holds {count:,} records", file="a.json", count=12345)
    assert message == "the file a.json holds 12,345 records"
    copy = pickle.loads(pickle.dumps(message))
    assert isinstance(copy, Message)
    assert (copy.template, dict(copy.params)) == (message.template, dict(message.params))


def test_untranslated_text_stays_english() -> None:
    assert translated(tr("no French for {this}", this="x"), "fr") == "no French for x"
    assert translated("a plain text", "fr") == "a plain text"


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_CA.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_CA", "LANG": "en_CA.UTF-8"}, "fr"),
        ({"LANGUAGE": "de:fr", "LANG": "de_DE.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"HSDATA_LANG": "en", "LANG": "fr_CA.UTF-8"}, "en"),
        ({"HSDATA_LANG": "fr", "LANG": "C"}, "fr"),
    ],
)
def test_language_from_the_environment(environ: dict[str, str], language: str) -> None:
    assert language_from_environment(environ) == language


def _bad_report() -> Report:
    issue = make_issue(
        "json-empty",
        tr("the file is empty: a file of records holds at least []"),
        file="events.json",
        record="x",
        pointer="/0",
    )
    return Report(issues=(issue,), files=("events.json",), records_checked=1)


def test_renderers_speak_french_and_keep_rule_ids() -> None:
    report = _bad_report()
    text = format_report(report, "text", language="fr")
    assert "le fichier est vide : un fichier d'enregistrements contient au moins []" in text
    assert "Le fichier est vide" in text  # the rule's title
    assert "1 erreur, 0 avertissement dans 1 fichier (1 enregistrement vérifié)" in text
    assert "json-empty" in text
    document = json.loads(format_report(report, "json", language="fr"))
    (issue,) = document["issues"]
    assert issue["rule"] == "json-empty"
    assert issue["title"] == rule_title("json-empty", "fr") == "Le fichier est vide"
    assert issue["message"].startswith("le fichier est vide")
    english = format_report(report, "text", language="en")
    assert "the file is empty" in english and "erreur" not in english
    github = format_report(report, "github", language="fr")
    assert "(enregistrement x)" in github


def _bad_package(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "events.json").write_text('[{"id": "x"}]', encoding="utf-8")
    return folder / "events.json"


def test_hsdata_lang_fr_validate_prints_french(tmp_path: Path) -> None:
    events = _bad_package(tmp_path)
    result = CliRunner().invoke(main, ["--lang", "fr", "validate", str(events)], env={"LANG": "C"})
    assert result.exit_code == 1, result.output
    assert "le champ obligatoire 'type' manque" in result.output
    assert "Un champ obligatoire manque" in result.output  # rule title
    assert "3 erreurs, 0 avertissement dans 1 fichier" in result.output
    assert _i18n.current_language() == "en"  # restored when the command ends


def test_the_locale_and_hsdata_lang_choose_the_language(tmp_path: Path) -> None:
    events = _bad_package(tmp_path)
    runner = CliRunner()
    french = runner.invoke(main, ["validate", str(events)], env={"LANG": "fr_CA.UTF-8"})
    assert "erreurs" in french.output
    english = runner.invoke(
        main, ["validate", str(events)], env={"LANG": "fr_CA.UTF-8", "HSDATA_LANG": "en"}
    )
    assert "3 errors" in english.output
    explicit = runner.invoke(
        main, ["--lang", "en", "validate", str(events)], env={"LANG": "fr_CA.UTF-8"}
    )
    assert "3 errors" in explicit.output


def test_hsdata_lang_refuses_a_language_it_does_not_speak() -> None:
    result = CliRunner().invoke(main, ["--lang", "de", "info"])
    assert result.exit_code == 2
    assert "de" in result.output


def test_every_instruction_of_the_spreadsheet_template_has_a_french_form() -> None:
    from hsdata._spreadsheet._writer import INSTRUCTION_HEADERS, INTRODUCTION

    french = _i18n.catalogue("fr")
    missing = [
        text for text in (*INTRODUCTION, *INSTRUCTION_HEADERS) if text and text not in french
    ]
    assert missing == [], f"{REGENERATE}: {missing}"


def test_hsdata_template_lang_fr_writes_french_instructions(tmp_path: Path) -> None:
    out = tmp_path / "template"
    result = CliRunner().invoke(
        main, ["template", "--format", "csv", "--lang", "fr", str(out)], env={"LANG": "C"}
    )
    assert result.exit_code == 0, result.output
    instructions = (out / "instructions.csv").read_text(encoding="utf-8")
    assert "Modèle de tableur hsdata" in instructions
    assert "Les colonnes en gras sont obligatoires" in instructions
    assert "Columns in bold are required" not in instructions
    english = tmp_path / "english"
    CliRunner().invoke(main, ["template", "--format", "csv", str(english)], env={"LANG": "C"})
    assert "Columns in bold are required" in (english / "instructions.csv").read_text(
        encoding="utf-8"
    )


def test_the_columns_of_a_french_template_are_described_in_french(tmp_path: Path) -> None:
    import csv

    rows = {}
    for language in ("fr", "en"):
        out = tmp_path / language
        result = CliRunner().invoke(
            main, ["template", "--format", "csv", "--lang", language, str(out)], env={"LANG": "C"}
        )
        assert result.exit_code == 0, result.output
        with (out / "instructions.csv").open(encoding="utf-8-sig", newline="") as handle:
            rows[language] = [row for row in csv.reader(handle) if len(row) == 6][1:]
    # sheet, column, required, kind, codelist; the description is the schema's (English)
    french = " ".join(" ".join(row[2:5]) for row in rows["fr"])
    english = " ".join(" ".join(row[2:5]) for row in rows["en"])
    assert "clé" in french and "(fermée)" in french and "une liste d'identificateurs" in french
    assert english_words(english)
    assert english_words(french) == [], french


# -- French runs that must not print English sentences -------------------------------------------

#: Words of English sentences that no French message holds outside its quoted values.
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "is",
        "are",
        "which",
        "must",
        "has",
        "have",
        "when",
        "and",
        "its",
        "of",
        "an",
        "with",
        "was",
        "not",
        "no",
        "found",
        "give",
        "gives",
        "holds",
        "there",
        "that",
        "whose",
        "from",
        "cannot",
        "be",
        "by",
        "only",
        "or",
        "to",
        "for",
        "this",
        "it",
        "none",
        "neither",
        "nor",
    ]
)
#: Quoted values: an apostrophe inside a word (l'enregistrement) does not open one.
_QUOTED = re.compile(r"(?<!\w)'[^'\n]*'|\"[^\"\n]*\"|«[^»\n]*»")
#: Names, not words: options, paths, addresses, pointers, keywords such as publisher_name=.
_NAME = re.compile(r"\S*[-/:=_.@|\[\]{}]\S*")


def english_words(text: str, library: tuple[str, ...] = ()) -> list[str]:
    """The words of English sentences left in ``text``, leaving out quoted values, names,
    and the texts of other libraries (``library``) that hsdata quotes as they are.

    >>> english_words("le champ 'the id' manque; --reporting-on primary")
    []
    >>> english_words("le paquet must have the field")
    ['must', 'have', 'the']
    """
    for foreign in library:
        text = text.replace(foreign, " ")
    text = _NAME.sub(" ", _QUOTED.sub(" ", text))
    return [word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in _ENGLISH_WORDS]


def _run(*args: str) -> tuple[str, str]:
    """The output of the command in French and in English."""
    runner = CliRunner()
    french = runner.invoke(main, ["--lang", "fr", *args], env={"LANG": "C"})
    english = runner.invoke(main, ["--lang", "en", *args], env={"LANG": "C"})
    assert french.exception is None or isinstance(french.exception, SystemExit), french.output
    return french.output, english.output


def _canonical_copy(tmp_path: Path, change: Callable[[Path], None]) -> Path:
    folder = Path(shutil.copytree(canonical_data_dir(), tmp_path / "package"))
    change(folder)
    return folder


def _edit_json(path: Path, change: Callable[[Any], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


def _upgrade_missing_options(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    source = UPGRADED
    out = str(tmp_path / "out")
    args = ("upgrade", str(source), "--to", "1.2", "--output", out)
    french, english = _run(*args, "--namespace", "nope", "--publisher-id", "bad")
    assert "--publisher-name NOM (qui publie le paquet; publisher_name= en Python)" in french
    assert "--namespace 'nope' n'est pas une adresse http(s)" in french
    return french, english, ()


def _upgrade_changes(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    source = UPGRADED
    runner = CliRunner()
    options = ["--to", "1.2", "--publisher-name", "Canada", "--reporting", "primary"]
    options += ["--namespace", "https://example.org/x/", "--published", "2026-12-01T09:30:00Z"]
    outputs = []
    for language in ("fr", "en"):
        out = str(tmp_path / language)
        result = runner.invoke(
            main, ["--lang", language, "upgrade", str(source), "--output", out, *options]
        )
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    french, english = outputs
    assert "(d'après --publisher-name, --reporting)" in french
    assert "étape 1.1 -> 1.2 : enregistrements inchangés" in french
    return french, english, ()


def _upgrade_unreadable(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    source = Path(shutil.copytree(UPGRADED, tmp_path / "package"))
    (source / "actors.json").write_text('[\n  {"id": "a", "id": "b"}\n]\n', encoding="utf-8")
    french, english = _run("upgrade", str(source), "--to", "1.2", "--output", str(tmp_path / "o"))
    assert "le champ 'id' figure deux fois dans un même objet" in french
    assert "(ligne 2, colonne" in french
    return french, english, ()


def _upgrade_output_taken(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "file.txt").write_text("x", encoding="utf-8")
    facts = ("--publisher-name", "Canada", "--reporting", "primary")
    facts += ("--namespace", "https://example.org/x/")
    french, english = _run("upgrade", str(UPGRADED), "--output", str(taken), *facts)
    assert "existe déjà et n'est pas vide; nommez un nouveau dossier" in french
    return french, english, ()


def _dependency_reasons(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    package = Path(shutil.copytree(DEPENDING, tmp_path / "package"))
    release = {"name": "canonical", "version": "1.0.0", "namespace": "https://example.org/c/"}
    declared = [{"prefix": "hsca", "path": "../nowhere", **release}, {"prefix": "other", **release}]
    _edit_json(package / "datapackage.json", lambda d: d.update({"hsdata:dependencies": declared}))
    _edit_json(package / "actors.json", lambda a: a[2].update(parent="hsca:united-nations"))
    nothing = str(tmp_path / "nothing")
    french, english = _run("validate", str(package), "--dependency", f"other={nothing}")
    assert "son chemin '../nowhere' ne contient aucun paquet" in french
    assert "sa déclaration ne donne aucun chemin; la copie fournie pour elle" in french
    return french, english, ()


def _ref_wrong_type(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    def change(folder: Path) -> None:
        _edit_json(folder / "actors.json", lambda a: a[0].update(parent="human-security"))

    french, english = _run("validate", str(_canonical_copy(tmp_path, change)))
    assert "ref-wrong-type" in french
    assert "doit désigner un acteur, mais 'human-security' est un domaine d'action" in french
    return french, english, ()


def _conditional_required(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    def change(folder: Path) -> None:
        _edit_json(folder / "actors.json", lambda a: a[0].pop("country"))

    french, english = _run("validate", str(_canonical_copy(tmp_path, change)))
    assert "un acteur de type 'state' doit avoir le champ 'country'" in french
    # The field's title comes from the schema, which is written in English.
    titles = tuple(re.findall(r"'country' (\([^)]*\))", english))
    return french, english, titles


def _registry_issues(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    dataset = {
        "id": "canonical",
        "title": "The canonical package",
        "publisher": "hsca",
        "license": "CC-BY-4.0",
        "modified": "2026-12-01",
        "path": "nowhere",
    }
    publishers = [{"id": "hsca", "name": "hsdata maintainers"}]
    good = tmp_path / "registry.json"
    good.write_text(json.dumps({"publishers": publishers, "datasets": [dataset]}), "utf-8")
    bad = tmp_path / "bad-registry.json"
    wrong = {**dataset, "modified": "yesterday", "publisher": "nobody"}
    bad.write_text(json.dumps({"publishers": publishers, "datasets": [wrong]}), "utf-8")
    french, english = _run("registry", "check", str(good))
    assert "Le jeu de données 'canonical' donne le chemin 'nowhere', où il n'y a" in french
    assert "paquets valides sur" in french
    more_french, more_english = _run("registry", "check", str(bad))
    assert "Jeu de données 1, son champ 'modified' vaut 'yesterday', qui n'est pas" in more_french
    return french + more_french, english + more_english, ()


def _package_reader_refusals(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    package = Path(shutil.copytree(DEPENDING, tmp_path / "package"))
    changes = [
        {"path": "https://example.org/sources.json"},
        {"path": "/etc/actors.json"},
        {"path": "../events.json"},
        {"path": "missing.json"},
        {"jsonSchema": "nope"},
    ]
    copy = (package / "memberships.json").read_bytes()
    (package / "Memberships.json").write_bytes(copy)  # the same file where case is ignored

    def change(descriptor: Any) -> None:
        for resource, changed in zip(descriptor["resources"], changes, strict=False):
            resource.update(changed)
        descriptor["resources"][6]["path"] = ["memberships.json", "Memberships.json"]

    _edit_json(package / "datapackage.json", change)
    french, english = _run("validate", str(package))
    assert "le chemin de ressource '/etc/actors.json' est absolu" in french
    assert "ne diffèrent que par les majuscules" in french
    empty = tmp_path / "empty"
    empty.mkdir()
    more_french, more_english = _run("validate", str(empty))
    assert "ce n'est donc pas un paquet de données" in more_french
    return french + more_french, english + more_english, ()


def _spreadsheet_import(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    import csv

    from hsdata import write_template

    sheets = tmp_path / "sheets"
    write_template(sheets, format="csv")

    def rewrite(name: str, change: Callable[[list[list[str]]], None]) -> None:
        with (sheets / name).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        change(rows)
        with (sheets / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)

    def actors(rows: list[list[str]]) -> None:
        header = [*rows[0], "nonsense"]
        row = ["canada", "state", "Canada"] + [""] * (len(header) - 3)
        row[header.index("location.coordinates.latitude")] = "north"
        rows[:] = [header, row, ["canada", "state", "Canada"]]

    rewrite("actor.csv", actors)
    rewrite("actor.posts.csv", lambda rows: rows.append(["nobody", "un", "0"]))
    (sheets / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    french, english = _run("import", str(sheets), str(tmp_path / "out"))
    assert "'nonsense' n'est pas une colonne de cette feuille" in french
    assert "un nombre est attendu; trouvé : 'north'" in french
    assert "aucun élément nobody dans la feuille actor" in french
    return french, english, ()


def _template_refusals(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    french, english = _run("template", "--format", "csv", str(afile))
    assert "c'est un fichier, pas un dossier" in french
    package = Path(shutil.copytree(DEPENDING, tmp_path / "package"))
    (package / "events.json").unlink()
    (package / "actors.json").unlink()
    out = str(tmp_path / "out")
    more_french, more_english = _run("template", "--format", "csv", "--from", str(package), out)
    assert "impossible de lire le paquet" in more_french
    assert "(problèmes de plus : 1)" in more_french
    return french + more_french, english + more_english, ()


def _extension_refusals(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    from hsdata import check_extension
    from hsdata._paths import extensions_root

    root = extensions_root()
    assert root is not None
    package = Path(shutil.copytree(DEPENDING, tmp_path / "package"))
    broken = Path(shutil.copytree(root / "funding", package / "broken"))
    _edit_json(broken / "extension.json", lambda d: d.update(version="one", name={"fr": "x"}))
    declared = ["nope", "https://example.org/ext/", "broken", "../outside"]
    _edit_json(package / "datapackage.json", lambda d: d.update({"hsdata:extensions": declared}))
    french, english = _run("validate", str(package))
    assert "aucune extension 'nope' : ce n'est ni un dossier" in french
    assert "'version' doit être un numéro de version" in french
    codes = Path(shutil.copytree(root / "funding", tmp_path / "codes"))
    (codes / "codelists" / "currency.csv").write_text(
        "code,title\nEUR,Euro\nEUR,Euro\n", encoding="utf-8"
    )
    (codes / "actor-schema.json").write_text("{}", encoding="utf-8")
    report = check_extension(codes)
    more_french = format_report(report, "text", language="fr")
    assert "le code 'EUR' figure deux fois dans codelists/currency.csv" in more_french
    assert "extension.json ne l'énumère pas" in more_french
    more_english = format_report(report, "text", language="en")
    return french + more_french, english + more_english, ()


def _fetch_refusals(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    package = Path(shutil.copytree(DEPENDING, tmp_path / "package"))
    # Refused for its address before any connection is tried.
    declared = ["http://127.0.0.1:9/ext/", "ftp://example.org/x/"]
    _edit_json(package / "datapackage.json", lambda d: d.update({"hsdata:extensions": declared}))
    french, english = _run("validate", "--allow-network", str(package))
    assert "impossible de télécharger http://127.0.0.1:9/ext/extension.json" in french
    assert "est une adresse de bouclage (cet ordinateur)" in french
    return french, english, ()


def _command_notes(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    french, english = _run("info")
    assert "Enregistrements : " in french and "Partenariats : 3" in french
    # The package's own texts (its title, partnership names) are the data's, not hsdata's.
    names = tuple(re.findall(r"^  [a-z-]+: ([^(]*) \(", english, re.MULTILINE))
    title = english.splitlines()[0]
    out = tmp_path / "out.sqlite"
    more_french, more_english = _run("export", "--format", "sqlite", str(out), "--force")
    assert "en base de données SQLite dans" in more_french
    registry = tmp_path / "registry.json"
    registry.write_text('{"publishers": [], "datasets": []}', encoding="utf-8")
    fetched_french, fetched_english = _run(
        "registry", "fetch", str(registry), "--output", str(tmp_path / "d")
    )
    assert "donnez --allow-network" in fetched_french
    template_french, template_english = _run("template", "--format", "csv", str(tmp_path / "t"))
    assert "écrit : " in template_french
    return (
        french + more_french + fetched_french + template_french,
        english + more_english + fetched_english + template_english,
        (title, *names),
    )


def _descriptor_shapes(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    package = Path(shutil.copytree(DEPENDING, tmp_path / "package"))

    def change(descriptor: Any) -> None:
        descriptor["licenses"] = [{"title": "x"}]
        descriptor["hsdata:publisher"] = "me"
        descriptor["hsdata:dependencies"] = [{"prefix": "hsca", "path": "../nowhere"}]

    _edit_json(package / "datapackage.json", change)
    french, english = _run("validate", str(package))
    assert "hsdata:publisher doit être un objet écrit { ... }, et non du texte" in french
    assert "licenses[0] doit avoir name ou path" in french
    assert french.count("hsdata:dependencies[0] n'a pas de name,") == 1
    # Quoted as they are: the Data Package library's words and the schema's descriptions.
    library = re.findall(r"Data Package: (.*?)  package-descriptor-invalid", english)
    library += re.findall(r"requires (\([^)]*\))", english)
    return french, english, tuple(library)


def _diff_lines(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    def change(folder: Path) -> None:
        def actors(records: Any) -> None:
            records[0]["name"]["en"] = "X"
            records.append(dict(records.pop(1), id="new-one"))

        _edit_json(folder / "actors.json", actors)

    changed = _canonical_copy(tmp_path, change)
    french, english = _run("diff", str(UPGRADED), str(changed))
    assert "Comparaison de " in french and "~ le descripteur du paquet" in french
    assert "(actor : ajoutés : 1, retirés : 1, modifiés : " in french
    # The values compared are the data's, shown as they are.
    values: list[str] = []
    for line in re.findall(r"^    /\S*: (.*)$", english, re.MULTILINE):
        values += re.sub(r"^(?:added |removed \(was )", "", line).split(" -> ")
    return french, english, tuple(value.removesuffix(")") for value in values)


def _shared_command_messages(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    """What every command says alike: a package it cannot read, an invalid one it
    cannot load, an output folder it would not replace without --force."""
    broken = _canonical_copy(tmp_path, lambda folder: (folder / "actors.json").write_text("[{"))
    invalid = _canonical_copy(
        tmp_path / "b", lambda folder: _edit_json(folder / "actors.json", lambda a: a.append({}))
    )
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "kept.txt").write_text("kept", encoding="utf-8")
    french = english = ""
    for args in (
        ("info", str(tmp_path / "nowhere")),
        ("info", str(broken)),
        ("info", str(invalid)),
        ("export", str(canonical_data_dir()), str(taken), "--format", "csv"),
    ):
        in_french, in_english = _run(*args)
        french, english = french + in_french, english + in_english
    return french, english, ()


_FRENCH_CASES = {
    "upgrade-missing-options": _upgrade_missing_options,
    "upgrade-changes": _upgrade_changes,
    "upgrade-unreadable": _upgrade_unreadable,
    "upgrade-output-taken": _upgrade_output_taken,
    "dependency-reasons": _dependency_reasons,
    "ref-wrong-type": _ref_wrong_type,
    "conditional-required": _conditional_required,
    "registry-issues": _registry_issues,
    "package-reader-refusals": _package_reader_refusals,
    "spreadsheet-import": _spreadsheet_import,
    "template-refusals": _template_refusals,
    "extension-refusals": _extension_refusals,
    "fetch-refusals": _fetch_refusals,
    "command-notes": _command_notes,
    "descriptor-shapes": _descriptor_shapes,
    "diff-lines": _diff_lines,
    "shared-command-messages": _shared_command_messages,
}


@pytest.mark.parametrize("case", sorted(_FRENCH_CASES))
def test_a_french_run_prints_no_english_sentence(case: str, tmp_path: Path) -> None:
    french, english, library = _FRENCH_CASES[case](tmp_path)
    assert english_words(english, library), "the English run must hold English words"
    assert english_words(french, library) == [], french


def test_the_schema_other_message_is_french(tmp_path: Path) -> None:
    from hsdata._schemas import build_schema_set, schema_root
    from hsdata._validator import validate_files

    folder = Path(shutil.copytree(schema_root() / "1.0", tmp_path / "schema" / "1.0"))
    _edit_json(folder / "event.json", lambda s: s.update({"not": {"required": ["forbidden"]}}))
    events = json.loads((canonical_data_dir() / "events.json").read_text(encoding="utf-8"))
    event = {k: v for k, v in events[0].items() if k != "hsdata:extra"}
    event["forbidden"] = 1
    path = tmp_path / "events.json"
    path.write_text(json.dumps([event]), encoding="utf-8")
    report = validate_files([(path, "events.json")], schema_set=build_schema_set(folder, "1.0"))
    (issue,) = [i for i in report.issues if i.rule == "schema-other"]
    french = format_report(report, "text", language="fr")
    english = format_report(report, "text", language="en")
    assert "(mot-clé de schéma 'not')" in french
    # What jsonschema says is quoted as it is: the rest of the sentence must be French.
    detail = issue.message.split(": ", 1)[1].rsplit(" (schema keyword", 1)[0]
    assert english_words(english, (detail,))
    assert english_words(french, (detail,)) == [], french


def test_every_description_of_the_registry_format_has_a_french_form() -> None:
    from hsdata._registry._format import described, registry_schema

    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            description = node.get("description")
            if isinstance(description, str) and {"pattern", "oneOf", "minLength"} & set(node):
                text = description.rstrip(".")
                found.append(described(text[0].lower() + text[1:]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(registry_schema())
    assert len(found) > 5
    untranslated = [text for text in found if translated(text, "fr") == text]
    assert untranslated == [], f"{REGENERATE}: {untranslated}"


# -- French for the validator's record, citation and run messages ---------------------------------


def _break_records(folder: Path) -> None:
    """Records that break each record check whose message is a whole translated sentence."""

    def partnerships(records: list[Any]) -> None:
        records[0]["members"][1]["role"] = "member"  # a bilateral partnership with one party
        records[0]["reportedMemberCount"] = {"minimum": 12000, "maximum": 5}
        records[2]["type"] = "bilateral"  # ... and one with none
        for member in records[2]["members"]:
            member["role"] = "member"
        records[1]["roles"] = [{"role": "chair", "actor": "jody-williams"}]

    def actors(records: list[Any]) -> None:
        records[0]["posts"] = records[22]["posts"]  # a state with posts
        records[22]["posts"][0]["heldOn"] = "1997-12-03"  # deprecated since 1.1
        records[1]["description"] = {"en": "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"}
        records[1]["country"] = "XX"  # not one of the country codelist's 249 codes
        records[2]["description"] = {"en": "\u200b"}
        records[3]["description"] = {"en": "abc\u202e def"}
        records[4]["name"]["sp"] = "Nombre"
        records[5]["name"]["xx"] = "Name"
        records[6]["name"] = {"fr": "Nom"}

    def events(records: list[Any]) -> None:
        records[1]["status"] = "bogus"
        records.append(5)

    def documents(records: list[Any]) -> None:
        records[0]["lifecycle"].append({"stage": "enteredIntoForce", "date": "1998-01"})
        records[0]["lifecycle"].append({"stage": "terminated", "date": "1990"})
        records[0]["parties"][0].update(consented="1998-01-01", inForce="1997-01-01")

    def sources(records: list[Any]) -> None:
        records[1]["language"] = "jp"

    for name, change in [
        ("partnerships", partnerships),
        ("actors", actors),
        ("events", events),
        ("documents", documents),
        ("sources", sources),
    ]:
        _edit_json(folder / f"{name}.json", change)


def _record_checks(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    french, english = _run("validate", str(_canonical_copy(tmp_path, _break_records)))
    for rule in (
        "partnership-bilateral-parties",
        "partnership-member-count",
        "actor-posts-not-person",
        "schema-deprecated-field",
        "text-blank",
        "text-control-character",
        "language-tag-unknown",
        "language-english-missing",
        "codelist-closed",
        "json-record-not-object",
        "role-holder-not-member",
        "lifecycle-order",
    ):
        assert rule in french, rule
    assert "deux membres ayant le rôle « party »; il en a 1 ('canada')" in french
    assert "il en a 0 (aucun)" in french
    assert "(U+200B, U+200C, U+200D, U+2060, U+FEFF et 2 autres)" in french
    assert "obsolète depuis la version 1.1 : employez plutôt attestedOn; il sera retiré" in french
    assert "de la liste de codes country (249 codes)" in french
    assert "le code de l'espagnol est 'es'" in french
    assert "le code du japonais est 'ja'" in french
    assert "le document est entré en vigueur le '1998-01', avant d'avoir été signé le" in french
    assert "le document a pris fin le '1990', avant d'être entré en vigueur le" in french
    assert "un document entre en vigueur pour une partie le jour où elle signe ou après" in french
    return french, english, ()


def _citations_against_texts(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    sources = json.loads((canonical_data_dir() / "sources.json").read_text(encoding="utf-8"))
    cite = {"source": sources[0]["id"]}

    def change(folder: Path) -> None:
        text = "A heading\n\nFirst words.\n\nCoalitions\n\nFiller.\n\nSecond words.\n"
        (folder / sources[0]["fileName"]).write_text(text, encoding="utf-8")  # digest differs
        (folder / sources[1]["fileName"]).mkdir()  # a text that cannot be read
        citations = [
            {**cite, "paragraph": 99, "quote": "First words."},
            {**cite, "section": "Coalitions", "paragraph": 99, "quote": "Second words."},
            {**cite, "section": "Coalitions", "quote": "First words."},
            {**cite, "section": "Coalitions", "paragraph": 1, "quote": "Second words."},
            {**cite, "paragraph": 1, "quote": "First words."},
        ]
        _edit_json(folder / "actors.json", lambda a: a[7].update(citations=citations))

    french, english = _run("validate", str(_canonical_copy(tmp_path, change)))
    for rule in sorted(
        {"citation-quote-not-found", "citation-quote-elsewhere", "citation-place-not-found"}
        | {"source-text-digest", "source-text-unreadable"}
    ):
        assert rule in french, rule
    assert "compte 5 paragraphes en tout" in french
    assert "compte 2 paragraphes après le titre 'Coalitions'" in french
    assert "(après le titre 'Coalitions') : elle est à la ligne 3 du texte" in french
    assert "soit le paragraphe 2 après le titre 'Coalitions'" in french
    assert "mais n'est pas un fichier ordinaire qui peut être ouvert; les citations" in french
    assert "n'a pas de titre" in french and "l'empreinte SHA-256 du texte source" in french
    return french, english, ()


def _too_many_issues(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    events = tmp_path / "events.jsonl"
    events.write_text("5\n" * 1002, encoding="utf-8")
    empty = tmp_path / "actors.jsonl"
    empty.write_text("\n", encoding="utf-8")
    french, english = _run("validate", str(events), str(empty))
    assert "2 autres problèmes de ce type dans ce fichier ne sont pas énumérés" in french
    assert "un fichier JSON Lines contient un enregistrement par ligne" in french
    return french, english, ()


def _package_files(tmp_path: Path) -> tuple[str, str, tuple[str, ...]]:
    def change(folder: Path) -> None:
        def descriptor(document: dict[str, Any]) -> None:
            document["name"] = 5  # frictionless refuses it
            document["resources"][0].update(bytes=12345, hash="sha256:" + "0" * 64)
            document["resources"][1]["hash"] = "crc32:abc"
            document["hsdata:publisher"]["name"]["jp"] = "Name"  # a descriptor's language tag

        _edit_json(folder / "datapackage.json", descriptor)

    package = _canonical_copy(tmp_path, change)
    french, english = _run("validate", str(package), str(tmp_path / "nowhere"))
    assert re.search(
        "compte [0-9\u202f]+ octets, mais le datapackage.json en déclare 12\u202f345", french
    )
    assert "l'algorithme de hachage 'crc32' ne figure pas parmi" in french
    assert "l'empreinte sha256 de" in french and "il n'y a aucun fichier ni dossier" in french
    assert "le datapackage.json n'est pas un Data Package valide : " in french
    assert "a un texte dans la langue 'jp', qui n'est pas une étiquette de langue" in french
    # What frictionless says is quoted as it is.
    notes = tuple(re.findall(r"not a valid Data Package: (.*?)  package-", english))
    assert notes
    return french, english, notes


_VALIDATOR_CASES = {
    "package-files": _package_files,
    "record-checks": _record_checks,
    "citations-against-texts": _citations_against_texts,
    "too-many-issues": _too_many_issues,
}


@pytest.mark.parametrize("case", sorted(_VALIDATOR_CASES))
def test_a_french_validation_prints_no_english_sentence(case: str, tmp_path: Path) -> None:
    french, english, library = _VALIDATOR_CASES[case](tmp_path)
    assert english_words(english, library), "the English run must hold English words"
    assert english_words(french, library) == [], french


def test_the_refusals_of_unusable_schemas_and_versions_are_french(tmp_path: Path) -> None:
    import copy
    import dataclasses

    from hsdata._schemas import SchemaError, load_schema_set
    from hsdata._validator import validate_files
    from hsdata._validator._packages import _schema_version_arg

    with pytest.raises(SchemaError) as refused:
        _schema_version_arg("9.9")
    (message,) = refused.value.args
    assert english_words(translated(message, "en"))
    assert translated(message, "fr").startswith("hsdata 9.9 n'est pas une version publiée")
    assert english_words(translated(message, "fr")) == []
    french, _ = _run("validate", "--schema-version", "9.9", str(canonical_data_dir()))
    assert "hsdata 9.9 n'est pas une version publiée de la norme" in french

    schemas = load_schema_set("1.2")
    schema = copy.deepcopy(schemas.record_schema("event"))
    schema["properties"]["extra"] = {"$ref": "urn:hsdata:nowhere"}
    broken = dataclasses.replace(
        schemas, schemas={**schemas.schemas, schemas.schema_id("event"): schema}
    )
    path = tmp_path / "events.json"
    path.write_text('[{"id": "x"}]', encoding="utf-8")
    report = validate_files([(path, "events.json")], schema_set=broken)
    (issue,) = report.issues
    assert issue.rule == "schema-reference-unresolvable"
    french = translated(issue.message, "fr")
    assert french.startswith("les schémas de hsdata 1.2 sont inutilisables")
    # What the schema library says is quoted as it is: the rest of the sentence must be French.
    detail = issue.message.split("against them: ", 1)[1]
    assert english_words(french, (detail,)) == [], french


# -- The command line's help in French ------------------------------------------------------------


def _every_command() -> list[tuple[click.Command, click.Context]]:
    """The ``hsdata`` group and every command under it (sub-commands of groups too)."""
    from hsdata.cli import all_commands

    # As click makes them (with -h): click keeps the first help option a command is asked for.
    root = click.Context(main, info_name="hsdata", **main.context_settings)
    found: list[tuple[click.Command, click.Context]] = [(main, root)]

    def walk(command: click.Command, ctx: click.Context) -> None:
        found.append((command, ctx))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, name
                walk(sub, click.Context(sub, info_name=name, parent=ctx))

    for name, command in all_commands().items():
        walk(command, click.Context(command, info_name=name, parent=root))
    return found


def help_texts() -> dict[str, str]:
    """Every paragraph of help the interface shows (the commands' and their options',
    click's own --help and --version included), as the catalogue holds it, with where."""
    from hsdata.cli._common import help_paragraphs

    found: dict[str, str] = {}
    for command, ctx in _every_command():
        texts = [command.help] + [getattr(p, "help", None) for p in command.get_params(ctx)]
        for text in texts:
            for _, paragraph in help_paragraphs(text or ""):
                found.setdefault(paragraph, ctx.command_path)
    return found


def test_every_help_of_the_command_line_has_a_french_form() -> None:
    texts = help_texts()
    assert len(texts) > 50
    assert "Show this message and exit." in texts  # click's own help
    french = _i18n.catalogue("fr")
    missing = [f"{where}: {text!r}" for text, where in texts.items() if text not in french]
    assert missing == [], f"{len(missing)} help texts have no French; {REGENERATE}:\n" + "\n".join(
        missing
    )


def test_a_french_help_names_the_options_its_english_names() -> None:
    option = re.compile(r"(?<![\w-])--[a-z][\w-]*")
    french = _i18n.catalogue("fr")
    for text in help_texts():
        assert sorted(option.findall(french[text])) == sorted(option.findall(text)), text


def _help(args: list[str], **env: str | None) -> str:
    environ: dict[str, str | None] = {"HSDATA_LANG": None, "LANGUAGE": None, "LC_ALL": None}
    environ.update({"LC_MESSAGES": None, "LANG": "C", **env})
    result = CliRunner().invoke(main, args, env=environ)
    assert result.exit_code == 0, result.output
    assert _i18n.current_language() == "en"  # restored when the help is printed
    return result.output


def test_every_help_in_french_holds_no_english_sentence() -> None:
    commands = _every_command()
    assert len(commands) > 10
    for _, ctx in commands:
        path = ctx.command_path.split()[1:]
        french = _help(["--lang", "fr", *path, "--help"])
        english = _help(["--lang", "en", *path, "--help"])
        assert english_words(english), path
        assert english_words(french) == [], french
        assert french.startswith("Utilisation\u00a0: main"), french
        assert "Afficher ce message et quitter." in french
    group = _help(["--lang", "fr", "--help"])
    assert "Commandes:\n" in group and "\n  validate  Vérifier des données hsdata" in group
    compiled = _help(["--lang", "fr", "compile", "--help"])
    assert "Le dossier où écrire le paquet compilé.  [obligatoire]" in compiled
    served = _help(["--lang", "fr", "serve", "--help"])
    assert "[par défaut\u00a0: 8000;\n" in served and "0<=x<=65535]" in served


def test_the_english_help_is_as_click_prints_it() -> None:
    for _, ctx in _every_command():
        path = ctx.command_path.split()[1:]
        english = _help(["--lang", "en", *path, "--help"])
        assert english == _help([*path, "--help"])
        assert english.startswith("Usage: main") and "Options:\n" in english
        assert "  -h, --help" in english and "Show this message and exit." in english
        assert not {"Utilisation", "par défaut", "obligatoire", "Commandes"} & set(
            re.findall(r"\w+(?: \w+)?", english)
        )
    validate = _help(["validate", "--help"])
    assert (
        "\n  Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage error or\n"
        "  unreadable input.\n" in validate
    )
    assert "annotations on pull requests.  [default: text]\n" in validate
    assert "The folder to write the compiled package to.  [required]" in _help(["compile", "-h"])
    group = _help(["--help"])
    assert "\nCommands:\n" in group
    listed = "\n  validate  Check hsdata data: a package folder, its datapackage.json, a...\n"
    assert listed in group
    export = _help(["export", "--help"])
    assert "\n  Examples:\n    hsdata export --format csv data/csv\n" in export


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["validate", "--help"], {"HSDATA_LANG": "fr"}, "Afficher ce message"),
        (["validate", "--help"], {"LANG": "fr_CA.UTF-8"}, "Afficher ce message"),
        (["--help", "--lang", "fr"], {}, "Afficher ce message"),
        (["-h", "--lang=fr"], {}, "Afficher ce message"),
        (["template", "--help", "--lang", "fr"], {}, "Afficher ce message"),
        (["template", "--lang", "fr", "--help"], {}, "Afficher ce message"),
        (["template", "--help", "--lang", "en"], {"HSDATA_LANG": "fr"}, "Show this message"),
        (["--lang", "en", "validate", "--help"], {"LANG": "fr_CA.UTF-8"}, "Show this message"),
    ],
)
def test_the_help_is_in_the_language_asked_for_however_it_is_asked(
    args: list[str], env: dict[str, str], expected: str
) -> None:
    assert expected in _help(args, **env)


def test_a_usage_error_keeps_the_english_of_click_around_it() -> None:
    # click says 'Try ... for help.' and 'Error:' in English: the usage line above stays English.
    result = CliRunner().invoke(main, ["--lang", "fr", "validate", "--bogus"], env={"LANG": "C"})
    assert result.exit_code == 2
    assert result.output.startswith("Usage: main validate [OPTIONS]"), result.output
    assert "Utilisation" not in result.output
