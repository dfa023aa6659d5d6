"""What every ``hsdata`` command shares: one-line errors, no tracebacks, exit codes, reports."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hsdata import UpgradeChange, UpgradeReport
from hsdata._files import OutputError
from hsdata.cli import _common, _info, main

#: A message an exception might carry from hostile input: it clears the screen, rings,
#: returns to the start of the line to overwrite it, and turns the text around.
HOSTILE = "boom\x1b[2J\x07\rerror: all is well\u202e\x9b31m"
RAW_PIECES = ("\x1b", "\x07", "\r", "\u202e", "\x9b")


def _raising(exception: BaseException) -> object:
    def load_or_exit(path: str | None) -> object:
        raise exception

    return load_or_exit


def _run_info(monkeypatch: pytest.MonkeyPatch, exception: BaseException) -> Result:
    monkeypatch.setattr(_info, "load_or_exit", _raising(exception))
    return CliRunner().invoke(main, ["info"])


def test_an_unexpected_error_is_one_cleaned_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HSDATA_DEBUG", raising=False)
    result = _run_info(monkeypatch, RuntimeError(HOSTILE))
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: unexpected RuntimeError: boom\\u001b[2J\\u0007\\r")
    assert line.endswith("this is a bug in hsdata, please report it with the command you ran")
    for piece in RAW_PIECES:
        assert piece not in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "exception",
    [OSError(28, "No space left on device", "out\x1b.json"), OutputError("cannot write\x1b x")],
)
def test_an_error_hsdata_or_the_system_raises_is_one_line_not_a_bug(
    monkeypatch: pytest.MonkeyPatch, exception: Exception
) -> None:
    monkeypatch.delenv("HSDATA_DEBUG", raising=False)
    result = _run_info(monkeypatch, exception)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and "\x1b" not in line
    assert ("No space left on device" in line) or ("cannot write\\u001b x" in line)
    assert "bug" not in line


def test_hsdata_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSDATA_DEBUG", "1")
    fault = RuntimeError(HOSTILE)
    result = _run_info(monkeypatch, fault)
    assert result.exception is fault  # left to Python, which prints the traceback
    assert "this is a bug" not in result.output


def test_ctrl_c_exits_130_with_a_short_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HSDATA_DEBUG", raising=False)
    result = _run_info(monkeypatch, KeyboardInterrupt())
    assert result.exit_code == _common.EXIT_INTERRUPTED == 130
    assert result.stderr.strip() == "error: interrupted"


def test_a_closed_output_pipe_exits_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run_info(monkeypatch, BrokenPipeError())
    assert result.exit_code == _common.EXIT_BROKEN_PIPE
    assert result.output == ""


def test_no_traceback_from_the_installed_entry_point() -> None:
    """The real process: python's own traceback printing never runs, and no escape gets out."""
    script = (
        "import sys\n"
        "from hsdata.cli import _info, main\n"
        "def broken(path):\n"
        f"    raise ValueError({HOSTILE!r})\n"
        "_info.load_or_exit = broken\n"
        "main(['info'], prog_name='hsdata')\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "HSDATA_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: unexpected ValueError: boom\\u001b[2J")
    assert not any(piece in done.stderr for piece in RAW_PIECES)


def test_usage_errors_quote_what_was_typed_safely() -> None:
    result = CliRunner().invoke(main, ["info", "--format", "te\u202ext\x9b"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output
    assert "\\u202e" in result.output
    assert "\u202e" not in result.output and "\x9b" not in result.output


def test_error_escapes_each_line_on_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    _common.error("first \x1b[31mline\nsecond\rline")
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: first \\u001b[31mline\nsecond\\rline\n"


def test_fail_exits_with_the_code_given(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        _common.fail("cannot write x", 1)
    assert stopped.value.code == 1
    assert capsys.readouterr().err == "error: cannot write x\n"
    with pytest.raises(SystemExit) as stopped:
        _common.fail("cannot read y")
    assert stopped.value.code == 2


def test_load_or_exit_names_a_missing_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        _common.load_or_exit(str(tmp_path / "no\x1bwhere"))
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: there is no file or folder ")
    assert "no\\u001bwhere" in err and "\x1b" not in err


def test_print_report_prints_an_upgrade_report_in_the_format_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    change = UpgradeChange("standard-version", "hsdata:version 1.0 -> 1.1", "datapackage.json")
    report = UpgradeReport(
        source_version="1.0", target_version="1.1", steps=("1.0 -> 1.1",), changes=(change,)
    )
    _common.print_report(report, "json")
    assert json.loads(capsys.readouterr().out) == report.to_dict()
    _common.print_report(report, "text")
    assert capsys.readouterr().out.startswith("Upgraded from hsdata 1.0 to 1.1\n")


def test_commands_print_errors_and_exit_only_through_the_shared_helpers() -> None:
    """No command writes to stderr or exits by itself: the wording and codes stay in one place."""
    folder = Path(_common.__file__).parent
    offenders = []
    for path in sorted(folder.glob("*.py")):
        if path.name == "_common.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "err":
                offenders.append(f"{path.name}:{node.lineno} err=")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "sys"
                and node.attr in ("exit", "stderr")
            ):
                offenders.append(f"{path.name}:{node.lineno} sys.{node.attr}")
            if isinstance(node, ast.Name) and node.id == "SystemExit":
                offenders.append(f"{path.name}:{node.lineno} SystemExit")
    assert offenders == []


def test_upgrade_reports_in_every_format_of_validate(tmp_path: Path) -> None:
    missing = tmp_path / "no\x1bpackage"
    result = CliRunner().invoke(main, ["upgrade", str(missing), "--in-place", "-f", "github"])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error ") and "title=upgrade-unreadable" in lines[0]
    assert lines[-1] == "::notice title=hsdata upgrade::Upgrade refused: nothing was written."
    assert "\x1b" not in result.stdout and "no\\u001bpackage" in result.stdout
