"""Paging on a terminal: an answer taller than the screen goes through ``$PAGER`` (default
``less`` with ``LESS=FRX`` unless ``LESS`` is set), never when stdout is not a terminal."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: show's start-up
    from typing import TextIO

# shutil and subprocess are imported where they are used: a command whose output is not a terminal
# (a script, a pipe) never needs them.


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def screen_size() -> tuple[int, int]:
    """Columns and rows of the terminal (80×24 when unknown)."""
    import shutil

    size = shutil.get_terminal_size((80, 24))
    return size.columns, size.lines


def too_tall(text: str, rows: int | None = None) -> bool:
    """Whether ``text`` needs more rows than the screen has (one row kept for the prompt)."""
    return text.count("\n") > (rows if rows is not None else screen_size()[1]) - 1


def page(text: str, stream: TextIO | None = None, *, quit_if_one_screen: bool = True) -> None:
    """Show ``text`` through the pager; writes it directly when no pager can be started.

    ``quit_if_one_screen=False`` (the repl, whose prompt and menu rows take part of the screen) keeps
    ``less`` open even for a text that would fit a whole screen, so its top stays in view."""
    import shutil
    import subprocess

    out = stream or sys.stdout
    command = os.environ.get("PAGER", "").strip() or ("less" if shutil.which("less") else "")
    if not command or command == "cat":
        out.write(text)
        return
    import shlex

    env = dict(os.environ)
    env.setdefault("LESS", "FRX" if quit_if_one_screen else "RX")
    env.setdefault("LESSCHARSET", "utf-8")
    try:
        argv = shlex.split(command)  # PAGER is a shell command (less -S, cat > file), as for git
    except ValueError:
        argv = []
    if not argv or shutil.which(argv[0]) is None:  # found before the shell says "not found" in English
        _unusable(command, out, text)
        return
    out.flush()
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        _unusable(command, out, text)
        return
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode("utf-8", errors="replace"))
        proc.stdin.close()
    except (BrokenPipeError, OSError):  # the reader quit early (q in less)
        pass
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        code = proc.wait()
    if code not in (0, -2, 130):  # a pager that failed (PAGER=false …) may have shown nothing
        _unusable(command, out, text)


def _unusable(command: str, out: TextIO, text: str) -> None:
    """The answer written directly, after one line saying why the pager was not used."""
    from rsguide.cli.streams import fail

    fail(f"翻页程序（PAGER={command}）无法使用，直接显示；可改设 PAGER 或加 --no-pager")
    out.write(text)
