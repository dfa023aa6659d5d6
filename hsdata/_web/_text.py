"""The words of the web page in English and French, and the choice between them.

The page's own words live in :data:`FRENCH` (English is the key, as in a
gettext catalogue). What the validator says (issue messages, rule titles)
is translated by :mod:`hsdata._i18n` where its catalogue knows the text
(:func:`message_in`, :func:`rule_title_in`); a text it does not know is
shown in English rather than not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._i18n import translated

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
#: The cookie that remembers the language a reader picked.
LANGUAGE_COOKIE = "hsdata-lang"

FRENCH: dict[str, str] = {
    "hsdata data review": "Vérification des données hsdata",
    "Check a file": "Vérifier un fichier",
    "Choose a file": "Choisissez un fichier",
    "Check the file": "Vérifier le fichier",
    "A JSON file of records, a JSON Lines file, a zipped data package, a filled spreadsheet "
    "template (.xlsx) or a zipped folder of the template's CSV files.": "Un fichier JSON "
    "d'enregistrements, un fichier JSON Lines, un paquet de données compressé (zip), un modèle "
    "de tableur rempli (.xlsx) ou un dossier compressé des fichiers CSV du modèle.",
    "Type of the records (for a JSON file whose name does not say)": "Type des enregistrements "
    "(pour un fichier JSON dont le nom ne le dit pas)",
    "from the file name": "d'après le nom du fichier",
    "At most {size} per file. The file is kept only while its report is open, at most "
    "{minutes} minutes, and never sent anywhere.": "Au plus {size} par fichier. Le fichier "
    "n'est gardé que le temps de son rapport, au plus {minutes} minutes, et n'est envoyé nulle "
    "part.",
    "Explore the data": "Explorer les données",
    "Explore {name}": "Explorer {name}",
    "Report on {file}": "Rapport sur {file}",
    "{errors} errors, {warnings} warnings": "{errors} erreurs, {warnings} avertissements",
    "The file is valid.": "Le fichier est valide.",
    "The file is valid, with warnings to read.": "Le fichier est valide ; lisez les "
    "avertissements.",
    "The file is not valid: correct the errors below and check it again.": "Le fichier n'est pas "
    "valide : corrigez les erreurs ci-dessous et vérifiez-le à nouveau.",
    "The file could not be read: see why below.": "Le fichier n'a pas pu être lu : voyez "
    "pourquoi ci-dessous.",
    "records checked": "enregistrements vérifiés",
    "version of the standard": "version du standard",
    "Errors": "Erreurs",
    "Warnings": "Avertissements",
    "error": "erreur",
    "warning": "avertissement",
    "File": "Fichier",
    "Rule": "Règle",
    "Place": "Emplacement",
    "Problem": "Problème",
    "Value": "Valeur",
    "Record": "Enregistrement",
    "sheet": "feuille",
    "row": "ligne",
    "column": "colonne",
    "cell": "cellule",
    "line": "ligne",
    "About this rule": "À propos de cette règle",
    "Download": "Télécharger",
    "as a JSON data package (zip)": "en paquet de données JSON (zip)",
    "as a filled spreadsheet template (.xlsx)": "en modèle de tableur rempli (.xlsx)",
    "as CSV tables (zip)": "en tables CSV (zip)",
    "upgraded to the newest version of the standard (zip)": "mis à jour vers la dernière version "
    "du standard (zip)",
    "Conversions need a data package: a zipped package, a filled workbook or a zipped folder of "
    "CSV files.": "Les conversions demandent un paquet de données : un paquet compressé, un "
    "classeur rempli ou un dossier compressé de fichiers CSV.",
    "CSV tables need valid data: correct the errors first.": "Les tables CSV demandent des "
    "données valides : corrigez d'abord les erreurs.",
    "See the data": "Voir les données",
    "Check another file": "Vérifier un autre fichier",
    "Summary": "Résumé",
    "Records by type": "Enregistrements par type",
    "Dates from {start} to {end}": "Dates du {start} au {end}",
    "Languages": "Langues",
    "Timeline": "Chronologie",
    "Network": "Réseau",
    "Timeline of events and memberships": "Chronologie des événements et des adhésions",
    "Network of actors and partnerships": "Réseau des acteurs et des partenariats",
    "No dated event or membership to draw.": "Aucun événement ni adhésion datés à dessiner.",
    "No partnership to draw.": "Aucun partenariat à dessiner.",
    "Records": "Enregistrements",
    "Search": "Rechercher",
    "Search the records (name or identifier)": "Rechercher des enregistrements (nom ou "
    "identifiant)",
    "{count} records found": "{count} enregistrements trouvés",
    "Links to": "Liens vers",
    "Linked from": "Liens depuis",
    "Fields": "Champs",
    "Not found": "Introuvable",
    "There is no such page.": "Cette page n'existe pas.",
    "This report has expired or never existed. Reports are kept for {minutes} minutes; check "
    "the file again.": "Ce rapport a expiré ou n'a jamais existé. Les rapports sont gardés "
    "{minutes} minutes ; vérifiez à nouveau le fichier.",
    "The file is too large": "Le fichier est trop volumineux",
    "The file is larger than {size}, the most this page accepts. Check it with the hsdata "
    "command instead, which has no such limit.": "Le fichier dépasse {size}, le maximum que "
    "cette page accepte. Vérifiez-le plutôt avec la commande hsdata, qui n'a pas cette limite.",
    "No file was sent": "Aucun fichier n'a été envoyé",
    "Choose a file, then press the button to check it.": "Choisissez un fichier, puis appuyez "
    "sur le bouton pour le vérifier.",
    "The check took too long": "La vérification a pris trop de temps",
    "Checking the file took more than {seconds} seconds and was stopped. Check it with the "
    "hsdata command instead.": "La vérification a duré plus de {seconds} secondes et a été "
    "arrêtée. Vérifiez plutôt le fichier avec la commande hsdata.",
    "The conversion could not be made": "La conversion n'a pas pu être faite",
    "Something went wrong": "Un problème est survenu",
    "The page could not be made. Nothing you sent is the cause; try again, and if it happens "
    "again, tell the people who run this site.": "La page n'a pas pu être produite. Ce que vous "
    "avez envoyé n'en est pas la cause ; réessayez, et si cela se reproduit, prévenez les "
    "personnes qui gèrent ce site.",
    "Back to the start": "Retour à l'accueil",
    "Language": "Langue",
    "the data package given at start": "le paquet de données donné au démarrage",
    "the canonical data set": "le jeu de données canonique",
    "Skip to the content": "Aller au contenu",
    "The data cannot be explored until it is valid.": "Les données ne peuvent être explorées "
    "qu'une fois valides.",
    "record type": "type d'enregistrement",
    "identifier": "identifiant",
    "name": "nom",
    # The pictures' legends, as the documentation translates them (docs/locales/fr/hsdocs.po).
    "event, date to the day": "événement daté au jour près",
    "event known to the month or year": "événement connu au mois ou à l'année près",
    "scheduled, not yet held": "prévu, pas encore tenu",
    "membership": "appartenance",
    "partnership": "partenariat",
    "member of a partnership": "membre d'un partenariat",
    "seat in or part of an organisation": "siège dans une organisation ou partie de celle-ci",
}

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    """The reader's language: the one picked (cookie), else the browser's first we speak."""
    if cookie in LANGUAGES:
        return str(cookie)
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and weight > 0:
            ranked.append((-weight, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def gettext(language: str) -> Callable[..., str]:
    """The page's translator: ``_("text {n}", n=1)`` in ``language``."""

    def translate(text: str, /, **params: Any) -> str:
        chosen = FRENCH.get(text, text) if language == "fr" else text
        return chosen.format(**params) if params else chosen

    return translate


def message_in(text: str, language: str) -> str:
    """A validator message in ``language`` where hsdata's catalogue knows it, else as given."""
    if language == DEFAULT_LANGUAGE:
        return text
    return translated(text, language)


def rule_title_in(rule_id: str, language: str) -> str:
    """A rule's title in ``language`` (its id when the rule is unknown)."""
    from .. import _reporting

    # The French rule titles are kept beside the rules; newer versions export their lookup.
    find = getattr(_reporting, "rule_title", None)
    if callable(find):
        found = find(rule_id, language)
        if found:
            return str(found)
    rule = _reporting.RULES.get(rule_id)
    return message_in(rule.title, language) if rule is not None else rule_id
