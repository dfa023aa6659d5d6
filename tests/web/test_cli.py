"""The ``hsdata serve`` command: its help, and what it says when it cannot start."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from hsdata.cli import main


def test_serve_has_help_naming_its_limits() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--max-upload", "--time-limit", "--keep"):
        assert option in result.output
    assert "127.0.0.1" in result.output


def test_serve_refuses_a_package_that_is_not_there(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "there is no file or folder" in result.output
