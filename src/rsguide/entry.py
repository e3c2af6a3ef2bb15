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


class _ClosedStream:
    """Stands for stdout when the shell closed it (``rsguide show 4 >&-``): the first write fails
    with EBADF, which :func:`run_guarded` reports as one line and exit code 6."""

    encoding = "utf-8"
    errors = "replace"

    def write(self, text: str) -> int:
        import errno

        raise OSError(errno.EBADF, "标准输出已关闭")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise ValueError("stdout is closed")


def configure_streams() -> None:
    """A GBK console cannot print every character: replace them rather than crash. A closed
    stdout or stderr (``>&-``) gets /dev/null as its descriptor, so that no file rsguide opens
    can take descriptor 1 or 2, and stdout a stand-in that fails on the first write."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            try:
                os.fstat(fd)
            except OSError:
                try:
                    null = os.open(os.devnull, os.O_WRONLY)
                    if null != fd:
                        os.dup2(null, fd)
                        os.close(null)
                except OSError:
                    pass
            if name == "stdout":
                sys.stdout = _ClosedStream()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def fail(message: str) -> None:
    """One line on stderr (without control characters: a message may quote the user's input)."""
    from rsguide.sanitize import clean

    if sys.stderr is None:
        return
    try:
        print(f"rsguide：{clean(message)}", file=sys.stderr)
        sys.stderr.flush()
    except (ValueError, OSError):
        pass


_write_error_reported = False


def _write_error(exc: OSError) -> int:
    """One line for an output that could not be written (a full disk, /dev/full, a closed stdout)."""
    import errno

    global _write_error_reported
    if not _write_error_reported:
        _write_error_reported = True
        reasons = {errno.ENOSPC: "磁盘已满", errno.EBADF: "标准输出已关闭", errno.EDQUOT: "超出磁盘配额"}
        reasons.update({errno.EFBIG: "文件过大", errno.EIO: "输入输出错误"})
        if exc.errno in reasons:
            fail(f"输出没有写完（{reasons[exc.errno]}）；请检查磁盘空间或输出去向")
        else:
            fail(f"读写失败（{exc.strerror or exc}）")
    return int(ExitCode.OUTPUT_ERROR)


def run_guarded(fn: Callable[[], int]) -> int:
    """Run ``fn`` and turn rsguide's errors, Ctrl-C and a closed pipe into an exit code.

    Only a closed pipe (``… | head``) is a quiet end; any other error writing the output is one
    line on stderr and exit code 6, never a traceback or exit code 0.
    """
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
    except OSError as exc:
        return _write_error(exc)


def quiet_exit(code: int) -> None:
    """Flush stdout and exit. After a closed pipe stdout points at /dev/null so that the final
    flush cannot fail; after any other write error (a full disk) the exit code is 6."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError) as exc:
        _silence_stdout()
        if isinstance(exc, OSError):
            code = _write_error(exc)
    sys.exit(code)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``rsguide`` command."""
    try:
        args = list(sys.argv[1:] if argv is None else argv)
        call = parse_fast(args)
        if call is None:
            from rsguide.cli import main as cli_main

            cli_main(args)
            return
        configure_streams()
        quiet_exit(run_guarded(lambda: run_fast(call)))
    except KeyboardInterrupt:  # Ctrl-C while Python was still importing
        fail("已中断")
        quiet_exit(int(ExitCode.INTERRUPTED))
