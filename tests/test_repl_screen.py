"""The session in a real 80×24 terminal (tmux, with ``less`` as the pager): what the clerk sees
after each answer, and that the next command typed is answered, not eaten by a pager."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("less") is None, reason="tmux 或 less 未安装"
)

Screen = Callable[..., str]


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Callable[[str], None], Screen]]:
    """A session of ``rsguide repl`` in its own tmux server at 80×24; ``send`` types a line and
    presses Enter, ``screen(until=…)`` returns the screen once it shows ``until``."""
    socket = f"rsguide-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("LESS", "PAGER", "COLUMNS", "LINES", "NO_COLOR")}
    env.update(RSGUIDE_HISTORY=str(tmp_path / "history"), RSGUIDE_CACHE_DIR=str(tmp_path / "cache"))
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")
    tm = ["tmux", "-L", socket]
    subprocess.run(
        [*tm, "new-session", "-d", "-x", "80", "-y", "24", sys.executable, "-m", "rsguide", "repl"],
        env=env,
        check=True,
    )

    def send(keys: str, *, enter: bool = True) -> None:
        subprocess.run([*tm, "send-keys", "-t", "0", "-l", keys], check=True)
        if enter:
            subprocess.run([*tm, "send-keys", "-t", "0", "Enter"], check=True)

    def screen(until: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = subprocess.run(
                [*tm, "capture-pane", "-p", "-t", "0"], capture_output=True, text=True, check=False
            ).stdout
            if until in text:
                return text
            time.sleep(0.2)
        raise AssertionError(f"屏幕上没有出现“{until}”：\n{text}")

    try:
        screen("查询>")
        yield send, screen
    finally:
        subprocess.run([*tm, "kill-server"], check=False, capture_output=True)


def test_a_card_is_shown_whole_and_the_next_command_is_answered(tmux) -> None:
    send, screen = tmux
    send("14")
    shown = screen("—— 当前：第14项")
    assert "第14项  流动人员人事档案转入" in shown  # the top of the card stays in view
    assert "加 /full 显示全部信息" in shown
    assert "(END)" not in shown and "~\n" not in shown  # no pager waiting for q
    assert shown.rstrip().splitlines()[-1].startswith(" ? 帮助")  # the toolbar, under the prompt
    # the next command, typed at once, reaches the session (less took it for a search before)
    send("m")
    shown = screen("【需提供的材料（请逐项核对）】")
    assert "Pattern not found" not in shown


def test_a_taller_answer_says_how_to_leave_the_pager(tmux) -> None:
    send, screen = tmux
    send("14 /full")
    shown = screen("回答超过一屏")
    assert "（回答超过一屏，在翻页程序中显示：空格 下一页，b 上一页，q 返回查询）" in shown
    for _ in range(10):  # space, page after page, to the end
        send(" ", enter=False)
        try:
            shown = screen("—— 以上是全部内容：按 q 返回查询 ——", timeout=2)
            break
        except AssertionError:
            continue
    assert "—— 以上是全部内容：按 q 返回查询 ——" in shown
    send("q", enter=False)
    shown = screen("—— 当前：第14项")
    deadline = time.monotonic() + 30
    while "查询>" not in shown.split("—— 当前：第14项", 1)[1] and time.monotonic() < deadline:
        time.sleep(0.2)  # a loaded machine draws the prompt a moment after the footer
        shown = screen("—— 当前：第14项")
    assert "查询>" in shown.split("—— 当前：第14项", 1)[1]
