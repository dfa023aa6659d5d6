"""hsdata serve through the test client: every route, every failure, the safety headers."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import hsdata
from hsdata._web import CONTENT_SECURITY_POLICY, Settings, create_app

from .conftest import BAD_ROW, BAD_SHEET, BAD_VALUE, status_column, upload


def text_of(page: str) -> str:
    """A page's words, tags removed and entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def assert_safe_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src" not in CONTENT_SECURITY_POLICY  # default-src 'none' forbids scripts
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_start_page_offers_the_upload_and_the_data(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert_safe_headers(response)
    assert 'enctype="multipart/form-data"' in response.text
    assert 'href="/data"' in response.text
    assert "<script" not in response.text


def test_static_stylesheet_is_css(client: TestClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert_safe_headers(response)


# -- languages ------------------------------------------------------------------------------


def test_the_browser_language_chooses_french(client: TestClient) -> None:
    page = client.get("/", headers={"accept-language": "de-DE, fr-CA;q=0.8, en;q=0.5"}).text
    assert '<html lang="fr">' in page
    assert "Vérifier un fichier" in page
    assert '<html lang="en">' in client.get("/", headers={"accept-language": "de"}).text


def test_the_language_link_sets_a_cookie_that_wins(client: TestClient) -> None:
    response = client.get("/lang/fr?next=/data", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/data"
    assert "hsdata-lang=fr" in response.headers["set-cookie"]
    page = client.get("/", headers={"accept-language": "en"}).text
    assert '<html lang="fr">' in page
    assert 'href="/lang/en?next=/"' in page


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil", ""])
def test_the_language_link_never_sends_the_reader_elsewhere(
    client: TestClient, target: str
) -> None:
    response = client.get("/lang/en", params={"next": target}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_an_unknown_language_is_not_found(client: TestClient) -> None:
    assert client.get("/lang/xx").status_code == 404


# -- workbooks -------------------------------------------------------------------------------


def test_a_bad_workbook_is_reported_at_its_cell(client: TestClient, bad_workbook: bytes) -> None:
    status, location = upload(client, "filled.xlsx", bad_workbook)
    assert status == 303
    assert re.fullmatch(r"/r/[A-Za-z0-9_-]{32}", location)
    response = client.get(location)
    assert response.status_code == 200
    assert_safe_headers(response)
    words = text_of(response.text)
    cell = f"{chr(ord('A') + status_column(bad_workbook) - 1)}{BAD_ROW}"
    assert f"sheet {BAD_SHEET} , cell {cell} column status" in words
    assert "codelist-closed" in words
    assert BAD_VALUE in words
    assert "1 errors, 0 warnings" in words
    assert "The file is not valid" in words
    assert 'href="https://w3id.org/hsdata/docs/rules' in response.text
    # The place is shown once, in its column; the message says the rest.
    assert f"{BAD_SHEET}!{cell}" not in words


def test_the_report_reads_in_french(client: TestClient, bad_workbook: bytes) -> None:
    _status, location = upload(client, "filled.xlsx", bad_workbook)
    client.cookies.set("hsdata-lang", "fr")
    words = text_of(client.get(location).text)
    assert "feuille event" in words
    assert "1 erreurs, 0 avertissements" in words
    assert "Le fichier n'est pas valide" in words


def test_a_good_workbook_converts_to_a_valid_package(
    client: TestClient, good_workbook: bytes, tmp_path: Path
) -> None:
    _status, location = upload(client, "filled.xlsx", good_workbook)
    words = text_of(client.get(location).text)
    assert "The file is valid" in words
    response = client.get(f"{location}/download/json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    zipped = tmp_path / "package.zip"
    zipped.write_bytes(response.content)
    assert "datapackage.json" in zipfile.ZipFile(zipped).namelist()
    assert hsdata.validate(zipped).valid


def test_the_other_downloads(client: TestClient, good_workbook: bytes, tmp_path: Path) -> None:
    _status, location = upload(client, "filled.xlsx", good_workbook)
    xlsx = client.get(f"{location}/download/xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert xlsx.content[:2] == b"PK"
    csv = client.get(f"{location}/download/csv")
    assert csv.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(csv.content)).namelist()
    assert "datapackage.json" in names
    assert any(name.endswith(".csv") for name in names)
    # The same download asked twice is the same file.
    assert client.get(f"{location}/download/csv").content == csv.content
    assert client.get(f"{location}/download/nonsense").status_code == 404


def test_upgrade_of_data_at_the_newest_version_says_there_is_nothing_to_do(
    client: TestClient, good_workbook: bytes
) -> None:
    _status, location = upload(client, "filled.xlsx", good_workbook)
    version = hsdata.validate(hsdata._paths.canonical_data_dir()).schema_version
    response = client.get(f"{location}/download/upgraded")
    if version == hsdata.available_versions()[-1]:
        assert response.status_code == 409
        assert "nothing to upgrade" in text_of(response.text)
    else:
        assert response.status_code == 200
        assert zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_csv_needs_valid_data(client: TestClient, bad_workbook: bytes) -> None:
    _status, location = upload(client, "filled.xlsx", bad_workbook)
    response = client.get(f"{location}/download/csv")
    assert response.status_code == 409
    assert "correct the errors first" in text_of(response.text)
    assert client.get(f"{location}/download/xlsx").status_code == 200
    assert client.get(f"{location}/data").status_code == 404


def test_an_unreadable_workbook_is_a_report(client: TestClient) -> None:
    _status, location = upload(client, "filled.xlsx", b"this is not a workbook")
    words = text_of(client.get(location).text)
    assert "spreadsheet-unreadable" in words
    assert "The file could not be read" in words
    assert "Conversions need a data package" in words


def test_a_zipped_folder_of_csv_files_is_imported(client: TestClient, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    hsdata.write_template(folder, package=hsdata._paths.canonical_data_dir(), format="csv")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        for file in folder.iterdir():
            handle.write(file, f"template/{file.name}")
    _status, location = upload(client, "template.zip", archive.getvalue())
    words = text_of(client.get(location).text)
    assert "The file is valid" in words
    assert client.get(f"{location}/download/json").status_code == 200


def test_a_zip_of_csv_files_climbing_out_is_refused(client: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("../../actor.csv", "id\n")
    _status, location = upload(client, "template.zip", archive.getvalue())
    words = text_of(client.get(location).text)
    assert "something other than the template's CSV files" in words


# -- JSON, JSON Lines, zipped packages ---------------------------------------------------------


def test_a_json_file_is_reported_at_its_line_with_its_value(client: TestClient) -> None:
    events = [{"id": "ev-1", "name": {"en": "A meeting"}, "status": "<b>finished</b>"}]
    body = json.dumps(events, indent=2).encode()
    _status, location = upload(client, "events.json", body)
    page = client.get(location).text
    words = text_of(page)
    assert "line 7, column 5" in words
    assert "/0/status" in words
    assert "<b>finished</b>" in words  # the value, shown as text
    assert "<b>finished</b>" not in page  # and never as markup


def test_the_validators_messages_read_in_french(client: TestClient, tmp_path: Path) -> None:
    from hsdata._i18n import translated

    body = b'[{"id": "ev-1"}]'
    _status, location = upload(client, "events.json", body)
    client.cookies.set("hsdata-lang", "fr")
    words = text_of(client.get(location).text)
    # The same file checked by the library gives the message expected, in English.
    (tmp_path / "events.json").write_bytes(body)
    issue = next(
        i for i in hsdata.validate(tmp_path / "events.json") if i.rule == "schema-required"
    )
    french = translated(issue.message, "fr")
    assert french != str(issue.message), "the catalogue has French for this message"
    assert french in words
    assert str(issue.message) not in words


def test_the_record_type_can_be_chosen(client: TestClient) -> None:
    body = b'[{"id": "x"}]'
    _status, location = upload(client, "mine.json", body)
    assert "input-record-type-unknown" in text_of(client.get(location).text)
    _status, location = upload(client, "mine.json", body, record_type="event")
    assert "input-record-type-unknown" not in text_of(client.get(location).text)


def test_a_json_lines_file_is_reported_at_its_line(client: TestClient) -> None:
    body = b'{"id": "ev-1"}\n{"id": "ev 2", "status": 7}\n'
    _status, location = upload(client, "events.jsonl", body)
    words = text_of(client.get(location).text)
    assert "line 2" in words
    assert "Conversions need a data package" in words


def test_a_zipped_package_is_checked_and_explored(
    client: TestClient, zipped_package: bytes
) -> None:
    _status, location = upload(client, "data.zip", zipped_package)
    words = text_of(client.get(location).text)
    assert "The file is valid" in words
    assert client.get(f"{location}/download/json").content == zipped_package
    data = client.get(f"{location}/data")
    assert data.status_code == 200
    assert f'src="{location}/figures/timeline.svg"' in data.text
    first = re.search(rf'href="({location}/data/[^"]+)"', data.text)
    assert first is not None
    assert client.get(first.group(1)).status_code == 200
    svg = client.get(f"{location}/figures/network.svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.lstrip().startswith("<?xml")


def test_a_file_that_is_not_a_zip_is_a_report(client: TestClient) -> None:
    _status, location = upload(client, "data.zip", b"PK but not really")
    assert "package-archive-unreadable" in text_of(client.get(location).text)


def test_a_zip_holding_no_package_is_a_report(client: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("notes.txt", "hello")
    _status, location = upload(client, "data.zip", archive.getvalue())
    assert "no datapackage.json" in text_of(client.get(location).text)


def test_a_file_of_another_kind_is_not_a_package(client: TestClient) -> None:
    _status, location = upload(client, "report.pdf", b"%PDF-1.4")
    words = text_of(client.get(location).text)
    assert "this page checks JSON" in words
    assert "The file could not be read" in words


def test_a_hostile_file_name_is_made_harmless(client: TestClient) -> None:
    _status, location = upload(client, '../../<img src=x onerror="1">events.json', b"[]")
    page = client.get(location).text
    assert "<img" not in page
    assert re.search(r"Report on _img_src_x_onerror_[A-Za-z0-9_]*events\.json", text_of(page))


# -- limits and failures --------------------------------------------------------------------------


@pytest.fixture
def small_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(max_upload_bytes=10_000, temporary_root=tmp_path)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_a_file_too_large_is_refused(small_client: TestClient, tmp_path: Path) -> None:
    status, page = upload(small_client, "events.json", b"[" + b" " * 200_000 + b"]")
    assert status == 413
    assert "larger than 9 kB" in text_of(page)
    assert not any(tmp_path.glob("hsdata-serve-*/*")), "nothing of it is kept"


def test_a_body_too_large_is_refused_while_it_is_read(tmp_path: Path) -> None:
    # Straight through ASGI (the test client reads a body whole before sending it): no
    # Content-Length, and the body arrives in pieces; the server must stop asking for more
    # soon after the limit instead of reading it all first.
    import anyio

    app = create_app(Settings(max_upload_bytes=10_000, temporary_root=tmp_path))
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="e.json"\r\n\r\n'
    pieces = [head] + [b" " * 10_000] * 10_000
    asked: list[int] = []
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        asked.append(1)
        piece = pieces[len(asked) - 1]
        return {"type": "http.request", "body": piece, "more_body": len(asked) < len(pieces)}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/check",
        "raw_path": b"/check",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"multipart/form-data; boundary=b"), (b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    anyio.run(app, scope, receive, send)
    assert sent[0]["status"] == 413
    assert len(asked) < 10, "the server stopped reading soon after the limit"
    app.state.store.close()


def test_a_declared_length_too_large_is_refused_before_reading(small_client: TestClient) -> None:
    response = small_client.post(
        "/check",
        content=b"x",
        headers={"content-type": "multipart/form-data; boundary=b", "content-length": "99999999"},
    )
    assert response.status_code == 413


def test_no_file_is_a_plain_page(client: TestClient) -> None:
    response = client.post("/check", data={"record_type": "event"})
    assert response.status_code == 400
    assert "Choose a file" in text_of(response.text)


def test_a_check_that_takes_too_long_is_stopped(tmp_path: Path, zipped_package: bytes) -> None:
    settings = Settings(time_limit=0.001, temporary_root=tmp_path)
    with TestClient(create_app(settings)) as slow:
        status, page = upload(slow, "data.zip", zipped_package)
    assert status == 503
    assert "took more than" in text_of(page)


def test_an_expired_report_is_gone_with_its_files(tmp_path: Path) -> None:
    app = create_app(Settings(report_ttl=0.0, temporary_root=tmp_path))
    with TestClient(app) as quick:
        _status, location = upload(quick, "events.json", b"[]")
        root = app.state.store.root
        response = quick.get(location)
        assert response.status_code == 404
        assert "expired or never existed" in text_of(response.text)
        assert list(root.iterdir()) == []


def test_expired_reports_go_even_when_nobody_asks(tmp_path: Path) -> None:
    import time

    app = create_app(Settings(report_ttl=0.5, temporary_root=tmp_path))
    with TestClient(app) as quick:
        upload(quick, "events.json", b"[]")
        root = app.state.store.root
        assert any(root.iterdir())
        deadline = time.monotonic() + 10
        while any(root.iterdir()):
            assert time.monotonic() < deadline, "the expired report was not removed"
            time.sleep(0.1)


def test_the_store_is_removed_at_shutdown(tmp_path: Path) -> None:
    app = create_app(Settings(temporary_root=tmp_path))
    with TestClient(app) as test_client:
        upload(test_client, "events.json", b"[]")
        root = app.state.store.root
        assert any(root.iterdir())
    assert not root.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/r/short",
        "/r/" + "A" * 32,
        "/r/" + "A" * 32 + "/download/json",
        "/r/" + "A" * 32 + "/data",
        "/r/../../etc/passwd",
        "/nowhere",
    ],
)
def test_a_bad_token_or_path_is_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert_safe_headers(response)
    assert "Traceback" not in response.text


def test_a_failure_is_a_page_without_a_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hsdata._web import _app

    def broken(*args: object) -> object:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(_app, "issue_groups", broken)
    with TestClient(
        create_app(Settings(temporary_root=tmp_path)), raise_server_exceptions=False
    ) as c:
        _status, location = upload(c, "events.json", b"[]")
        response = c.get(location)
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert_safe_headers(response)


# -- exploring the canonical data -------------------------------------------------------------


def test_the_canonical_data_with_search_and_links(client: TestClient) -> None:
    page = client.get("/data").text
    words = text_of(page)
    assert "Summary" in words
    assert 'src="/figures/timeline.svg"' in page
    found = client.get("/data", params={"q": "lysøen"}).text
    assert "/data/partnership/lysoen-partnership" in found
    assert (
        "/data/partnership/lysoen-partnership"
        not in client.get("/data", params={"q": "zzz-no-such-record"}).text
    )
    record = client.get("/data/partnership/lysoen-partnership").text
    assert "Lysøen Partnership" in record
    assert 'href="/data/actor/' in record  # its members link to their records
    assert client.get("/data/partnership/no-such-record").status_code == 404
    assert client.get("/data/event/lysoen-partnership").status_code == 404


def test_figures_are_svg_in_the_readers_language(client: TestClient) -> None:
    english = client.get("/figures/timeline.svg")
    assert english.status_code == 200
    assert english.headers["content-type"] == "image/svg+xml"
    assert "<script" not in english.text
    french = client.get("/figures/timeline.svg", headers={"accept-language": "fr"})
    assert french.text != english.text
    assert client.get("/figures/other.svg").status_code == 404


def test_a_package_given_at_start_is_explored(tmp_path: Path, zipped_package: bytes) -> None:
    given = tmp_path / "given.zip"
    given.write_bytes(zipped_package)
    with TestClient(create_app(Settings(package=given, temporary_root=tmp_path))) as c:
        assert "the data package given at start" in c.get("/").text
        assert c.get("/data/partnership/lysoen-partnership").status_code == 200
