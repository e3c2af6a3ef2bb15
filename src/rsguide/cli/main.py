"""The ``rsguide`` entry point.

Every invocation is read by :mod:`rsguide.cli.argv` and run here, help pages come from
:mod:`rsguide.cli.help`; only shell completion builds the Typer application (:mod:`rsguide.cli.app`),
which is generated from the same declarations and runs commands through the same :func:`execute`.
"""

from __future__ import annotations

import os
import sys

from rsguide.cli.spec import HELP_FLAGS, CommandSpec, convert
from rsguide.cli.streams import configure_streams, fail, quiet_exit, run_guarded
from rsguide.errors import ExitCode


def execute(spec: CommandSpec, raw: dict[str, object], options: dict[str, object]) -> int:
    """Run ``spec`` with the text values a front end read and the global ``options``; print the result."""
    from rsguide.session import Session

    data = options.get("data")
    session = Session(str(data) if data else None, use_cache=not options.get("no_cache"))
    no_color = bool(options.get("no_color"))
    if spec.name == "repl":
        from rsguide.cli.repl import run_repl

        return run_repl(session, no_color=no_color)
    from rsguide import commands
    from rsguide.cli.printer import deliver

    values = convert(spec, raw)
    result = commands.run(spec, session, values)
    fmt = values.get("fmt")
    out = values.get("output")
    return deliver(
        result,
        fmt=str(fmt) if fmt else None,
        output=str(out) if out else None,
        force=bool(values.get("force")),
        no_color=no_color,
        no_pager=bool(options.get("no_pager")),
    )


def _bare(options: dict[str, object]) -> int:
    """``rsguide`` alone: the interactive session on a terminal, the help otherwise."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from rsguide.cli.spec import COMMANDS

        return execute(COMMANDS["repl"], {}, options)
    from rsguide.cli.help import root_help

    print(root_help(), end="")
    return ExitCode.USAGE


def run_args(args: list[str]) -> int:
    """Parse and run one command line."""
    from rsguide.cli.argv import parse

    inv = parse(args)
    if inv.version:
        from rsguide import __version__

        print(f"rsguide {__version__}")
        return ExitCode.OK
    if inv.spec is None:
        return _bare(inv.globals)
    return execute(inv.spec, inv.raw, inv.globals)


def _wants_typer(args: list[str]) -> bool:
    """Shell completion is Typer's."""
    if any(key.endswith("_COMPLETE") and key.startswith("_RSGUIDE") for key in os.environ):
        return True
    return any(a.startswith(("--install-completion", "--show-completion")) for a in args)


def _print(text: str) -> int:
    sys.stdout.write(text)
    return ExitCode.OK


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``rsguide`` command."""
    try:
        args = list(sys.argv[1:] if argv is None else argv)
        configure_streams()
        options = args[: args.index("--")] if "--" in args else args
        if any(a in HELP_FLAGS for a in options):
            from rsguide.cli.help import command_words, help_for

            quiet_exit(run_guarded(lambda: _print(help_for(command_words(args)))))
            return
        if _wants_typer(args):
            from rsguide.cli.app import main as app_main

            app_main(args)
            return
        quiet_exit(run_guarded(lambda: run_args(args)))
    except KeyboardInterrupt:  # Ctrl-C while Python was still importing
        fail("已中断")
        quiet_exit(int(ExitCode.INTERRUPTED))
