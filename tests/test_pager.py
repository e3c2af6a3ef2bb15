"""Paging: on a terminal an answer taller than the screen goes through $PAGER; never off a terminal
or with --no-pager."""

from __future__ import annotations

import os
import re
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


def test_the_repl_pages_what_its_prompt_would_push_off_the_screen(tmp_path: Path) -> None:
    """In the session the prompt, the toolbar and the menu rows take part of 24 rows: a check of
    ~18 lines goes through the pager, so its verdict line is read first."""
    paged = tmp_path / "paged.txt"
    env = dict(os.environ, PAGER=f"cat > {paged}", COLUMNS="80", LINES="24", PROMPT_TOOLKIT_NO_CPR="1")
    env["RSGUIDE_HISTORY"] = str(tmp_path / "history")
    child = pexpect.spawn(sys.executable, ["-m", "rsguide", "repl"], dimensions=(24, 80), encoding="utf-8", env=env)
    try:
        child.expect("查询>", timeout=60)
        child.send("c 18 /situation 不是禁办3\r")
        child.expect("查询>", timeout=60)
        child.send("q\r")
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close()
    text = re.sub(r"\x1b\[[0-9;]*m", "", paged.read_text(encoding="utf-8"))  # colour: it is a terminal
    assert text.lstrip().startswith("【可以受理】")


@pytest.mark.parametrize("pager", ["nonexistent-pager", "false", "/etc/passwd", "'unbalanced"])
def test_an_unusable_pager_still_shows_the_answer(pager: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # A PAGER that cannot run, or fails, must not swallow the card or print the shell's English.
    import io

    from rsguide.cli import pager as pager_module

    monkeypatch.setenv("PAGER", pager)
    out = io.StringIO()
    pager_module.page("第4项  失业保险金申领\n", out)
    err = capsys.readouterr().err
    assert out.getvalue() == "第4项  失业保险金申领\n"
    assert err.startswith("rsguide：翻页程序") and err.count("\n") == 1
