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


def _repl_in_terminal(tmp_path: Path, line: str) -> tuple[str, Path]:
    """Type ``line`` into the session in an 80×24 pseudo-terminal; what it printed and the pager's file."""
    paged = tmp_path / "paged.txt"
    env = dict(os.environ, PAGER=f"cat > {paged}", COLUMNS="80", LINES="24", PROMPT_TOOLKIT_NO_CPR="1")
    env["RSGUIDE_HISTORY"] = str(tmp_path / "history")
    child = pexpect.spawn(sys.executable, ["-m", "rsguide", "repl"], dimensions=(24, 80), encoding="utf-8", env=env)
    try:
        child.expect("查询>", timeout=60)
        child.send(line + "\r")
        child.expect("—— 当前：第", timeout=60)  # the footer after the answer
        printed = child.before or ""
        child.expect("查询>", timeout=60)
        child.send("q\r")
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close()
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", printed), paged


def test_the_repl_prints_what_fits_above_its_prompt_without_the_pager(tmp_path: Path) -> None:
    """A check of ~18 lines fits above the footer, the prompt and the toolbar of 24 rows: it is
    printed (the next command typed is not eaten by a pager waiting at (END))."""
    printed, paged = _repl_in_terminal(tmp_path, "c 18 /situation 不是禁办3")
    assert not paged.exists()
    assert "【可以受理】" in printed


def test_the_repl_pages_a_taller_answer_and_says_how_to_get_back(tmp_path: Path) -> None:
    """The whole card is taller than the screen: it goes through the pager, its first line says
    how to page and how to get back to the prompt, and its last line says it again."""
    _printed, paged = _repl_in_terminal(tmp_path, "14 /full")
    text = re.sub(r"\x1b\[[0-9;]*m", "", paged.read_text(encoding="utf-8"))  # colour: it is a terminal
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "（回答超过一屏，在翻页程序中显示：空格 下一页，b 上一页，q 返回查询）"
    assert lines[1] == "第14项  流动人员人事档案转入"
    assert lines[-1] == "—— 以上是全部内容：按 q 返回查询 ——"


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
