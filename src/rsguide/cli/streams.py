"""The process's streams and exit: one line on stderr per error, exit codes, closed pipes, GBK consoles.

Only a closed pipe (``… | head``) is a quiet end; any other error writing the output (a full
disk, ``>/dev/full``, a closed stdout ``>&-``) is one line on stderr and exit code 6.

Every front end reports errors through :func:`run_guarded`; nothing here imports the rest of the CLI.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from rsguide.errors import ExitCode, RsguideError


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
    """One error line on stderr, ``rsguide：`` first."""
    say(f"rsguide：{message}")


def say(line: str) -> None:
    """One line on stderr, without control characters (a message may quote the user's input or a
    file name); a stderr that cannot be written is left alone."""
    from rsguide.sanitize import clean

    if sys.stderr is None:
        return
    try:
        print(clean(line), file=sys.stderr)
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


def silence_closed_pipes() -> None:
    """After a closed pipe: stdout, and stderr if its reader went away too, point at /dev/null, so
    that what is still to be said cannot fail (and the exit code stays the answer's)."""
    _silence_stdout()
    try:
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
        except (OSError, ValueError, AttributeError):
            pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
