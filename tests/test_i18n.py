"""Messages in French: the catalogue, the language setting, the renderers and ``--lang``."""

from __future__ import annotations

import ast
import json
import pickle
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

import hsdata
from hsdata import _i18n
from hsdata._i18n import Message, language_from_environment, parse_po, tr, translated
from hsdata._reporting import Report, format_report, make_issue
from hsdata._reporting._catalogue_fr import RULES_FR, rule_title
from hsdata._reporting._render import _COUNTED
from hsdata.cli import main

PACKAGE = Path(hsdata.__file__).resolve().parent
CATALOGUE = _i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "hsdata.po"
REGENERATE = f"add the French for it to {CATALOGUE.relative_to(PACKAGE.parent)}"


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
