"""Every rule fixture gives the same report on two processes as on one.

For each fixture of ``fixtures/rules``, the files of records it edits are
written as JSON Lines (one record per line) beside the package's other
files of records, and the files are validated together twice: once in one
process, once with the JSON Lines files cut into many small shares checked
by two workers. The two reports must be equal, issue for issue.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import hsdata
from hsdata._validator import _parallel
from hsdata._validator._record_files import record_type_from_name

from .conftest import FIXTURES, apply_edit

RULE_FIXTURES = sorted((FIXTURES / "rules").glob("*.json"))
SCHEMA_SET = hsdata.load_schema_set()  # the version of the canonical data

pytestmark = pytest.mark.skipif(not _parallel.can_fork(), reason="workers are forked (Linux)")


@pytest.fixture
def shares(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Send any JSON Lines file to the workers, in shares of a line or two; count the shares."""
    monkeypatch.setattr(_parallel, "PARALLEL_MIN_BYTES", 1)
    counted: list[int] = []
    original = _parallel.plan_shares

    def small_shares(path: Path, range_bytes: int = 0) -> Iterator[_parallel.Share]:
        counted.append(0)
        for share in original(path, 256):
            counted[-1] += 1
            yield share

    monkeypatch.setattr(_parallel, "plan_shares", small_shares)
    return counted


def _as_json_lines(path: Path) -> Path | None:
    """Write a file of records (named after its record type) as JSON Lines; None if it
    is not one."""
    if path.is_symlink() or record_type_from_name(path, SCHEMA_SET) is None:
        return None
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None  # the fixture breaks the file itself, not its records
    if not isinstance(records, list) or not records:
        return None
    lines = path.with_suffix(".jsonl")
    lines.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
        encoding="utf-8",
    )
    path.unlink()
    return lines


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: p.stem)
def test_rule_fixture_reports_alike_on_two_processes(
    fixture: Path, package: Path, shares: list[int]
) -> None:
    spec = json.loads(fixture.read_text(encoding="utf-8"))
    for edit in spec.get("edits", []):
        apply_edit(package, edit)
    edited = {edit["file"] for edit in spec.get("edits", [])} - {"datapackage.json"}
    converted = [
        lines
        for name in sorted(edited)
        if (package / name).is_file() and (lines := _as_json_lines(package / name))
    ]
    if not converted:
        pytest.skip("the fixture edits no file of records (but a package, or a file's bytes)")
    files = sorted(p for p in package.iterdir() if p.suffix in (".json", ".jsonl"))
    files.remove(package / "datapackage.json")
    one = hsdata.validate(files, workers=1)
    assert not shares, "one process must not start workers"
    two = hsdata.validate(files, workers=2)
    assert len(shares) == len(converted), "every JSON Lines file goes to the workers"
    assert all(shares), shares
    assert two == one
