"""The wheel and sdist carry the schemas, codelists, data and extensions, and work installed."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLE_COMMITMENT, REPO_ROOT, read_json, write_json

NETWORK_DOWN = (
    "Temporary failure in name resolution",
    "Failed to establish a new connection",
    "Network is unreachable",
)


def _files(folder: str) -> set[str]:
    root = REPO_ROOT / folder
    return {
        path.relative_to(REPO_ROOT).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel and sdist, built as a release would build them."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("hsdata_standard-*.whl")
    (sdist,) = out.glob("hsdata_standard-*.tar.gz")
    return wheel, sdist


@pytest.mark.slow
def test_wheel_carries_the_standard_the_data_and_the_extensions(dist: tuple[Path, Path]) -> None:
    wheel, _ = dist
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "hsdata/py.typed" in names
    assert "hsdata/_bundled/schema/1.0/meta-schema.json" in names
    assert "hsdata/_bundled/data/datapackage.json" in names
    assert "hsdata/_bundled/extensions/funding/extension.json" in names
    for folder in ("schema", "data", "extensions"):
        expected = {f"hsdata/_bundled/{name}" for name in _files(folder)}
        assert expected, folder
        assert expected <= names, sorted(expected - names)[:5]
    codelists = {n for n in names if n.startswith("hsdata/_bundled/schema/1.0/codelists/")}
    assert len(codelists) == len(list((REPO_ROOT / "schema/1.0/codelists").glob("*.csv")))
    assert not any("tests/" in name for name in names)


@pytest.mark.slow
def test_sdist_carries_what_a_rebuild_and_the_tests_need(dist: tuple[Path, Path]) -> None:
    _, sdist = dist
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for name in (
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "schema/1.0/actor.json",
        "data/datapackage.json",
        "extensions/funding/extension.json",
        "extensions/funding/codelists/currency.csv",
        "hsdata/py.typed",
        "tests/toolchain/test_packaging.py",
    ):
        assert name in names, name


@pytest.mark.slow
def test_installed_wheel_validates_in_a_fresh_venv(
    dist: tuple[Path, Path], tmp_path: Path, funded_package: Path
) -> None:
    wheel, _ = dist
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=900,
    )
    if install.returncode != 0 and any(s in install.stderr for s in NETWORK_DOWN):
        pytest.skip("the dependencies cannot be installed: the package index is unreachable")
    assert install.returncode == 0, install.stdout + install.stderr

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        # run outside the checkout, so nothing can come from the source tree
        return subprocess.run(
            [str(python), *args],
            capture_output=True,
            text=True,
            check=False,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )

    where = run("-c", "import hsdata._paths as p; print(p.schema_root(), p.extensions_root())")
    assert where.returncode == 0, where.stderr
    assert str(venv) in where.stdout
    assert where.stdout.count("_bundled") == 2, where.stdout

    result = run("-m", "hsdata", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    data = REPO_ROOT / "data"
    records = sum(
        len(read_json(data / r["path"])) for r in read_json(data / "datapackage.json")["resources"]
    )
    assert f"{records} records" in result.stdout

    # a package using the bundled extension validates against the installed copy
    result = run("-m", "hsdata", "validate", str(funded_package))
    assert result.returncode == 0, result.stdout + result.stderr
    partnerships = read_json(funded_package / "partnerships.json")
    partnerships[0]["members"][0]["funding"] = [{**EXAMPLE_COMMITMENT, "currency": "CAN"}]
    write_json(funded_package / "partnerships.json", partnerships)
    result = run("-m", "hsdata", "validate", str(funded_package))
    assert result.returncode == 1
    assert "codelist-closed" in result.stdout

    typed = run(
        "-c",
        "import hsdata, pathlib; "
        "print((pathlib.Path(hsdata.__file__).parent / 'py.typed').exists())",
    )
    assert typed.stdout.strip() == "True"
