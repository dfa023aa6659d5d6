"""Start-up: a run loads only the modules it needs, and what it loads later still works.

Each case runs in a fresh interpreter, where nothing has been imported yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Modules 'hsdata validate' has no use for.
NOT_FOR_VALIDATING = (
    "hsdata._export",
    "hsdata._spreadsheet",
    "hsdata._merge",
    "hsdata._registry",
    "hsdata._web",
    "hsdata._upgrade",
    "hsdata.cli._export",
    "hsdata.cli._serve",
    "langcodes",
    "frictionless",
)


def _run(code: str, tmp_path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={"HSDATA_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_validating_loads_only_the_validator(tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from hsdata.cli import main\n"
        "try:\n"
        "    main(['validate', '--format', 'json'], standalone_mode=False)\n"
        "finally:\n"
        "    print('@@' + json.dumps(sorted(sys.modules)))\n"
    )
    _run(code, tmp_path)  # the first run fills the cache (frictionless, language tags)
    loaded = set(json.loads(_run(code, tmp_path).split("@@")[-1]))
    assert "hsdata._validator" in loaded
    assert sorted(m for m in NOT_FOR_VALIDATING if m in loaded) == []


def test_names_and_formats_load_on_first_use(tmp_path: Path) -> None:
    code = (
        "import hsdata, sys\n"
        "assert 'hsdata._spreadsheet' not in sys.modules\n"
        "assert callable(hsdata.write_template) and 'hsdata._spreadsheet' in sys.modules\n"
        "assert 'write_template' in dir(hsdata)\n"
        f"written = hsdata.load().export('csv', {str(tmp_path / 'csv')!r})\n"
        "print(written.name)\n"
        "try:\n"
        "    hsdata.no_such_name\n"
        "except AttributeError as error:\n"
        "    print(error)\n"
    )
    out = _run(code, tmp_path)
    assert (tmp_path / "csv").is_dir()
    assert "module 'hsdata' has no attribute 'no_such_name'" in out


def test_help_lists_every_command(tmp_path: Path) -> None:
    code = "from hsdata.cli import main\nmain(['--help'], standalone_mode=False)\n"
    out = _run(code, tmp_path)
    from hsdata.cli import COMMAND_MODULES

    for name in COMMAND_MODULES:
        assert f"\n  {name} " in out, name


def test_every_command_module_is_listed(tmp_path: Path) -> None:
    # A command whose module is missing from COMMAND_MODULES would never be loaded.
    code = (
        "import importlib, json, pkgutil, hsdata.cli as cli\n"
        "for module in pkgutil.iter_modules(cli.__path__):\n"
        "    importlib.import_module(f'hsdata.cli.{module.name}')\n"
        "print(json.dumps({n: c.callback.__module__ for n, c in cli.main.commands.items()}))\n"
    )
    registered = json.loads(_run(code, tmp_path).strip().splitlines()[-1])
    from hsdata.cli import COMMAND_MODULES

    assert registered == {name: f"hsdata.cli.{module}" for name, module in COMMAND_MODULES.items()}
