"""``hsdata validate``: exit codes 0/1/2 in every format, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hsdata import STANDARD_VERSION
from hsdata.cli import main

from .conftest import CANONICAL_RECORDS, CANONICAL_SUMMARY


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _break(package: Path) -> None:
    events = json.loads((package / "events.json").read_text(encoding="utf-8"))
    events[0]["nmae"] = events[0].pop("name")
    (package / "events.json").write_text(json.dumps(events, indent=2), encoding="utf-8")


def test_no_argument_validates_the_canonical_data() -> None:
    code, out, _ = _run()
    assert code == 0
    assert out.strip() == CANONICAL_SUMMARY


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_valid_data_exits_0(package: Path, output_format: str) -> None:
    code, out, _ = _run(str(package), "--format", output_format)
    assert code == 0
    if output_format == "json":
        assert json.loads(out)["valid"] is True
    elif output_format == "github":
        assert out.startswith("::notice title=hsdata validate::No problems")


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_invalid_data_exits_1(package: Path, output_format: str) -> None:
    _break(package)
    code, out, _ = _run(str(package), f"--format={output_format}")
    assert code == 1
    if output_format == "json":
        (issue,) = json.loads(out)["issues"]
        assert issue["rule"] == "schema-unknown-field"
        assert issue["file"] == str(package / "events.json")
        assert issue["line"] > 1 and issue["column"] == 5
    elif output_format == "github":
        first = out.splitlines()[0]
        assert first.startswith(f"::error file={package}/events.json,line=")
        assert "title=schema-unknown-field::unknown field 'nmae'" in first
    else:
        assert "did you mean 'name'?" in out
        assert out.strip().splitlines()[-1].startswith("1 error, 0 warnings in 1 file")


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_unreadable_input_exits_2_in_the_format_asked(tmp_path: Path, output_format: str) -> None:
    not_json = tmp_path / "events.json"
    not_json.write_text("this is not JSON", encoding="utf-8")
    for target in (not_json, tmp_path / "missing.json"):
        code, out, err = _run(str(target), "-f", output_format)
        assert code == 2
        assert "Traceback" not in out + err
        if output_format == "json":
            document = json.loads(out)
            assert document["exitCode"] == 2
            assert document["issues"][0]["unreadable"] is True
        elif output_format == "github":
            assert out.startswith("::error file=")


def test_usage_error_in_json_is_json() -> None:
    code, out, _ = _run("--format", "json", "--no-such-option")
    assert code == 2
    document = json.loads(out)
    assert [i["rule"] for i in document["issues"]] == ["input-usage"]
    assert "--no-such-option" in document["issues"][0]["message"]


def test_usage_error_in_github_is_an_annotation() -> None:
    code, out, _ = _run("-f", "github", "--schema-version")
    assert code == 2
    assert out.startswith("::error title=input-usage::")


def test_usage_error_in_text_is_clicks_message() -> None:
    code, out, err = _run("--format", "xml")
    assert code == 2
    assert "Invalid value for '--format'" in err
    assert "Traceback" not in out + err


def test_unknown_schema_version_exits_2(package: Path) -> None:
    code, out, _ = _run(str(package), "--schema-version", "9.9", "--format", "json")
    assert code == 2
    (issue,) = json.loads(out)["issues"]
    assert issue["rule"] == "input-schema-version-unknown"
    code, out, _ = _run(str(package), "--schema-version", STANDARD_VERSION)
    assert code == 0


def test_record_type_option(tmp_path: Path) -> None:
    path = tmp_path / "contributions.json"
    path.write_text("[]", encoding="utf-8")
    assert _run(str(path))[0] == 2
    assert _run(str(path), "--record-type", "event")[0] == 0


def test_help_shows_the_options() -> None:
    code, out, _ = _run("--help")
    assert code == 0
    for option in ("--format", "--schema-version", "--record-type"):
        assert option in out


def test_python_dash_m_hsdata_validate(package: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "hsdata", "validate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "No problems" in done.stdout
    _break(package)
    done = subprocess.run(
        [sys.executable, "-m", "hsdata", "validate", str(package), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["counts"] == {"error": 1, "warning": 0}
    assert done.stderr == ""


def test_progress_is_reported_to_a_callback_and_never_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from hsdata._validator import validate

    seen: list[int] = []
    report = validate(progress=seen.append)
    assert seen and seen[-1] == report.records_checked == CANONICAL_RECORDS
    assert capsys.readouterr() == ("", "")


def test_a_fault_inside_hsdata_is_reported_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hsdata.cli import _validate

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("something internal")

    monkeypatch.setattr(_validate, "validate", broken)
    code, out, err = _run("--format", "json")
    assert code == 2
    (issue,) = json.loads(out)["issues"]
    assert issue["rule"] == "input-internal-error"
    assert "KeyError" in issue["message"]
    assert "Traceback" not in out + err
