"""Paging: on a terminal an answer taller than the screen goes through $PAGER; never off a terminal
or with --no-pager."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import run_process

pexpect = pytest.importorskip("pexpect", reason="pexpect 未安装：pip install pexpect")


def _in_terminal(tmp_path: Path, *args: str) -> Path:
    paged = tmp_path / "paged.txt"
    env = dict(os.environ, PAGER=f"cat > {paged}", COLUMNS="80", LINES="24")
    child = pexpect.spawn(sys.executable, ["-m", "rsguide", *args], dimensions=(24, 80), encoding="utf-8", env=env)
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0
    return paged


def test_a_long_answer_goes_through_the_pager(tmp_path: Path) -> None:
    paged = _in_terminal(tmp_path, "offices")
    text = paged.read_text(encoding="utf-8")
    assert "铁西区" in text and text.count("\n") > 24


def test_no_pager_option_prints_directly(tmp_path: Path) -> None:
    assert not _in_terminal(tmp_path, "offices", "--no-pager").exists()


def test_never_off_a_terminal(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    proc = run_process("offices", env={"PAGER": f"cat > {paged}"})
    assert proc.returncode == 0 and "铁西区" in proc.stdout.decode()
    assert not paged.exists()
