"""The built wheel carries the bundled facts, and the module entry point works."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from .conftest import BUNDLED, REPO


def test_wheel_ships_the_bundled_facts(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("shenka-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for fact_file in BUNDLED.glob("*.toml"):
        assert f"shenka_cli/_facts/{fact_file.name}" in names
    assert "shenka_cli/cli/app.py" in names


def test_python_dash_m(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "shenka_cli", "validate"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "0 problems" in result.stdout
