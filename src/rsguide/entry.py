"""The ``rsguide`` entry point.

The commonest invocations (``rsguide show QUERY [--format F]``, ``rsguide search QUERY``) are
parsed here directly and run without building the Typer application, which costs more than the
lookup itself; everything else goes to :mod:`rsguide.cli`. Both paths call the same command
functions (:mod:`rsguide.commands`) and report errors the same way (:func:`run_guarded`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from rsguide.errors import ExitCode, RsguideError

_GLOBAL_FLAGS = {"--no-color": "no_color", "--no-cache": "no_cache"}
_FAST_COMMANDS = ("show", "search")


@dataclass
class FastCall:
    """A parsed simple invocation."""

    command: str
    query: str
    fmt: str = "table"
    limit: int = 10
    data: str | None = None
    flags: set[str] = field(default_factory=set)


def parse_fast(args: list[str]) -> FastCall | None:
    """``[--data D] [--no-color] [--no-cache] (show|search) QUERY [-f F] [-n N]``, else ``None``."""
    i = 0
    data: str | None = None
    flags: set[str] = set()
    while i < len(args) and args[i].startswith("-"):
        a = args[i]
        if a in _GLOBAL_FLAGS:
            flags.add(_GLOBAL_FLAGS[a])
        elif a == "--data" and i + 1 < len(args):
            data = args[i + 1]
            i += 1
        elif a.startswith("--data="):
            data = a.split("=", 1)[1]
        else:
            return None
        i += 1
    if i >= len(args) or args[i] not in _FAST_COMMANDS:
        return None
    call = FastCall(args[i], "", data=data, flags=flags)
    query: str | None = None
    i += 1
    while i < len(args):
        a = args[i]
        if a in ("--format", "-f") and i + 1 < len(args):
            call.fmt = args[i + 1]
            i += 1
        elif a.startswith("--format="):
            call.fmt = a.split("=", 1)[1]
        elif call.command == "search" and a in ("--limit", "-n") and i + 1 < len(args) and args[i + 1].isdigit():
            call.limit = int(args[i + 1])
            i += 1
        elif a.startswith("-") or query is not None:
            return None  # an option only the full CLI knows (or --help), or an extra argument
        else:
            query = a
        i += 1
    if query is None:
        return None
    call.query = query
    return call


def run_fast(call: FastCall) -> int:
    """Run a parsed simple invocation."""
    from rsguide import commands
    from rsguide.session import Session

    session = Session(call.data, use_cache="no_cache" not in call.flags)
    no_color = "no_color" in call.flags
    if call.command == "show":
        return commands.show(session, call.query, call.fmt, no_color=no_color)
    return commands.search(session, call.query, call.limit, call.fmt, no_color=no_color)


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


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``rsguide`` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    call = parse_fast(args)
    if call is None:
        from rsguide.cli import main as cli_main

        cli_main(args)
        return
    configure_streams()
    quiet_exit(run_guarded(lambda: run_fast(call)))
