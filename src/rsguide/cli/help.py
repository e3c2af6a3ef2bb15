"""Help pages in Chinese, laid out by display width, written from :data:`rsguide.cli.spec.COMMANDS`.

Click counts a Chinese character as one column and prints its own English words (Usage:, Options:,
Show this message and exit.); rsguide's help is written here instead, for every front end.
"""

from __future__ import annotations

from rsguide.cli.spec import (
    COMMANDS,
    EXIT_CODES_HELP,
    GLOBALS,
    GROUPS,
    HELP_FLAGS,
    VERSION_FLAGS,
    CommandSpec,
    Param,
)
from rsguide.output.layout import width as cells  # display width: a Chinese character takes two columns

WIDTH = 80
INTRO = "人社窗口办事指南查询：事项、材料、办理路径、时限、禁办与容缺。"
ROOT_EXAMPLES = (
    "rsguide show 失业登记",
    "rsguide materials 4 --when 代办",
    "rsguide check 14 --missing 身份证复印件",
    "rsguide search 社保卡丢了",
)
_CLOSING = set("，。、；：！？）」》’”")


def _units(text: str) -> list[str]:
    """Pieces a line may break between: an ASCII word whole, a Chinese character alone, closing
    punctuation kept with what precedes it."""
    units: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            if ch in "|,":  # a list of choices may break after its separators
                units.append(word)
                word = ""
            continue
        if word:
            units.append(word)
            word = ""
        if ch in _CLOSING and units:
            units[-1] += ch
        else:
            units.append(ch)
    if word:
        units.append(word)
    return units


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, never inside an ASCII word or before closing punctuation."""
    lines: list[str] = []
    line = ""
    for unit in _units(text):
        if line and cells(line + unit) > width:
            lines.append(line.rstrip())
            line = unit.lstrip()
        else:
            line += unit
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _rows(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Two columns: names, then the text wrapped under its own column."""
    if not rows:
        return []
    left = min(max(cells(name) for name, _ in rows), 26) + 4
    out: list[str] = []
    for name, text in rows:
        body = wrap(text, max(20, width - left))
        if cells(name) + 4 > left:
            out.append("  " + name)
            out += [" " * left + line for line in body]
            continue
        out.append("  " + name + " " * (left - 2 - cells(name)) + body[0])
        out += [" " * left + line for line in body[1:]]
    return out


def _option_name(p: Param) -> str:
    flags = ", ".join(sorted(p.flags, key=len))
    return f"{flags} {p.metavar}" if p.takes_value and p.metavar else flags


def _option_text(p: Param) -> str:
    text = p.help
    if p.kind == "multi" and "可多次" not in text:
        text += "（可多次）"
    if p.default not in (None, False, "") and "默认" not in text:
        text += f"（默认 {p.default}）"
    return text


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", title, *lines] if lines else []


def _global_rows() -> list[tuple[str, str]]:
    rows = [(_option_name(p), p.help) for p in GLOBALS]
    rows.append((", ".join(reversed(VERSION_FLAGS)), "显示版本"))
    rows.append((", ".join(reversed(HELP_FLAGS)), "显示本帮助"))
    return rows


def root_help(width: int = WIDTH) -> str:
    """``rsguide --help``."""
    commands: list[tuple[str, str]] = []
    for spec in COMMANDS.values():
        words = spec.name.split()
        if len(words) == 1:
            commands.append((spec.name, spec.summary))
        elif not any(name == words[0] for name, _ in commands):
            commands.append((words[0], GROUPS[words[0]].split("例：")[0].rstrip("。") + "。"))
    lines = ["用法：rsguide [全局选项] 命令 [参数和选项]", "", *wrap(INTRO, width)]
    lines += _section("命令：", _rows(commands, width))
    lines += _section("全局选项（写在命令前后都可以）：", _rows(_global_rows(), width))
    lines += _section("例：", ["  " + e for e in ROOT_EXAMPLES])
    lines += ["", "每个命令的用法：rsguide 命令 --help。Tab 补全：rsguide --install-completion。"]
    lines += ["", *wrap(EXIT_CODES_HELP, width)]
    return "\n".join(lines) + "\n"


def group_help(group: str, width: int = WIDTH) -> str:
    """``rsguide cache --help``."""
    subs = [(spec.name.split()[1], spec.summary) for spec in COMMANDS.values() if spec.name.startswith(group + " ")]
    lines = [f"用法：rsguide {group} 子命令", "", *wrap(GROUPS[group], width)]
    lines += _section("子命令：", _rows(subs, width))
    return "\n".join(lines) + "\n"


def command_help(spec: CommandSpec, width: int = WIDTH) -> str:
    """``rsguide COMMAND --help``."""
    args = " ".join(
        p.metavar or p.name.upper() if p.required else f"[{p.metavar or p.name.upper()}]" for p in spec.arguments
    )
    usage = f"用法：rsguide {spec.name}" + (f" {args}" if args else "") + (" [选项]" if spec.options else "")
    lines = [usage, "", *wrap(spec.summary, width)]
    if spec.help:
        lines += wrap(spec.help, width)
    lines += _section("参数：", _rows([(p.metavar or p.name.upper(), p.help) for p in spec.arguments], width))
    lines += _section("选项：", _rows([(_option_name(p), _option_text(p)) for p in spec.options], width))
    lines += _section("全局选项：", _rows(_global_rows(), width))
    lines += _section("例：", ["  " + e for e in spec.examples])
    return "\n".join(lines) + "\n"


def command_words(args: list[str]) -> list[str]:
    """The command ``args`` name: ``["show"]``, ``["cache", "info"]``, ``["cache"]`` or ``[]``."""
    words = [a for a in args if not a.startswith("-")]
    if len(words) > 1 and f"{words[0]} {words[1]}" in COMMANDS:
        return words[:2]
    return words[:1] if words and (words[0] in COMMANDS or words[0] in GROUPS) else []


def help_for(words: list[str]) -> str:
    """The help page for the command named by ``words`` (``[]``: the root)."""
    if not words:
        return root_help()
    if words[0] in GROUPS:
        sub = f"{words[0]} {words[1]}" if len(words) > 1 else ""
        return command_help(COMMANDS[sub]) if sub in COMMANDS else group_help(words[0])
    return command_help(COMMANDS[words[0]]) if words[0] in COMMANDS else root_help()
