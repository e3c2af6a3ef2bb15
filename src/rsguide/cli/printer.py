"""Printing a :class:`~rsguide.commands.Result` on the command line: stdout, ``-o FILE`` or stderr."""

from __future__ import annotations

import sys

from rsguide.cli.pager import is_terminal, page, screen_size, too_tall
from rsguide.cli.streams import fail, say, silence_closed_pipes
from rsguide.commands import Result
from rsguide.errors import ExitCode

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from rsguide.output.render import Output

MACHINE_FORMATS = ("json", "yaml", "csv")


def deliver(
    result: Result, *, fmt: str | None, output: str | None, force: bool, no_color: bool, no_pager: bool = False
) -> int:
    """Print or write ``result``; returns its exit code — also when the reader of a pipe went away
    (``rsguide check … | head -1``): the verdict's code must not become 0 (可以受理) on the way."""
    try:
        _deliver(result, fmt=fmt, output=output, force=force, no_color=no_color, no_pager=no_pager)
    except BrokenPipeError:
        silence_closed_pipes()
        if result.message:  # stdout's reader went away; stderr may still be read
            fail(result.message)
    return int(result.exit_code)


def _deliver(result: Result, *, fmt: str | None, output: str | None, force: bool, no_color: bool, no_pager: bool) -> None:
    for note in result.notes:
        say(f"经办人注意：{note}")
    show = result.exit_code == ExitCode.OK or result.screen_on_failure or fmt in MACHINE_FORMATS
    if result.output is not None and show:
        from rsguide.output import render

        if output:
            _write(output, render.text_of(result.output, fmt or "plain"), force=force, bom=fmt == "csv")
        elif no_pager or not is_terminal(sys.stdout) or fmt in MACHINE_FORMATS:
            render.render(result.output, fmt or "table", no_color=no_color)
        else:
            _screen(result.output, fmt or "table", no_color=no_color)
    elif result.text is not None:
        if output:
            _write(output, result.text, force=force, bom=fmt == "csv")
        elif result.save_as and is_terminal(sys.stdout):
            from rsguide.output.files import write_atomic

            saved = write_atomic(result.save_as, result.text)
            say(f"已保存为 {saved}，用浏览器打开后打印（在终端查看请加 --format plain）")
        else:
            _to_stdout(result.text, paged=not no_pager)
    if result.written:
        say(f"已写入 {result.written}")
    if result.message:
        fail(result.message)


def _screen(out: Output, fmt: str, *, no_color: bool) -> None:
    """On a terminal: rendered at the screen's width, through the pager when taller than the screen."""
    import io

    from rsguide.output import render

    buffer = io.StringIO()
    if fmt == "table":
        columns, _ = screen_size()
        render.print_table(out.blocks, buffer, color=render.use_color(sys.stdout, no_color), width=columns)
    else:
        buffer.write(render.text_of(out, fmt))
    _to_stdout(buffer.getvalue(), paged=True)


def _to_stdout(text: str, *, paged: bool) -> None:
    """``text`` on stdout; through the pager when it is a terminal and ``text`` is taller than the screen."""
    if paged and is_terminal(sys.stdout) and too_tall(text):
        page(text)
    else:
        sys.stdout.write(text)


def _write(path: str, text: str, *, force: bool, bom: bool) -> None:
    from rsguide.output.files import write_atomic

    written = write_atomic(path, text, force=force, bom=bom)
    say(f"已写入 {written}")
