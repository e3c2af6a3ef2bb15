"""Reading the command line from :data:`rsguide.cli.spec.COMMANDS`, without building Typer.

Every invocation that is not a request for help or shell completion is parsed here; global
options (``--data``, ``--no-color``, ``--no-cache``) are accepted before or after the command.
"""

from __future__ import annotations

from rsguide.cli.spec import COMMANDS, GLOBALS, GROUPS, HELP_FLAGS, VERSION_FLAGS, CommandSpec, Param, usage_hint
from rsguide.errors import UsageError
from rsguide.records import dataclass, field


@dataclass
class Invocation:
    """A parsed command line."""

    spec: CommandSpec | None
    """``None``: no command (the interactive session on a terminal, help otherwise)."""
    raw: dict[str, object] = field(default_factory=dict)
    globals: dict[str, object] = field(default_factory=dict)
    help: bool = False
    version: bool = False


_GLOBAL_FLAGS = {flag: p for p in GLOBALS for flag in p.flags}


def _command_names() -> list[str]:
    return sorted({name.split()[0] for name in COMMANDS})


def unknown_command(word: str) -> UsageError:
    """The message for a command that does not exist, with the nearest one."""
    import difflib

    near = difflib.get_close_matches(word, _command_names(), n=1)
    hint = f"您是不是要运行 rsguide {near[0]}？" if near else ""
    return UsageError(f"没有这个命令“{word[:20]}”", hint=hint + "运行 rsguide --help 查看全部命令")


def _option_of(spec: CommandSpec, token: str) -> tuple[Param, str | None] | None:
    """The option ``token`` names (``--limit``, ``--limit=5``, ``-n5``) and an inline value."""
    name, eq, value = token.partition("=")
    for p in spec.options:
        if name in p.flags and (eq or not token.startswith("--") or "=" not in token):
            return p, value if eq else None
    if not token.startswith("--") and len(token) > 2:
        for p in spec.options:
            if token[:2] in p.flags and p.takes_value:
                return p, token[2:]
    return None


def parse(args: list[str]) -> Invocation:
    """Parse ``args`` (without the program name); raises :class:`UsageError` in Chinese."""
    inv = Invocation(None)
    words: list[str] = []  # the command's name, then its arguments
    values: dict[str, object] = {}
    only_arguments = False
    i = 0
    while i < len(args):
        token = args[i]
        i += 1
        if only_arguments or not token.startswith("-") or token == "-":
            words.append(token)
            if inv.spec is None:
                inv.spec = _command(words)
            continue
        if token == "--":
            only_arguments = True
            continue
        if token in HELP_FLAGS:
            inv.help = True
            continue
        if token in VERSION_FLAGS:
            inv.version = True
            continue
        name, eq, inline = token.partition("=")
        if name in _GLOBAL_FLAGS:
            p = _GLOBAL_FLAGS[name]
            if p.takes_value:
                if not eq:
                    if i >= len(args):
                        raise UsageError(f"选项 {name} 后面缺少内容", hint=usage_hint(None))
                    inline = args[i]
                    i += 1
                inv.globals[p.name] = inline
            else:
                inv.globals[p.name] = True
            continue
        found = _option_of(inv.spec, token) if inv.spec is not None else None
        if found is None:
            where = inv.spec.name if inv.spec is not None else None
            raise UsageError(f"没有选项 {name[:30]}", hint=usage_hint(where))
        p, value = found
        if p.takes_value and value is None:
            if i >= len(args):
                raise UsageError(f"选项 {name} 后面缺少内容", hint=usage_hint(inv.spec.name if inv.spec else None))
            value = args[i]
            i += 1
        if p.kind == "flag":
            values[p.name] = True
        elif p.kind == "multi":
            values.setdefault(p.name, [])
            values[p.name].append(value)  # type: ignore[attr-defined]
        else:
            values[p.name] = value
    if words and inv.spec is None and not inv.help:
        raise UsageError(f"命令 rsguide {words[0]} 后面缺少子命令", hint=f"运行 rsguide {words[0]} --help 查看用法")
    if inv.spec is not None:
        given = words[len(inv.spec.name.split()) :]
        arguments = inv.spec.arguments
        if len(given) > len(arguments) and not inv.help:
            raise UsageError(
                f"多余的参数“{given[len(arguments)][:20]}”",
                hint='含空格的查询请加引号，例如 rsguide show "失业 登记"',
            )
        for p, word in zip(arguments, given, strict=False):
            values[p.name] = word
    inv.raw = values
    return inv


def _command(words: list[str]) -> CommandSpec | None:
    """The command ``words`` name so far; ``None`` while a group waits for its sub-command."""
    head = words[0]
    if head in GROUPS:
        if len(words) < 2:
            return None
        spec = COMMANDS.get(f"{head} {words[1]}")
        if spec is None:
            raise UsageError(f"没有命令“{head} {words[1][:20]}”", hint=f"运行 rsguide {head} --help 查看用法")
        return spec
    spec = COMMANDS.get(head)
    if spec is None:
        raise unknown_command(head)
    return spec
