"""Printing a :class:`~rsguide.commands.Result` on the command line: stdout, ``-o FILE`` or stderr."""

from __future__ import annotations

import sys

from rsguide.cli.streams import fail
from rsguide.commands import Result
from rsguide.errors import ExitCode

MACHINE_FORMATS = ("json", "yaml", "csv")


def deliver(result: Result, *, fmt: str | None, output: str | None, force: bool, no_color: bool) -> int:
    """Print or write ``result``; returns its exit code."""
    for note in result.notes:
        print(f"经办人注意：{note}", file=sys.stderr)
    show = result.exit_code == ExitCode.OK or result.screen_on_failure or fmt in MACHINE_FORMATS
    if result.output is not None and show:
        from rsguide import render

        if output:
            _write(output, render.text_of(result.output, fmt or "plain"), force=force, bom=fmt == "csv")
        else:
            render.render(result.output, fmt or "table", no_color=no_color)
    elif result.text is not None:
        if output:
            _write(output, result.text, force=force, bom=fmt == "csv")
        else:
            sys.stdout.write(result.text)
    if result.written:
        print(f"已写入 {result.written}", file=sys.stderr)
    if result.message:
        fail(result.message)
    return int(result.exit_code)


def _write(path: str, text: str, *, force: bool, bom: bool) -> None:
    from rsguide.output import write_atomic

    written = write_atomic(path, text, force=force, bom=bom)
    print(f"已写入 {written}", file=sys.stderr)
