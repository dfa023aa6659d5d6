"""Generates extensions/funding/codelists/currency.csv from ISO 4217 (via pycountry),
and the ``enum`` of the currency field in the extension's partnership-schema.json.

Run ``python tests/toolchain/currency_codelist.py`` from the repository root
to regenerate both; the test suite checks they are up to date. The patch
carries the enum itself because the merge rule adds none for a new codelist
(extensions/README.md, "How the schemas are merged").

The list holds the current ISO 4217 currencies with English and French names,
less the codes that are not money a partner could commit (precious metals,
bond-market units, the testing and "no currency" codes), plus the national
currencies the euro replaced and the ECU, since commitments made before 2002
were made in them.
"""

from __future__ import annotations

import csv
import gettext
import io
import json
import sys
from pathlib import Path

import pycountry

FUNDING = Path(__file__).resolve().parents[2] / "extensions/funding"
CODELIST = FUNDING / "codelists/currency.csv"
PATCH = FUNDING / "partnership-schema.json"

#: Codes of ISO 4217 that are not a currency anyone commits funding in.
NOT_MONEY = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)

#: Currencies withdrawn when the euro came in (and its forerunner, the ECU):
#: code, ISO numeric code, English name, French name.
WITHDRAWN = (
    ("ATS", "040", "Austrian Schilling", "Schilling autrichien"),
    ("BEF", "056", "Belgian Franc", "Franc belge"),
    ("DEM", "276", "Deutsche Mark", "Mark allemand"),
    ("ESP", "724", "Spanish Peseta", "Peseta espagnole"),
    ("FIM", "246", "Finnish Markka", "Mark finlandais"),
    ("FRF", "250", "French Franc", "Franc français"),
    ("GRD", "300", "Greek Drachma", "Drachme grecque"),
    ("IEP", "372", "Irish Pound", "Livre irlandaise"),
    ("ITL", "380", "Italian Lira", "Lire italienne"),
    ("LUF", "442", "Luxembourg Franc", "Franc luxembourgeois"),
    ("NLG", "528", "Netherlands Guilder", "Florin néerlandais"),
    ("PTE", "620", "Portuguese Escudo", "Escudo portugais"),
    ("XEU", "954", "European Currency Unit", "Unité monétaire européenne (écu)"),
)


def rows() -> list[dict[str, str]]:
    """The codelist rows, sorted by code."""
    french = gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=["fr"])
    result = [
        {
            "code": currency.alpha_3,
            "title": currency.name,
            "title_fr": french.gettext(currency.name),
            "description": (
                f"ISO 4217 currency {currency.alpha_3}, numeric code {currency.numeric}."
            ),
            "description_fr": (
                f"Monnaie ISO 4217 {currency.alpha_3}, code numérique {currency.numeric}."
            ),
            "deprecated": "",
        }
        for currency in pycountry.currencies
        if currency.alpha_3 not in NOT_MONEY
    ]
    result += [
        {
            "code": code,
            "title": english,
            "title_fr": french_name,
            "description": (
                f"ISO 4217 code {code}, numeric code {numeric}, withdrawn when the euro "
                "replaced it; for amounts committed before then."
            ),
            "description_fr": (
                f"Code ISO 4217 {code}, code numérique {numeric}, retiré lors du passage à "
                "l'euro ; pour les montants engagés auparavant."
            ),
            "deprecated": "",
        }
        for code, numeric, english, french_name in WITHDRAWN
    ]
    return sorted(result, key=lambda row: row["code"])


def render() -> str:
    """The CSV text of the codelist, as committed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        # description_fr as the codelists of the standard have it from 1.2 on.
        fieldnames=["code", "title", "title_fr", "description", "description_fr", "deprecated"],
        lineterminator="\n",
    )
    writer.writeheader()
    writer.writerows(rows())
    return buffer.getvalue()


def render_patch() -> str:
    """The text of partnership-schema.json with the currency enum listing the codelist's codes."""
    patch = json.loads(PATCH.read_text(encoding="utf-8"))
    currency = patch["$defs"]["FundingCommitment"]["properties"]["currency"]
    currency["enum"] = [row["code"] for row in rows()]
    return json.dumps(patch, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    CODELIST.write_text(render(), encoding="utf-8")
    PATCH.write_text(render_patch(), encoding="utf-8")
    sys.stdout.write(f"wrote {CODELIST} and {PATCH}\n")
