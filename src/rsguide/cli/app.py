"""The Typer application, generated from :data:`rsguide.cli.spec.COMMANDS`.

It serves help and shell completion, and runs commands through the same
:func:`rsguide.cli.main.execute` as the fast path: every value reaches the command as text and is
converted by :func:`rsguide.cli.spec.convert`, so a bad value gets the same message either way.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any, Optional

import typer

from rsguide.cli.help import command_words, help_for
from rsguide.cli.spec import COMMANDS, EXIT_CODES_HELP, GLOBALS, GROUPS, HELP_FLAGS, CommandSpec, Param, usage_hint
from rsguide.cli.streams import configure_streams, fail, quiet_exit, run_guarded
from rsguide.errors import ExitCode


def _completer(p: Param, formats: tuple[str, ...]) -> Any:
    """Typer's completion callback for ``p`` (``None`` when nothing is offered)."""
    if not p.complete:
        return None

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from rsguide.cli.complete import candidates

        params = {**(ctx.parent.params if ctx.parent else {}), **ctx.params}
        return candidates(p.complete, incomplete, params, formats)

    return complete


def _annotation(p: Param, *, hidden: bool = False, formats: tuple[str, ...] = ()) -> Any:
    """The Typer annotation of one parameter: text, a list of text or a flag."""
    if not p.flags:
        info_arg = typer.Argument(
            help=p.help,
            show_default=False,
            metavar=p.metavar or p.name.upper(),
            autocompletion=_completer(p, formats),
        )
        return Annotated[Optional[str], info_arg]
    info = typer.Option(
        *p.flags,
        help=p.help,
        hidden=hidden,
        show_default=False,
        metavar=p.metavar or None,
        autocompletion=_completer(p, formats),
    )
    if p.kind == "flag":
        return Annotated[bool, info]
    if p.kind == "multi":
        return Annotated[Optional[list[str]], info]
    return Annotated[Optional[str], info]


def _default(p: Param) -> Any:
    return False if p.kind == "flag" else None


def _command(spec: CommandSpec) -> Any:
    """A function Typer can register for ``spec``, with the signature read from the declaration."""

    def run(ctx: typer.Context, **kwargs: Any) -> int:
        options = dict(ctx.obj or {})
        for g in GLOBALS:  # the global options may also follow the command
            if kwargs.get(g.name):
                options[g.name] = kwargs.pop(g.name)
            else:
                kwargs.pop(g.name, None)
        from rsguide.cli.main import execute

        return execute(spec, {k: v for k, v in kwargs.items() if v not in (None, False, [])}, options)

    params = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    params += [
        inspect.Parameter(
            p.name, inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(p, formats=spec.formats), default=_default(p)
        )
        for p in spec.params
    ]
    params += [
        inspect.Parameter(g.name, inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(g, hidden=True), default=None)
        for g in GLOBALS
    ]
    run.__signature__ = inspect.Signature(params, return_annotation=int)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params} | {"return": int}
    run.__doc__ = "\n\n".join(x for x in (spec.summary, spec.help, "例：" + "；".join(spec.examples)) if x)
    run.__name__ = spec.name.split()[-1]
    return run


def _version(value: bool) -> None:
    if value:
        from rsguide import __version__

        print(f"rsguide {__version__}")
        raise typer.Exit(0)


def build() -> typer.Typer:
    """The application."""
    app = typer.Typer(
        name="rsguide",
        help=(
            "人社窗口办事指南查询：事项、材料、办理路径、时限、禁办与容缺。\n\n"
            "例：rsguide show 失业登记　rsguide materials 4 --when 代办　rsguide check 14 --missing 身份证\n\n"
            + EXIT_CODES_HELP
        ),
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        invoke_without_command=True,
    )
    groups = {name: typer.Typer(help=text, rich_markup_mode=None) for name, text in GROUPS.items()}
    for name, sub in groups.items():
        app.add_typer(sub, name=name)

    @app.callback()
    def root(
        ctx: typer.Context,
        data: _annotation(GLOBALS[0]) = None,  # type: ignore[valid-type]
        no_color: _annotation(GLOBALS[1]) = False,  # type: ignore[valid-type]
        no_cache: _annotation(GLOBALS[2]) = False,  # type: ignore[valid-type]
        no_pager: _annotation(GLOBALS[3]) = False,  # type: ignore[valid-type]
        version: Annotated[
            bool, typer.Option("--version", "-V", help="显示版本", callback=_version, is_eager=True)
        ] = False,
    ) -> None:
        """Global options; with no command, the interactive session on a terminal."""
        ctx.obj = {"data": data, "no_color": no_color, "no_cache": no_cache, "no_pager": no_pager}
        if ctx.invoked_subcommand is None:
            from rsguide.cli.main import _bare

            raise typer.Exit(_bare(ctx.obj))

    for spec in COMMANDS.values():
        words = spec.name.split()
        target = groups[words[0]] if len(words) > 1 else app
        target.command(words[-1])(_command(spec))
    return app


def print_help(args: list[str]) -> None:
    """Print the help of ``rsguide ARGS`` (rsguide's own, in Chinese, by display width)."""
    print(help_for(command_words(args)), end="")


def _is_click_error(exc: Exception) -> bool:
    """Click's own errors (Typer vendors Click privately; they are recognised by their shape)."""
    return hasattr(exc, "format_message") and hasattr(exc, "exit_code") and not isinstance(exc, typer.Exit)


def translate(exc: Exception, args: list[str]) -> str:
    """Click's English errors in the words of :mod:`rsguide.cli.argv`."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path.removeprefix("rsguide").strip() if ctx is not None else ""
    where = where or " ".join(command_words(args))
    hint = usage_hint(where or None)
    kind = {cls.__name__ for cls in type(exc).__mro__}
    msg = str(getattr(exc, "message", exc))
    option = str(getattr(exc, "option_name", ""))
    if "NoSuchOption" in kind:
        return f"没有选项 {option[:30]}；{hint}"
    if "BadOptionUsage" in kind and "requires an argument" in msg:
        return f"选项 {option} 后面缺少内容；{hint}"
    if "UsageError" in kind:
        if msg.startswith("No such command"):
            from rsguide.cli.argv import unknown_command

            word = msg.split("'")[1] if "'" in msg else msg
            return str(unknown_command(word))
        if msg.startswith("Got unexpected extra argument"):
            word = msg[msg.rfind("(") + 1 : msg.rfind(")")].split()[0]
            return f'多余的参数“{word[:20]}”；含空格的查询请加引号，例如 rsguide show "失业 登记"'
        if msg.startswith("Missing command"):
            return f"命令 rsguide {where} 后面缺少子命令；{hint}"
        return f"用法错误（{msg}）；{hint}"
    return msg


def invoke(args: list[str]) -> int:
    """Run the application on ``args`` and return the exit code (errors already reported)."""
    if any(a in HELP_FLAGS for a in args):
        print_help(args)
        return ExitCode.OK
    try:
        result = typer.main.get_command(build()).main(args=args, prog_name="rsguide", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        raise KeyboardInterrupt from None
    except Exception as exc:
        if not _is_click_error(exc):
            raise
        fail(translate(exc, args))
        return ExitCode.USAGE
    return result if isinstance(result, int) else ExitCode.OK


def main(args: list[str]) -> None:
    """Run the Typer application as the whole process."""
    configure_streams()
    quiet_exit(run_guarded(lambda: invoke(args)))
