"""The process's streams and exit: one line on stderr per error, exit codes, closed pipes, GBK consoles.

Every front end reports errors through :func:`run_guarded`; nothing here imports the rest of the CLI.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from rsguide.errors import ExitCode, RsguideError


def configure_streams() -> None:
    """A GBK console cannot print every character: replace them rather than crash."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def fail(message: str) -> None:
    """One line on stderr."""
    try:
        print(f"rsguide：{message}", file=sys.stderr)
    except (BrokenPipeError, ValueError, OSError):
        pass


def run_guarded(fn: Callable[[], int]) -> int:
    """Run ``fn`` and turn rsguide's errors, Ctrl-C and a closed pipe into an exit code."""
    try:
        return int(fn())
    except RsguideError as exc:
        fail(str(exc))
        for issue in getattr(exc, "issues", [])[1:50]:
            fail(f"  {issue}")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        fail("已中断")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)


def quiet_exit(code: int) -> None:
    """Exit; after a closed pipe, point stdout at /dev/null so the final flush cannot fail."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
    sys.exit(code)
