"""Hostile terminals: closed pipes, GBK consoles, no colour, narrow screens, closed stdin."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import run_process


def test_closed_pipe_ends_cleanly():
    import subprocess
    import sys

    proc = subprocess.run(
        f'"{sys.executable}" -m rsguide show 4 --format plain | head -1',
        shell=True,
        capture_output=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout.decode().startswith("第4项")
    assert b"Traceback" not in proc.stderr and b"Error" not in proc.stderr


def test_gbk_console():
    proc = run_process("show", "22", env={"PYTHONIOENCODING": "gbk"})
    assert proc.returncode == 0
    text = proc.stdout.decode("gbk")
    assert "个人权益记录查询打印" in text
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {"COLUMNS": "40"}])
def test_hostile_terminals(env):
    proc = run_process("show", "14", env=env)
    assert proc.returncode == 0
    assert b"\x1b[" not in proc.stdout
    assert "流动人员人事档案转入" in proc.stdout.decode()


@pytest.mark.parametrize("fmt", ["table", "plain", "json"])
def test_closed_pipe_in_every_format(fmt):
    proc = subprocess.run(
        f'"{sys.executable}" -m rsguide show 14 --format {fmt} | head -1',
        shell=True,
        capture_output=True,
    )
    assert proc.stdout.strip()
    assert b"Traceback" not in proc.stderr


def test_gbk_console_replaces_what_gbk_lacks():
    # 𠀀 is outside GBK: replaced, not a crash.
    proc = run_process("search", "𠀀失业登记", env={"PYTHONIOENCODING": "gbk"})
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    proc = run_process("show", "𠀀𠀀", env={"PYTHONIOENCODING": "gbk"})
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert "本清单没有与" in proc.stderr.decode("gbk")


def test_stdout_not_a_terminal_has_no_colour():
    proc = run_process("show", "4", env={"FORCE_COLOR": "", "TERM": "xterm-256color"})
    assert b"\x1b[" not in proc.stdout


def test_interactive_mode_with_stdin_closed():
    proc = subprocess.run(
        [sys.executable, "-m", "rsguide", "repl"], stdin=subprocess.DEVNULL, capture_output=True, timeout=120
    )
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr


def test_interactive_mode_reads_piped_lines():
    proc = run_process("repl", input="4\n量子物理\nq\n")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "第4项" in out and "本清单没有与" in (out + proc.stderr.decode())


def test_bare_command_without_a_terminal_prints_help():
    proc = subprocess.run([sys.executable, "-m", "rsguide"], stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert proc.returncode == 2 and "show" in proc.stdout.decode()


def test_tables_fit_narrow_screens():
    proc = run_process("show", "4", env={"COLUMNS": "40"})
    assert proc.returncode == 0
    width = max(sum(2 if ord(c) > 0x2E80 else 1 for c in line) for line in proc.stdout.decode().splitlines())
    assert width <= 40
