"""Shared fixtures: the packaged knowledge base, its index, and one CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from rsguide.kb.loader import load, packaged_data_dir
from rsguide.search.engine import build_index

ROOT = Path(__file__).resolve().parent.parent
DATA = packaged_data_dir()


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Never touch the user's real cache or history from tests.
    os.environ["RSGUIDE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["RSGUIDE_HISTORY"] = str(tmp_path_factory.mktemp("history") / "history")
    os.environ.pop("RSGUIDE_DATA", None)
    os.environ["COLUMNS"] = "100"


@pytest.fixture(scope="session")
def kb():
    return load()


@pytest.fixture(scope="session")
def index(kb):
    return build_index(kb)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _runner(capsys: pytest.CaptureFixture[str], main):
    def _run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run ``rsguide ARGS`` in-process (through the entry point, as installed) and capture it."""
    from rsguide.cli.fastshow import main

    return _runner(capsys, main)


@pytest.fixture
def run_full(capsys: pytest.CaptureFixture[str]):
    """Run ``rsguide ARGS`` through the Typer application, bypassing the fast path."""
    from rsguide.cli.app import main

    return _runner(capsys, main)


def run_process(
    *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m rsguide ARGS`` in a subprocess (for streams, encodings and pipes)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rsguide", *args],
        capture_output=True,
        env=full_env,
        input=input.encode() if input is not None else None,
        timeout=120,
    )


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged knowledge base."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
