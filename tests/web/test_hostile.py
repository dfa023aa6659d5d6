"""Hostile uploads get the command line's defences: formulas, zip bombs, links, paths."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from starlette.testclient import TestClient

from .conftest import BAD_ROW, BAD_SHEET, status_column, upload
from .test_http import text_of


def test_a_formula_in_a_workbook_is_never_run(client: TestClient, good_workbook: bytes) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(good_workbook))
    book[BAD_SHEET].cell(
        row=BAD_ROW, column=status_column(good_workbook), value='=HYPERLINK("http://x","held")'
    )
    out = io.BytesIO()
    book.save(out)
    _status, location = upload(client, "filled.xlsx", out.getvalue())
    words = text_of(client.get(location).text)
    assert "The file is valid." not in words
    assert "formula" in words.lower()


def test_a_zip_bomb_is_refused(client: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("datapackage.json", '{"resources": []}')
        handle.writestr("events.json", b" " * (50 * 1024 * 1024))
    assert len(archive.getvalue()) < 1024 * 1024
    _status, location = upload(client, "data.zip", archive.getvalue())
    words = text_of(client.get(location).text)
    assert "package-archive-unsafe" in words
    assert "The file could not be read" in words


@pytest.mark.parametrize("name", ["../outside/datapackage.json", "/etc/datapackage.json"])
def test_a_zip_entry_outside_its_folder_is_refused(client: TestClient, name: str) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr(name, '{"resources": []}')
    _status, location = upload(client, "data.zip", archive.getvalue())
    assert "package-archive-unsafe" in text_of(client.get(location).text)


def test_a_link_in_a_zip_of_csv_files_is_refused(client: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        link = zipfile.ZipInfo("actor.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        handle.writestr(link, "/etc/passwd")
    _status, location = upload(client, "template.zip", archive.getvalue())
    assert "something other than the template's CSV files" in text_of(client.get(location).text)
