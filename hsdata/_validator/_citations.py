"""Citations checked against their source texts, when the package holds the texts.

A source record may name the file its text was taken from (``fileName``).
When that file is in the package folder (the rule is the package reader's:
:mod:`hsdata._package._texts`), every citation of the source is checked
against it; when it is not, nothing is checked and nothing is reported.

How a plain-text source is divided (the paragraph convention, documented in
the guide):

- a *paragraph* is a block of lines between blank lines; a heading, a
  caption or a credit line is a paragraph too;
- before comparing, runs of whitespace become one space and the asterisks
  that mark emphasis in plain text (``A *New Diplomacy*``) are dropped;
- a citation's ``section`` names the first paragraph whose whole text is the
  section (its heading), and its ``paragraph`` counts from 1 after that
  heading; with no ``section``, ``paragraph`` counts from the start of the
  text; with a section and no paragraph, the passage is anywhere after the
  heading;
- a ``quote`` must be found word for word (spelling mistakes included, case
  kept) within one paragraph; an ellipsis (``…`` or ``...``, bracketed or
  not) stands for words left out, and the parts around it must come in order
  in the same paragraph;
- ``page`` is not checked: a plain text has no pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .._i18n import tr
from .._package import (
    Package,
    RecordItem,
    SourceText,
    plain_file_name,
    read_json_lines,
    read_json_records,
    read_source_text,
)
from .._reporting import Issue, make_issue, shown

#: An ellipsis standing for words left out of a quotation: '…' or '...', maybe in brackets.
_ELLIPSIS = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.")


def normalised(text: str) -> str:
    """Text as compared: whitespace runs as one space, emphasis asterisks dropped, ends trimmed."""
    return " ".join(text.replace("*", "").split())


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a source text: the line it starts on, and its text as compared."""

    line: int
    text: str


def paragraphs_of(text: str) -> tuple[Paragraph, ...]:
    """The paragraphs of a plain text: blocks of lines between blank lines."""
    found: list[Paragraph] = []
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            found.append(Paragraph(start, normalised(" ".join(block))))
            block = []
    if block:
        found.append(Paragraph(start, normalised(" ".join(block))))
    return tuple(found)


def quote_parts(quote: str) -> tuple[str, ...]:
    """The parts of a quotation that must be found in order (split at its ellipses)."""
    return tuple(p for p in (normalised(part) for part in _ELLIPSIS.split(quote)) if p)


def holds(paragraph: Paragraph, parts: tuple[str, ...]) -> bool:
    """Whether the parts of a quotation are in the paragraph, in order."""
    at = 0
    for part in parts:
        found = paragraph.text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def heading_index(paragraphs: tuple[Paragraph, ...], section: str) -> int | None:
    """The index of the first paragraph whose whole text is the section, or None."""
    wanted = normalised(section)
    return next((i for i, p in enumerate(paragraphs) if p.text == wanted), None)


# -- the checks: each takes one citation and a source's paragraphs ---------------------------------


@dataclass(frozen=True)
class Finding:
    """What a check found wrong with a citation: its rule, the field and a sentence."""

    rule: str
    field: str
    message: str


def _section(citation: dict[str, Any]) -> str | None:
    section = citation.get("section")
    return section if isinstance(section, str) and section.strip() else None


def _paragraph(citation: dict[str, Any]) -> int | None:
    number = citation.get("paragraph")
    if isinstance(number, int) and not isinstance(number, bool) and number >= 1:
        return number
    return None


def cited_paragraphs(citation: dict[str, Any], paragraphs: tuple[Paragraph, ...]) -> range | None:
    """The indices of the paragraphs a citation points at; None when its place is not there."""
    section, number = _section(citation), _paragraph(citation)
    first = 0
    if section is not None:
        heading = heading_index(paragraphs, section)
        if heading is None:
            return None
        first = heading + 1
    if number is None:
        return range(first, len(paragraphs))
    index = first + number - 1
    return range(index, index + 1) if index < len(paragraphs) else None


def check_place(
    citation: dict[str, Any], paragraphs: tuple[Paragraph, ...], name: str
) -> Finding | None:
    """The cited section must be a heading of the text, and the cited paragraph must exist."""
    section, number = _section(citation), _paragraph(citation)
    if section is not None and heading_index(paragraphs, section) is None:
        return Finding(
            "citation-place-not-found",
            "section",
            tr(
                "the source text {name} has no heading {section} (a paragraph that reads "
                "exactly so)",
                name=shown(name),
                section=shown(section),
            ),
        )
    if number is not None and cited_paragraphs(citation, paragraphs) is None:
        heading = heading_index(paragraphs, section) if section is not None else None
        count = len(paragraphs) - (0 if heading is None else heading + 1)
        message = (
            tr(
                "the citation points at paragraph {number}, but the source text {name} "
                "has {count} paragraphs after the heading {section}",
                number=number,
                name=shown(name),
                count=count,
                section=shown(section),
            )
            if section is not None
            else tr(
                "the citation points at paragraph {number}, but the source text {name} "
                "has {count} paragraphs in all",
                number=number,
                name=shown(name),
                count=count,
            )
        )
        return Finding("citation-place-not-found", "paragraph", message)
    return None


def check_quote_found(
    citation: dict[str, Any], paragraphs: tuple[Paragraph, ...], name: str
) -> Finding | None:
    """The quotation must be somewhere in the text, word for word, within one paragraph."""
    parts = _parts_of(citation)
    if not parts or any(holds(p, parts) for p in paragraphs):
        return None
    return Finding(
        "citation-quote-not-found",
        "quote",
        tr(
            "the quotation is not in the source text {name}: no paragraph of it holds these "
            "words exactly (spacing aside; an ellipsis may stand for words left out)",
            name=shown(name),
        ),
    )


def check_quote_place(
    citation: dict[str, Any], paragraphs: tuple[Paragraph, ...], name: str
) -> Finding | None:
    """A quotation found in the text must be in the section and paragraph the citation names."""
    parts = _parts_of(citation)
    cited = cited_paragraphs(citation, paragraphs)
    if not parts or cited is None or any(holds(paragraphs[i], parts) for i in cited):
        return None
    where = next((i for i, p in enumerate(paragraphs) if holds(p, parts)), None)
    if where is None:
        return None  # not in the text at all: check_quote_found says so
    return Finding(
        "citation-quote-elsewhere",
        "quote",
        tr(
            "the quotation is in the source text {name}, but not where the citation points "
            "({cited}): it is at {found}",
            name=shown(name),
            cited=_place_words(citation),
            found=_found_words(where, paragraphs, citation),
        ),
    )


CHECKS = (check_place, check_quote_found, check_quote_place)


def _parts_of(citation: dict[str, Any]) -> tuple[str, ...]:
    quote = citation.get("quote")
    return quote_parts(quote) if isinstance(quote, str) else ()


def _place_words(citation: dict[str, Any]) -> str:
    section, number = _section(citation), _paragraph(citation)
    if section is None:
        if number is None:
            return tr("the whole text")
        return tr("paragraph {number} of the text", number=number)
    if number is None:
        return tr("after the heading {section}", section=shown(section))
    return tr(
        "paragraph {number} after the heading {section}", number=number, section=shown(section)
    )


def _found_words(index: int, paragraphs: tuple[Paragraph, ...], citation: dict[str, Any]) -> str:
    line, number = paragraphs[index].line, index + 1
    section = _section(citation)
    heading = heading_index(paragraphs, section) if section is not None else None
    if heading is not None and index > heading:
        return tr(
            "line {line} of the text, paragraph {number} counting from its start, which is "
            "paragraph {after} after the heading {section}",
            line=line,
            number=number,
            after=index - heading,
            section=shown(section),
        )
    return tr(
        "line {line} of the text, paragraph {number} counting from its start",
        line=line,
        number=number,
    )


# -- the package: sources, their texts, and every citation ---------------------------------------


def _items(package: Package, wanted: str | None = None) -> Iterator[tuple[RecordItem, str, str]]:
    """Each record of the package (of one type, if ``wanted``), with its file and type."""
    for resource, record_type in package.records_of():
        if wanted is not None and record_type != wanted:
            continue
        for file in resource.files:
            read = read_json_lines if file.json_lines else read_json_records
            for item in read(file.path, file.shown):
                if isinstance(item, RecordItem):
                    yield item, file.shown, record_type
        if resource.data is not None and not resource.files:
            pointer = f"{resource.pointer}/data"
            for i, value in enumerate(resource.data):
                yield (
                    RecordItem(f"{pointer}/{i}", None, value, i, pointer),
                    package.shown,
                    record_type,
                )


def _source_texts(package: Package) -> tuple[dict[str, SourceText], list[Issue]]:
    """The sources whose text file is in the package, by id, and problems reading those files."""
    root = package.folder.resolve()
    texts: dict[str, SourceText] = {}
    issues: list[Issue] = []
    read: dict[str, SourceText | None] = {}
    for item, file, _ in _items(package, "source"):
        record = item.value
        if not isinstance(record, dict):
            continue
        record_id, name = record.get("id"), record.get("fileName")
        if not isinstance(record_id, str) or not plain_file_name(name):
            continue
        assert isinstance(name, str)
        if name not in read:
            read[name] = read_source_text(package.folder, root, name)
        text = read[name]
        if text is None:
            continue
        where: dict[str, Any] = {
            "file": file,
            "line": item.line,
            "record": record_id,
            "record_type": "source",
        }
        if text.text is None:
            issues.append(
                make_issue(
                    "source-text-unreadable",
                    tr(
                        "the source text {name} is in the package folder but {problem}, so the "
                        "citations of this source were not checked against it",
                        name=shown(name),
                        problem=text.problem,
                    ),
                    pointer=f"{item.pointer}/fileName",
                    **where,
                )
            )
            continue
        declared = record.get("sha256")
        if isinstance(declared, str) and declared.lower() != text.sha256:
            issues.append(
                make_issue(
                    "source-text-digest",
                    tr(
                        "the SHA-256 digest of the source text {name} is {digest}, but this "
                        "source record gives {declared}: the file is not the text the record "
                        "describes",
                        name=shown(name),
                        digest=text.sha256,
                        declared=shown(declared),
                    ),
                    pointer=f"{item.pointer}/sha256",
                    **where,
                )
            )
        texts.setdefault(record_id, text)
    return texts, issues


def citation_issues(package: Package) -> list[Issue]:
    """Every citation checked against its source's text, for the sources whose text is here."""
    texts, issues = _source_texts(package)
    if not texts:
        return issues
    divided = {source_id: paragraphs_of(source.text or "") for source_id, source in texts.items()}
    for item, file, record_type in _items(package):
        record = item.value
        citations = record.get("citations") if isinstance(record, dict) else None
        if not isinstance(citations, list):
            continue
        assert isinstance(record, dict)
        record_id = record.get("id")
        for number, citation in enumerate(citations):
            if not isinstance(citation, dict):
                continue
            source_id = citation.get("source")
            if not isinstance(source_id, str) or source_id not in texts:
                continue
            name = texts[source_id].file_name
            for check in CHECKS:
                finding = check(citation, divided[source_id], name)
                if finding is not None:
                    issues.append(
                        make_issue(
                            finding.rule,
                            finding.message,
                            file=file,
                            line=item.line,
                            pointer=f"{item.pointer}/citations/{number}/{finding.field}",
                            record=record_id if isinstance(record_id, str) else None,
                            record_type=record_type,
                        )
                    )
    return issues
