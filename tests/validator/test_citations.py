"""Citations checked against the source texts a package holds (hsdata._validator._citations).

The canonical data's two source texts are not part of the repository: the
tests read them from ``../shared/seeds/`` beside it and copy them into a
temporary package, and are skipped when that folder is absent.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from hsdata._package import _texts as texts_module
from hsdata._package import read_source_text
from hsdata._validator import validate
from hsdata._validator._citations import (
    Paragraph,
    check_place,
    check_quote_found,
    check_quote_place,
    cited_paragraphs,
    heading_index,
    holds,
    normalised,
    paragraphs_of,
    quote_parts,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
OAS = "organization-of-american-states"
CITATION_RULES = {
    "citation-quote-not-found",
    "citation-quote-elsewhere",
    "citation-place-not-found",
    "source-text-digest",
    "source-text-unreadable",
}

NOTES = (
    "\n\nMeeting *notes*\n\nPartners met in the spring,\nin a small town.\n\n"
    "Results\n\nThey agreed on a plan. Work starts soon.\n\nA second result.\n"
)


def _sources() -> list[dict[str, Any]]:
    path = REPO_ROOT / "data" / "sources.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture
def seeded(package: Path) -> Path:
    """The canonical package with its two source texts placed beside its datapackage.json."""
    if not SEEDS.is_dir():
        pytest.skip(f"the source texts are not here ({SEEDS} is absent)")
    for source in _sources():
        text = SEEDS / source["fileName"]
        if not text.is_file():
            pytest.skip(f"the source text {text} is absent")
        shutil.copyfile(text, package / source["fileName"])
    return package


def _edit_citation(package: Path, file: str, record_id: str, number: int, **fields: Any) -> int:
    """Change (or, given None, remove) fields of a record's citation; the record's index."""
    path = package / file
    records = json.loads(path.read_text(encoding="utf-8"))
    index = next(i for i, r in enumerate(records) if r["id"] == record_id)
    citation = records[index]["citations"][number]
    for key, value in fields.items():
        if value is None:
            citation.pop(key, None)
        else:
            citation[key] = value
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    return index


# -- the paragraph convention ------------------------------------------------------------------


def test_paragraphs_are_blocks_between_blank_lines() -> None:
    found = paragraphs_of(NOTES)
    assert [p.text for p in found] == [
        "Meeting notes",
        "Partners met in the spring, in a small town.",
        "Results",
        "They agreed on a plan. Work starts soon.",
        "A second result.",
    ]
    assert [p.line for p in found] == [3, 5, 8, 10, 12]


def test_whitespace_and_emphasis_marks_are_not_compared() -> None:
    assert normalised("  A *New\tDiplomacy*\n") == "A New Diplomacy"
    assert heading_index(paragraphs_of(NOTES), "Meeting notes") == 0
    assert heading_index(paragraphs_of(NOTES), "meeting notes") is None  # case is kept


@pytest.mark.parametrize("ellipsis", ["…", "...", "[…]", "[...]", " [ ... ] "])
def test_an_ellipsis_stands_for_words_left_out(ellipsis: str) -> None:
    parts = quote_parts(f"They agreed{ellipsis}starts soon.")
    assert parts == ("They agreed", "starts soon.")
    paragraph = Paragraph(1, "They agreed on a plan. Work starts soon.")
    assert holds(paragraph, parts)
    assert not holds(paragraph, quote_parts(f"starts soon.{ellipsis}They agreed"))  # in order


def test_a_quote_must_lie_within_one_paragraph() -> None:
    paragraphs = paragraphs_of(NOTES)
    citation = {"source": "s", "quote": "Results They agreed"}
    assert check_quote_found(citation, paragraphs, "notes.txt") is not None


def test_the_cited_place_counts_from_the_heading_or_from_the_start() -> None:
    paragraphs = paragraphs_of(NOTES)
    assert cited_paragraphs({"section": "Results", "paragraph": 2}, paragraphs) == range(4, 5)
    assert cited_paragraphs({"paragraph": 2}, paragraphs) == range(1, 2)
    assert cited_paragraphs({"section": "Results"}, paragraphs) == range(3, 5)
    assert cited_paragraphs({"section": "Results", "paragraph": 3}, paragraphs) is None
    assert cited_paragraphs({"section": "Outcome"}, paragraphs) is None


# -- each check passes good citations and fails its own case ---------------------------------


def test_check_place() -> None:
    paragraphs = paragraphs_of(NOTES)
    assert check_place({"section": "Results", "paragraph": 2}, paragraphs, "n.txt") is None
    missing = check_place({"section": "Outcome", "paragraph": 1}, paragraphs, "n.txt")
    assert missing is not None and missing.field == "section" and "'Outcome'" in missing.message
    beyond = check_place({"section": "Results", "paragraph": 3}, paragraphs, "n.txt")
    assert beyond is not None and beyond.field == "paragraph"
    assert "has 2 paragraphs after the heading 'Results'" in beyond.message


def test_check_quote_found() -> None:
    paragraphs = paragraphs_of(NOTES)
    assert check_quote_found({"quote": "met in the spring, in a"}, paragraphs, "n.txt") is None
    finding = check_quote_found({"quote": "met in the summer"}, paragraphs, "n.txt")
    assert finding is not None and finding.rule == "citation-quote-not-found"
    assert "'n.txt'" in finding.message


def test_check_quote_place() -> None:
    paragraphs = paragraphs_of(NOTES)
    right = {"section": "Results", "paragraph": 2, "quote": "A second result."}
    assert check_quote_place(right, paragraphs, "n.txt") is None
    wrong = {"section": "Results", "paragraph": 1, "quote": "A second result."}
    finding = check_quote_place(wrong, paragraphs, "n.txt")
    assert finding is not None and finding.rule == "citation-quote-elsewhere"
    assert "line 12 of the text, paragraph 5 counting from its start" in finding.message
    assert "paragraph 2 after the heading 'Results'" in finding.message
    # Not in the text at all: that is check_quote_found's to say, not this check's.
    assert check_quote_place({**wrong, "quote": "absent"}, paragraphs, "n.txt") is None


# -- reading a source text from a package ------------------------------------------------------


def _read(folder: Path, name: str) -> Any:
    return read_source_text(folder, folder.resolve(), name)


def test_a_text_is_read_with_its_digest_and_without_its_bom(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbfTitle\n\nBody.\n"
    (tmp_path / "t.txt").write_bytes(raw)
    found = _read(tmp_path, "t.txt")
    assert found.text == "Title\n\nBody.\n" and found.problem is None
    assert found.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("name", ["absent.txt", "../t.txt", "sub/t.txt", "a\\b.txt", "..", ""])
def test_no_text_is_looked_for_outside_plain_names(tmp_path: Path, name: str) -> None:
    (tmp_path / "t.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "t.txt").write_text("x", encoding="utf-8")
    assert _read(tmp_path / "sub", name) is None


def test_a_link_out_of_the_package_is_not_followed(tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (package / "t.txt").symlink_to(tmp_path / "secret.txt")
    found = _read(package, "t.txt")
    assert found.text is None and "outside the package" in found.problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "t.txt")
    found = _read(tmp_path, "t.txt")
    assert found.text is None and "not a regular file" in found.problem


def test_a_large_or_non_utf8_text_is_refused(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "big.txt").write_bytes(b"x" * 11)
    (tmp_path / "latin.txt").write_bytes("Chrétien".encode("latin-1"))
    monkeypatch.setattr(texts_module, "MAX_SOURCE_TEXT_BYTES", 10)
    assert "larger than the 10 bytes" in _read(tmp_path, "big.txt").problem
    assert "not UTF-8" in _read(tmp_path, "latin.txt").problem


# -- the canonical data against its two texts ---------------------------------------------------


def test_the_seed_texts_are_the_ones_the_source_records_describe() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the source texts are not here ({SEEDS} is absent)")
    for source in _sources():
        digest = hashlib.sha256((SEEDS / source["fileName"]).read_bytes()).hexdigest()
        assert digest == source["sha256"], source["id"]


def test_every_canonical_citation_matches_its_source_text(seeded: Path, no_network: None) -> None:
    report = validate(seeded)
    assert [(i.rule, i.record, i.pointer, i.message) for i in report.issues] == []


def test_a_wrong_paragraph_is_reported_with_where_the_quote_is(seeded: Path) -> None:
    # The OAS is cited at paragraph 2 of 'International Organizations'.
    index = _edit_citation(seeded, "actors.json", OAS, 0, paragraph=1)
    issues = validate(seeded).issues
    assert [i.rule for i in issues] == ["citation-quote-elsewhere"]
    issue = issues[0]
    assert issue.file is not None and issue.file.endswith("actors.json")
    assert issue.record == "organization-of-american-states"
    assert issue.pointer == f"/{index}/citations/0/quote"
    assert issue.line is not None and issue.column is not None
    assert "paragraph 2 after the heading 'International Organizations'" in issue.message


def test_a_text_with_windows_line_breaks_is_divided_the_same() -> None:
    assert paragraphs_of(NOTES.replace("\n", "\r\n")) == paragraphs_of(NOTES)


def test_a_zipped_package_is_checked_against_the_texts_it_holds(seeded: Path) -> None:
    _edit_citation(seeded, "actors.json", OAS, 0, paragraph=1)
    archive = seeded.parent / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(seeded.iterdir()):
            if path.is_file():
                zipped.write(path, path.name)
    issues = validate(archive).issues
    assert [i.rule for i in issues] == ["citation-quote-elsewhere"]
    assert issues[0].file is not None and issues[0].file.endswith("package.zip!/actors.json")


def test_a_changed_quote_and_a_changed_text_are_reported(seeded: Path) -> None:
    _edit_citation(seeded, "actors.json", OAS, 0, quote="In the OAS, Canada sponsored")
    text = seeded / "000_a5e40227d4dc4c25.txt"
    text.write_bytes(text.read_bytes() + b"\n")
    rules = sorted(i.rule for i in validate(seeded).issues)
    assert rules == ["citation-quote-not-found", "source-text-digest"]


def test_an_elided_quote_matches(seeded: Path) -> None:
    _edit_citation(
        seeded, "actors.json", OAS, 0, quote="In the OAS, Canada … Ministerial Dialogue on Drugs"
    )
    assert validate(seeded).issues == ()


def test_without_the_text_nothing_is_checked(package: Path) -> None:
    _edit_citation(package, "actors.json", OAS, 0, quote="words in no text", section="Nowhere")
    assert not CITATION_RULES & set(validate(package).by_rule())
