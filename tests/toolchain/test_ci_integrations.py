"""The pre-commit hook and the GitHub Action, run for real as far as a test machine allows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from hsdata import STANDARD_VERSION
from hsdata.cli import all_commands

from .conftest import DATA_DIR, REPO_ROOT, read_json, write_json

#: What pip or git print when the package index cannot be reached at all.
NETWORK_DOWN = (
    "Temporary failure in name resolution",
    "Failed to establish a new connection",
    "Network is unreachable",
    "No matching distribution found for hatchling",
    "Could not find a version that satisfies the requirement hatchling",
)


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=hsdata tests", "-c", "user.email=tests@hsdata.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def _break_a_country(package: Path) -> None:
    actors = read_json(package / "actors.json")
    actors[2]["country"] = "XX"
    write_json(package / "actors.json", actors)


# -- pre-commit ---------------------------------------------------------------------------------


def test_hook_manifest_runs_the_real_command() -> None:
    (hook,) = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "hsdata-validate"
    assert hook["entry"] == "hsdata validate"
    assert hook["language"] == "python"
    # the whole package is validated, so references across files are checked
    assert hook["pass_filenames"] is False
    assert hook["args"] == ["."]
    files = re.compile(hook["files"])
    assert files.search("data/events.json")
    assert files.search("data/events.jsonl")
    assert not files.search("README.md")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's hook, as an adopter's config would name it."""
    repo = tmp_path_factory.mktemp("hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("hsdata", "schema", "data", "extensions"):
        shutil.copytree(REPO_ROOT / name, repo / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO_ROOT / name, repo / name)
    _git(repo, "init", "--quiet")
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "hooks")
    return repo, _git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _data_repo(root: Path, hook_repo: tuple[Path, str]) -> Path:
    repo = root / "adopter"
    shutil.copytree(DATA_DIR, repo)
    (repo / "notes.txt").write_text("Not data.\n", encoding="utf-8")
    repo_path, rev = hook_repo
    config = {"repos": [{"repo": str(repo_path), "rev": rev, "hooks": [{"id": "hsdata-validate"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, "init", "--quiet")
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "data")
    return repo


def _pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    output = result.stdout + result.stderr
    if "An unexpected error has occurred" in output or "CalledProcessError" in output:
        log = home / "pre-commit.log"
        details = log.read_text(encoding="utf-8") if log.exists() else output
        if any(sign in details for sign in NETWORK_DOWN):
            pytest.skip("pre-commit could not install the hook: the package index is unreachable")
        pytest.fail(f"pre-commit could not run the hook:\n{output}\n{details}")
    return result


@pytest.mark.slow
def test_pre_commit_runs_the_hook_on_a_package(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = _data_repo(tmp_path, hook_repo)
    result = _pre_commit(repo, pre_commit_home, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hsdata validate" in result.stdout
    assert "Passed" in result.stdout

    _break_a_country(repo)
    _git(repo, "add", "actors.json")
    result = _pre_commit(repo, pre_commit_home, "--files", "actors.json")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "codelist-closed" in result.stdout
    assert "actors.json" in result.stdout

    # a change to a file that is not data does not run the hook
    result = _pre_commit(repo, pre_commit_home, "--files", "notes.txt")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Skipped" in result.stdout


# -- the GitHub Action --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO_ROOT / "action.yml").read_text(encoding="utf-8"))
    return loaded


def _step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    for step in action["runs"]["steps"]:
        if step.get("id") == step_id:
            return dict(step)
    raise AssertionError(f"no step {step_id!r}")


def test_action_is_a_composite_that_sets_up_python_and_installs_hsdata(
    action: dict[str, Any],
) -> None:
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@v")
    assert steps[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    install = steps[1]["run"]
    assert "pip install" in install
    assert "$GITHUB_ACTION_PATH" in install  # the action's own checkout holds pyproject.toml
    assert (REPO_ROOT / "pyproject.toml").exists()
    assert set(action["inputs"]) == {"path", "schema-version", "python-version", "hsdata-spec"}
    for step in steps[1:]:
        assert step["shell"] == "bash"
        # inputs reach scripts through the environment, never pasted into the script
        assert "${{" not in step["run"]


def test_action_command_uses_only_real_options(action: dict[str, Any]) -> None:
    validate = all_commands()["validate"]
    options = {opt: param for param in validate.params for opt in getattr(param, "opts", ()) if opt}
    script = _step(action, "validate")["run"]
    assert "hsdata validate" in script
    assert "--format github" in script
    assert isinstance(options["--format"].type, click.Choice)
    assert "github" in options["--format"].type.choices
    assert "--schema-version" in script
    assert "--schema-version" in options


def _run_validate_step(
    action: dict[str, Any], tmp_path: Path, path: str, schema_version: str = ""
) -> tuple[subprocess.CompletedProcess[str], str]:
    step = _step(action, "validate")
    output_file = tmp_path / "github-output"
    output_file.write_text("", encoding="utf-8")
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "HSDATA_PATH": path,
        "HSDATA_SCHEMA_VERSION": schema_version,
        "GITHUB_OUTPUT": str(output_file),
    }
    assert set(step["env"]) == {"HSDATA_PATH", "HSDATA_SCHEMA_VERSION"}
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    return result, output_file.read_text(encoding="utf-8")


def test_action_validate_step_passes_valid_data(action: dict[str, Any], tmp_path: Path) -> None:
    result, outputs = _run_validate_step(action, tmp_path, str(DATA_DIR), STANDARD_VERSION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert outputs == "exit-code=0\n"


def test_action_validate_step_annotates_invalid_data(
    action: dict[str, Any], canonical_copy: Path, tmp_path: Path
) -> None:
    _break_a_country(canonical_copy)
    result, outputs = _run_validate_step(action, tmp_path, f"{canonical_copy} {DATA_DIR}")
    assert result.returncode == 1
    assert outputs == "exit-code=1\n"
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1, result.stdout
    assert "actors.json" in errors[0]
    assert "line=" in errors[0]
