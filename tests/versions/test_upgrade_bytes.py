"""hsdata upgrade keeps every byte it does not change.

Each test writes a package whose files hold the values and layouts most
easily lost by writing JSON again (every number form, escapes, raw U+2028,
lone surrogates, CRLF, tabs, no final newline), upgrades it, and compares the
result with the input in which only the changed values were replaced.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hsdata
from hsdata import ExitCode
from hsdata._upgrade import JsonNumber, edit_json_text

from .conftest import read_json

# Values written as they come out of no JSON writer: each must come out of the upgrade as it is.
NUMBERS = "[1e400, -0, 1E2, 12345678901234567890.5, 0.1, 1.0, -0.0, 1e-7, 10E+2]"
STRINGS = (
    '["raw \u2028 and \u2029", "escaped \\u2028 and \\u2029", "lone \\ud800 and \\udfff", '
    '"slash \\/", "accent \\u00e9 and é", "quote \\" tab \\t", "\\u0041"]'
)
UNCHANGED = f'"id": "canada",\n  "numbers": {NUMBERS},\n  "strings": {STRINGS}'

ACTOR_SCHEMA = "https://w3id.org/hsdata/schema/1.0/actor.json"


def descriptor_text(path: str, *, newline: str = "\n", indent: str = "  ") -> str:
    """A 1.0 descriptor with one actor resource, written in an unusual but valid way."""
    lines = [
        "{",
        f'{indent}"profile": "data-package",',
        f'{indent}"name": "bytes",',
        f'{indent}"hsdata:version":"1.0" ,',
        f'{indent}"homepage": "https:\\/\\/example.org\\/bytes",',
        f'{indent}"resources": [',
        f'{indent}{indent}{{"name": "actors", "path": "{path}", '
        f'"jsonSchema": "{ACTOR_SCHEMA}", "size": 1E3}}',
        f"{indent}]",
        "}",
    ]
    return newline.join(lines) + newline


def write_package(folder: Path, path: str, records: str, descriptor: str | None = None) -> Path:
    folder.mkdir()
    (folder / "datapackage.json").write_bytes((descriptor or descriptor_text(path)).encode())
    (folder / path).write_bytes(records.encode("utf-8", "surrogatepass"))
    return folder


def expected_descriptor(text: str) -> str:
    """The descriptor with only the two version values changed."""
    return text.replace('"hsdata:version":"1.0"', '"hsdata:version":"1.1"').replace(
        "/schema/1.0/", "/schema/1.1/"
    )


def upgraded(package: Path) -> hsdata.UpgradeReport:
    report = hsdata.upgrade(package, "1.1", in_place=True)
    assert report.written, report.issues
    assert report.exit_code is not ExitCode.UNREADABLE, report.issues
    return report


# -- JSON files ------------------------------------------------------------------------------------


def actors_json(*, newline: str, indent: str, held_on: str, final: str) -> tuple[str, str]:
    """(the 1.0 file, the file expected after the upgrade) for one actor with one post."""

    def text(post_member: str) -> str:
        body = (
            f"[{newline}{indent}{{{newline}{indent}{indent}"
            + UNCHANGED.replace("\n  ", newline + indent * 2)
            + f",{newline}{indent}{indent}"
            + f'"posts": [{newline}{indent * 3}{{{newline}{indent * 4}"organization": "un",'
            + f"{newline}{indent * 4}{post_member},"
            + f'{newline}{indent * 4}"role": "envoy"'
            + f"{newline}{indent * 3}}}{newline}{indent * 2}]{newline}{indent}}}{newline}]"
        )
        return body + final

    before = text(f'"heldOn": {held_on}')
    after = text(
        f'"attestedOn": [{newline}{indent * 5}{held_on}{newline}{indent * 4}]',
    )
    return before, after


@pytest.mark.parametrize(
    ("newline", "indent", "final"),
    [
        ("\n", "  ", "\n"),  # the usual layout
        ("\r\n", "  ", "\r\n"),  # Windows line ends
        ("\n", "\t", "\n"),  # tabs
        ("\n", "    ", ""),  # four spaces, no newline at the end
    ],
    ids=["two-spaces", "crlf", "tabs", "no-final-newline"],
)
@pytest.mark.parametrize("held_on", ['"1997-12-03"', '"\\u0031997"', '"\\ud800"', "1e400", "-0"])
def test_a_json_file_changes_only_at_the_moved_value(
    tmp_path: Path, newline: str, indent: str, final: str, held_on: str
) -> None:
    before, after = actors_json(newline=newline, indent=indent, held_on=held_on, final=final)
    package = write_package(tmp_path / "p", "actors.json", before)
    descriptor = (package / "datapackage.json").read_text(encoding="utf-8")
    report = upgraded(package)
    assert (package / "actors.json").read_bytes() == after.encode("utf-8")
    assert (package / "datapackage.json").read_text(encoding="utf-8") == expected_descriptor(
        descriptor
    )
    moved = [c for c in report.changes if c.kind == "post-attested-on"]
    assert [(c.record, c.pointer) for c in moved] == [("canada", "/0/posts/0/attestedOn")]


def test_a_file_on_one_line_gets_its_change_on_one_line(tmp_path: Path) -> None:
    template = '[{"id":"a","numbers":' + NUMBERS + ',"posts":[{"organization":"un",%s}]}]'
    package = write_package(tmp_path / "p", "actors.json", template % '"heldOn":"1999"')
    upgraded(package)
    assert (package / "actors.json").read_text(encoding="utf-8") == (
        template % '"attestedOn":["1999"]'
    )


def test_an_existing_attested_on_list_gets_the_date_added_in_its_layout(tmp_path: Path) -> None:
    before = (
        '[\n  {"id": "a", "posts": [\n    {"attestedOn": ["1998", 1E2],\n'
        '     "heldOn": "1999", "organization": "un"}\n  ]}\n]\n'
    )
    package = write_package(tmp_path / "p", "actors.json", before)
    upgraded(package)
    assert (package / "actors.json").read_text(encoding="utf-8") == (
        '[\n  {"id": "a", "posts": [\n    {"attestedOn": ["1998", 1E2, "1999"],\n'
        '     "organization": "un"}\n  ]}\n]\n'
    )


def test_a_utf8_byte_order_mark_is_kept(tmp_path: Path) -> None:
    before, after = actors_json(newline="\n", indent="  ", held_on='"1999"', final="\n")
    package = write_package(tmp_path / "p", "actors.json", "\ufeff" + before)
    hsdata.upgrade(package, "1.1", in_place=True)
    assert (package / "actors.json").read_bytes() == ("\ufeff" + after).encode("utf-8")


def test_the_descriptor_keeps_its_layout_escapes_and_numbers(tmp_path: Path) -> None:
    before, _ = actors_json(newline="\r\n", indent="\t", held_on='"1999"', final="")
    descriptor = descriptor_text("actors.json", newline="\r\n", indent="\t")
    package = write_package(tmp_path / "p", "actors.json", before, descriptor)
    upgraded(package)
    after = (package / "datapackage.json").read_bytes()
    assert after == expected_descriptor(descriptor).encode("utf-8")
    assert b"https:\\/\\/example.org" in after and b'"size": 1E3' in after


# -- JSON Lines ------------------------------------------------------------------------------------


def test_json_lines_are_split_at_line_feeds_only(tmp_path: Path) -> None:
    lines = [
        '{"id":"a","note":"raw \u2028 line \u2029 separators \x85","numbers":' + NUMBERS + "}\r\n",
        "\n",  # a blank line stays
        '{"id":"b","strings":' + STRINGS + ',"posts":[{"organization":"un","heldOn":"1999"}]}\n',
        '{"id":"c","posts":[{"heldOn":1e400}]}',  # no newline at the end
    ]
    package = write_package(tmp_path / "p", "actors.jsonl", "".join(lines))
    report = upgraded(package)
    after = (package / "actors.jsonl").read_bytes().decode("utf-8", "surrogatepass")
    expected = [
        lines[0],
        lines[1],
        lines[2].replace('"heldOn":"1999"', '"attestedOn":["1999"]'),
        lines[3].replace('"heldOn":1e400', '"attestedOn":[1e400]'),
    ]
    assert after == "".join(expected)
    assert [(c.line, c.record) for c in report.changes if c.kind == "post-attested-on"] == [
        (3, "b"),
        (4, "c"),
    ]


def test_a_json_lines_file_with_no_change_is_not_written(tmp_path: Path) -> None:
    text = '{"id":"a","note":"\u2028"}\n{"id":"b","x":"\\ud800"}\n'
    package = write_package(tmp_path / "p", "actors.jsonl", text)
    report = upgraded(package)
    assert [Path(f).name for f in report.files] == ["datapackage.json"]
    assert (package / "actors.jsonl").read_bytes() == text.encode("utf-8")


# -- modes, other folders, zips --------------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_file_modes_are_kept(tmp_path: Path, mode: int) -> None:
    before, _ = actors_json(newline="\n", indent="  ", held_on='"1999"', final="\n")
    package = write_package(tmp_path / "p", "actors.json", before)
    for name in ("actors.json", "datapackage.json"):
        (package / name).chmod(mode)
    hsdata.upgrade(package, "1.1", output=tmp_path / "out")
    upgraded(package)
    for folder in (package, tmp_path / "out"):
        for name in ("actors.json", "datapackage.json"):
            assert stat.S_IMODE((folder / name).stat().st_mode) == mode, (folder, name)


def test_output_holds_the_same_bytes_as_in_place(tmp_path: Path) -> None:
    before, after = actors_json(newline="\n", indent="  ", held_on="-0", final="\n")
    package = write_package(tmp_path / "p", "actors.json", before)
    report = hsdata.upgrade(package, "1.1", output=tmp_path / "out")
    assert report.written
    assert (tmp_path / "out" / "actors.json").read_bytes() == after.encode()
    assert (package / "actors.json").read_bytes() == before.encode()  # the source is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p"]  # no staging folder left


def test_a_zipped_package_is_upgraded_to_a_folder_not_in_place(tmp_path: Path) -> None:
    before, after = actors_json(newline="\n", indent="  ", held_on='"1999"', final="\n")
    package = write_package(tmp_path / "p", "actors.json", before)
    archive = tmp_path / "p.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("datapackage.json", "actors.json"):
            zipped.write(package / name, name)
    report = hsdata.upgrade(archive, "1.1", output=tmp_path / "out")
    assert report.written, report.issues
    assert (tmp_path / "out" / "actors.json").read_bytes() == after.encode()
    refused = hsdata.upgrade(archive, "1.1", in_place=True)
    assert refused.exit_code is ExitCode.UNREADABLE and not refused.written
    assert "cannot be upgraded in place" in refused.issues[0].message


def test_a_number_too_large_is_kept_and_the_result_called_invalid_not_refused(
    tmp_path: Path,
) -> None:
    before, _ = actors_json(newline="\n", indent="  ", held_on='"1999"', final="\n")
    package = write_package(tmp_path / "p", "actors.json", before)
    report = hsdata.upgrade(package, "1.1", output=tmp_path / "out")
    assert report.written and report.exit_code is ExitCode.INVALID
    assert b"1e400" in (tmp_path / "out" / "actors.json").read_bytes()
    assert b"Infinity" not in (tmp_path / "out" / "actors.json").read_bytes()
    assert any(i.rule == "json-number-range" for i in report.issues)
    assert read_json(tmp_path / "out" / "datapackage.json")["hsdata:version"] == "1.1"


# -- the text editor itself ------------------------------------------------------------------------


def strict(text: str) -> object:
    return json.loads(text, parse_float=JsonNumber, parse_int=JsonNumber)


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        ('{"a": 1, "b": 2}', lambda d: {**d, "c": [True]}, '{"a": 1, "b": 2, "c": [true]}'),
        ('{"a":1,"b":2}', lambda d: {"b": d["b"]}, '{"b":2}'),
        ('{"a":1,"b":2}', lambda d: {"a": d["a"]}, '{"a":1}'),
        ("[1.0, 2.50, 3]", lambda v: [*v[:1], *v[2:]], "[1.0, 3]"),
        ("[1.0,\n 2.50]", lambda v: [v[1], v[0]], "[2.50,\n 1.0]"),
        ('{"a": {}}', lambda d: {"a": {"x": None}}, '{"a": {"x": null}}'),
        ('{\n  "a": []\n}', lambda d: {"a": ["x"]}, '{\n  "a": [\n    "x"\n  ]\n}'),
        ('{"k": "\\u00e9"}', lambda d: {"j": d["k"]}, '{"j": "\\u00e9"}'),
        ('{"k": 1}', lambda d: {"k": "\ud800"}, '{"k": "\\ud800"}'),
    ],
)
def test_edits_write_only_what_changed(text: str, change: object, expected: str) -> None:
    old = strict(text)
    assert callable(change)
    assert edit_json_text(text, old, change(old), 0, len(text)) == expected
    assert edit_json_text(text, old, strict(text), 0, len(text)) == text  # no change, no edit


def test_a_file_two_resources_name_is_migrated_once(tmp_path: Path) -> None:
    before, after = actors_json(newline="\n", indent="  ", held_on='"1999"', final="\n")
    descriptor = descriptor_text("actors.json").replace(
        "\n  ]",
        f',\n    {{"name": "again", "path": "./actors.json", "jsonSchema": "{ACTOR_SCHEMA}"}}\n  ]',
    )
    package = write_package(tmp_path / "p", "actors.json", before, descriptor)
    report = upgraded(package)
    assert (package / "actors.json").read_bytes() == after.encode()
    assert report.counts()["post-attested-on"] == 1


# -- any value, any layout, any change -------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec=None), max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


def plain(value: Any) -> Any:
    """A value with its numbers as exact decimals and its objects as ordered pairs."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        return ("number", Decimal(value.text if isinstance(value, JsonNumber) else repr(value)))
    if isinstance(value, dict):
        return [(key, plain(item)) for key, item in value.items()]
    return [plain(item) for item in value]


def changed(data: st.DataObject, value: Any, depth: int = 0) -> Any:
    """``value`` with one change somewhere inside it (or none), leaving the rest as it was."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(list(value)))
        action = data.draw(st.sampled_from(["inside", "drop", "add", "rename"]))
        if action == "inside":
            return {**value, key: changed(data, value[key], depth + 1)}
        if action == "drop":
            return {k: v for k, v in value.items() if k != key}
        if action == "rename":  # the value moves to a new key at the same place
            return {(k + "~" if k == key else k): v for k, v in value.items()}
        return {**value, data.draw(st.text(max_size=3)) + "+": data.draw(values)}
    if isinstance(value, list) and value and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(value) - 1))
        action = data.draw(st.sampled_from(["inside", "drop", "insert"]))
        if action == "inside":
            return [*value[:index], changed(data, value[index], depth + 1), *value[index + 1 :]]
        if action == "drop":
            return value[:index] + value[index + 1 :]
        return [*value[:index], data.draw(values), *value[index:]]
    return data.draw(values) if data.draw(st.booleans()) else value


@settings(max_examples=300, deadline=None, database=None)
@given(
    value=values,
    indent=st.sampled_from([None, 2, "\t", 4]),
    compact=st.booleans(),
    ascii_only=st.booleans(),
    data=st.data(),
)
def test_any_edit_reads_back_as_the_new_value(
    value: Any, indent: Any, compact: bool, ascii_only: bool, data: st.DataObject
) -> None:
    separators = (",", ":") if compact else None
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=ascii_only)
    old = strict(text)
    assert edit_json_text(text, old, strict(text), 0, len(text)) == text
    new = changed(data, old)
    edited = edit_json_text(text, old, new, 0, len(text))
    assert plain(strict(edited)) == plain(new)
