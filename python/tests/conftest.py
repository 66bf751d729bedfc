"""Shared fixtures: the repository, Gambit's example games, and the `patron` command line
whose JSON the Python results must equal."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "gaza-2024.toml"


def _corpus() -> pathlib.Path:
    return pathlib.Path(os.environ.get("PATRON_GAMBIT_CORPUS", ROOT.parent / "shared" / "games" / "gambit"))


@pytest.fixture(scope="session")
def corpus() -> pathlib.Path:
    path = _corpus()
    if not path.is_dir():
        pytest.fail(f"Gambit corpus not found at {path}: set PATRON_GAMBIT_CORPUS")
    return path


@pytest.fixture(scope="session")
def patron_bin() -> str:
    """The CLI binary (run-tests.sh builds it and sets PATRON_BIN)."""
    path = os.environ.get("PATRON_BIN")
    if not path:
        for candidate in (ROOT / "target" / "release" / "patron", ROOT / "target" / "debug" / "patron"):
            if candidate.exists():
                path = str(candidate)
                break
    if not path or not os.path.exists(path):
        pytest.fail("the patron binary is needed to compare with the CLI: run python/run-tests.sh or set PATRON_BIN")
    return path


@pytest.fixture(scope="session")
def cli(patron_bin):
    """Run the CLI; returns its standard output (fails the test on a non-zero exit)."""

    def run(*args: str) -> str:
        done = subprocess.run([patron_bin, *map(str, args)], capture_output=True, text=True)
        assert done.returncode == 0, f"patron {' '.join(map(str, args))}: {done.stderr}"
        return done.stdout

    return run


@pytest.fixture(scope="session")
def cli_json(cli):
    return lambda *args: json.loads(cli(*args))


@pytest.fixture(scope="session")
def model_path() -> pathlib.Path:
    return MODEL
