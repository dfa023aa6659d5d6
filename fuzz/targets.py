"""What the fuzz targets run, shared by atheris (``fuzz_*.py``) and the test suite.

Each target takes arbitrary bytes and feeds them to a parser of untrusted
input. It returns normally whatever the bytes are; any exception escaping
it, or an issue whose rule is not in the catalogue, is a bug.
"""

from __future__ import annotations

import atexit
import functools
import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import hsdata
from hsdata import RULES, RecordChecker, check_record, load_schema_set
from hsdata._loader import clear_cache
from hsdata._package._input import parse_json

#: A small valid package: a descriptor naming one file of one source record.
_SOURCE = (
    b'[{"id": "a-report", "type": "report", "title": {"en": "A report"},'
    b' "publisher": "Someone", "date": "1999"}]'
)


@functools.cache
def _checker() -> RecordChecker:
    return RecordChecker(load_schema_set())


def _known(issues: Any) -> None:
    for issue in issues:
        if issue.rule not in RULES:
            raise AssertionError(f"issue with an unknown rule id: {issue!r}")


def json_input(data: bytes) -> None:
    """The JSON reader on a whole file, on each line (JSON Lines), then the record checks."""
    parsed = parse_json(data, "fuzz.json")
    _known(parsed.issues)
    values = [parsed.value] if parsed.readable else []
    for number, line in enumerate(data.split(b"\n")[:50], start=1):
        if line.strip():
            one = parse_json(line, "fuzz.jsonl", line=number)
            _known(one.issues)
            if one.readable:
                values.append(one.value)
    checker = _checker()
    for value in values:
        records = value if isinstance(value, list) else [value]
        for record in records[:20]:
            for record_type in checker.schema_set.record_types:
                _known(check_record(record, record_type, checker))


@functools.cache
def _work_folder() -> Path:
    folder = tempfile.mkdtemp(prefix="hsdata-fuzz-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)


def _fresh_package(descriptor: bytes, resource: bytes = _SOURCE) -> Path:
    package = _work_folder() / "package"
    if package.exists():
        shutil.rmtree(package)
    package.mkdir()
    (package / "datapackage.json").write_bytes(descriptor)
    (package / "sources.json").write_bytes(resource)
    return package


DESCRIPTOR = (
    b'{"name": "fuzz", "resources": [{"name": "sources", "path": "sources.json",'
    b' "jsonSchema": "https://w3id.org/hsdata/schema/1.0/source.json"}]}'
)


def package_loader(data: bytes) -> None:
    """The package stage: the bytes as a datapackage.json, as a resource, and as a zip."""
    for descriptor, resource in ((data, _SOURCE), (DESCRIPTOR, data)):
        package = _fresh_package(descriptor, resource)
        report = hsdata.validate(package)
        _known(report.issues)
        if report.exit_code not in (0, 1, 2):
            raise AssertionError(f"exit code {report.exit_code!r}")
    archive = _work_folder() / "package.zip"
    for content in (data, _zipped(data)):
        archive.write_bytes(content)
        clear_cache()  # the same path may hold new bytes of the same size and time
        try:
            hsdata.load(archive)
        except hsdata.InvalidDataError as error:
            _known(error.report.issues)


def _zipped(data: bytes) -> bytes:
    """A zip holding the small package, with the fuzz bytes as a further entry's name and body."""
    buffer = io.BytesIO()
    # zipfile cuts a name at its first NUL; an empty name is not writable at all
    name = data[:60].decode("utf-8", "replace").split("\x00")[0] or "empty"
    with zipfile.ZipFile(buffer, "w") as handle:
        handle.writestr("datapackage.json", DESCRIPTOR)
        handle.writestr("sources.json", _SOURCE)
        if name not in ("datapackage.json", "sources.json"):
            handle.writestr(name, data)
    return buffer.getvalue()
