"""Files to upload to hsdata serve, good and bad, made from the canonical data."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

if os.environ.get("HSDATA_CI") != "1":  # in CI the [web] extra must be there: no skipping
    pytest.importorskip("starlette")
    pytest.importorskip("openpyxl")

from starlette.testclient import TestClient

import hsdata
from hsdata._paths import canonical_data_dir
from hsdata._web import Settings, create_app

#: The cell the bad workbook gets wrong: an event's status that is not in its codelist.
BAD_SHEET, BAD_ROW, BAD_VALUE = "event", 3, "finished"


@pytest.fixture(scope="session")
def good_workbook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The canonical data as a filled template."""
    path = tmp_path_factory.mktemp("workbook") / "filled.xlsx"
    hsdata.write_template(path, package=canonical_data_dir())
    return path.read_bytes()


def status_column(workbook: bytes) -> int:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(workbook))
    headers = [cell.value for cell in book[BAD_SHEET][1]]
    return headers.index("status") + 1


@pytest.fixture(scope="session")
def bad_workbook(good_workbook: bytes) -> bytes:
    """The canonical workbook with one event's status not a code of its codelist."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(good_workbook))
    book[BAD_SHEET].cell(row=BAD_ROW, column=status_column(good_workbook), value=BAD_VALUE)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def zipped_package() -> bytes:
    """The canonical package as a zip."""
    out = io.BytesIO()
    folder = canonical_data_dir()
    with zipfile.ZipFile(out, "w") as archive:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        archive.write(folder / "datapackage.json", "datapackage.json")
        for resource in descriptor["resources"]:
            archive.write(folder / resource["path"], resource["path"])
        for extra in folder.iterdir():
            if extra.is_file() and extra.suffix in (".txt", ".md"):
                archive.write(extra, extra.name)
    return out.getvalue()


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    return Settings(temporary_root=tmp_path)


@pytest.fixture
def client(app_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings)) as test_client:
        yield test_client


def upload(client: TestClient, name: str, content: bytes, **data: str) -> tuple[int, str]:
    """Upload a file; (status, the report page's path or the error page's HTML)."""
    response = client.post(
        "/check", files={"file": (name, content)}, data=data, follow_redirects=False
    )
    if response.status_code == 303:
        return 303, response.headers["location"]
    return response.status_code, response.text
