"""Every command's arguments and options, declared once.

The Typer application (:mod:`rsguide.cli.app`), the argument parser of the fast path
(:mod:`rsguide.cli.argv`) and the interactive session (:mod:`rsguide.cli.repl`) are all built from
:data:`COMMANDS`. Values arrive as text and are converted here (:func:`convert`), so that a bad
value gets the same Chinese message whichever front end read it.

This module is imported on every run: it imports nothing but the standard library's basics.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from rsguide.errors import UsageError

Kind = Literal["text", "int", "flag", "multi"]

FORMATS = ("table", "plain", "json", "yaml", "csv", "markdown")
EXPORT_FORMATS = ("json", "yaml", "csv", "markdown", "xlsx", "sqlite")
NOTICE_FORMATS = ("html", "markdown", "plain")
FORMAT_ALIASES = {"md": "markdown", "txt": "plain", "text": "plain", "yml": "yaml", "htm": "html"}


@dataclass(frozen=True)
class Param:
    """One argument (no ``flags``) or option of a command."""

    name: str
    """The keyword the command body receives."""
    flags: tuple[str, ...]
    """``("--limit", "-n")``; empty for a positional argument."""
    help: str
    kind: Kind = "text"
    default: str | int | bool | None = None
    required: bool = False
    repl: tuple[str, ...] = ()
    """How the interactive session spells it (``/when``, ``/条件`` …); empty: not offered there."""
    bounds: tuple[int, int] | None = None
    metavar: str = ""
    body: bool = True
    """Whether the command body receives it (``--format``, ``-o`` and ``--force`` are the printer's)."""
    complete: str = ""
    """What shell completion offers (:mod:`rsguide.cli.complete`): item, format, when, case, channel, kind, district."""

    @property
    def label(self) -> str:
        """How messages name it: ``--limit`` or ``QUERY``."""
        return self.flags[0] if self.flags else (self.metavar or self.name.upper())

    @property
    def takes_value(self) -> bool:
        """Options other than flags take a value."""
        return self.kind != "flag"


@dataclass(frozen=True)
class CommandSpec:
    """One command: its help, its parameters and where its body lives."""

    name: str
    """``show``; a sub-command is written ``cache info``."""
    summary: str
    help: str
    examples: tuple[str, ...]
    params: tuple[Param, ...]
    body: str
    """``module:function`` under :mod:`rsguide.commands`."""
    formats: tuple[str, ...] = ()
    """Output formats; empty: the command prints text of its own and has no --format."""
    default_format: str = "table"
    format_to_body: bool = False
    """Whether the body renders the format itself (notice, export)."""
    output_to_body: bool = False
    """Whether the body writes ``-o`` itself (export's binary formats)."""

    def param(self, name: str) -> Param:
        """The parameter called ``name``."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def arguments(self) -> tuple[Param, ...]:
        """The positional parameters, in order."""
        return tuple(p for p in self.params if not p.flags)

    @property
    def options(self) -> tuple[Param, ...]:
        """The options."""
        return tuple(p for p in self.params if p.flags)


# ── options shared by several commands ──

GLOBALS: tuple[Param, ...] = (
    Param("data", ("--data",), "知识库目录（默认：内置的鞍山市知识库；也可设环境变量 RSGUIDE_DATA）", metavar="目录"),
    Param("no_color", ("--no-color",), "不使用颜色", kind="flag", default=False),
    Param("no_cache", ("--no-cache",), "不读写编译缓存，直接读取 YAML", kind="flag", default=False),
    Param(
        "no_pager",
        ("--no-pager",),
        "不分页（默认：在终端上超过一屏时用 $PAGER 或 less 分页）",
        kind="flag",
        default=False,
    ),
)
"""Options of every command, accepted before or after the command's name."""

VERSION_FLAGS = ("--version", "-V")
HELP_FLAGS = ("--help", "-h")


def _format(formats: tuple[str, ...], default: str) -> Param:
    return Param(
        "fmt",
        ("--format", "-f"),
        "输出格式：" + "|".join(formats),
        default=default,
        metavar="格式",
        body=False,
        complete="format",
    )


OUTPUT = Param("output", ("--output", "-o"), "写入文件（不覆盖已有文件，除非加 --force）", metavar="文件", body=False)
FORCE = Param("force", ("--force",), "允许覆盖已有的输出文件", kind="flag", default=False, body=False)
CHANNEL = Param(
    "channel",
    ("--channel", "-c"),
    "办理渠道：窗口办|网上办|掌上办|自助办（默认窗口办）",
    repl=("channel", "c", "渠道"),
    metavar="渠道",
    complete="channel",
)
CASE = Param(
    "case", ("--case",), "办理情形，如 转入、转出、初级职称", repl=("case", "情形"), metavar="情形", complete="case"
)
WHEN = Param(
    "when",
    ("--when", "-w"),
    "适用条件，可多次：代办、首次备案、劳动争议……",
    kind="multi",
    repl=("when", "w", "条件"),
    metavar="条件",
    complete="when",
)
MISSING = Param(
    "missing",
    ("--missing", "-m"),
    "申请人缺的材料（可多次）",
    kind="multi",
    repl=("missing", "m", "缺"),
    metavar="材料",
)
DATE = Param("date", ("--date",), "受理日期 YYYY-MM-DD（默认今天）", repl=("date", "d", "日期"), metavar="日期")
QUERY = Param("query", (), "序号（4、第4项）、名称、别名或口语说法", required=True, metavar="事项", complete="item")


def _with_output(formats: tuple[str, ...], default: str = "table") -> tuple[Param, ...]:
    return (_format(formats, default), OUTPUT, FORCE)


EXIT_CODES_HELP = (
    "退出码：0 找到/可以受理/容缺受理；1 没有找到；2 用法错误；3 知识库有误；"
    "4 材料不全（check）；5 禁办（check）；6 输出文件无法写入；7 禁办情形待确认（check）；130 被中断。"
)

COMMANDS: dict[str, CommandSpec] = {
    c.name: c
    for c in (
        CommandSpec(
            "show",
            "显示事项卡片：要带的材料、办理地点、时限、电话、禁办与容缺（--full 显示全部信息）。",
            "",
            ("rsguide show 失业登记", "rsguide show 4 --full", "rsguide show 4 --format json"),
            (
                QUERY,
                Param(
                    "full",
                    ("--full",),
                    "显示全部信息（默认只显示窗口要用的部分）",
                    kind="flag",
                    default=False,
                    repl=("full", "完整"),  # 全部 is /all of m
                ),
                *_with_output(FORMATS),
            ),
            "show:show",
            FORMATS,
        ),
        CommandSpec(
            "search",
            "按相关程度列出匹配的事项（含得分与匹配原因）。",
            "",
            ("rsguide search 社保卡丢了", "rsguide search sbk --format json"),
            (
                Param("query", (), "关键词、口语、拼音或材料名称", required=True, metavar="关键词"),
                Param(
                    "limit", ("--limit", "-n"), "最多显示几条", kind="int", default=10, bounds=(1, 1000), metavar="条数"
                ),
                *_with_output(FORMATS),
            ),
            "search:search",
            FORMATS,
        ),
        CommandSpec(
            "materials",
            "列出申请人需要带的材料清单（原件/复印件、份数、容缺标记）。",
            "",
            ("rsguide materials 失业保险金申领 --when 代办", "rsguide materials 10 --case 转出"),
            (
                Param("query", (), "事项序号、名称或说法", required=True, metavar="事项", complete="item"),
                CHANNEL,
                CASE,
                WHEN,
                Param(
                    "all_channels",
                    ("--all-channels",),
                    "列出所有渠道的材料",
                    kind="flag",
                    default=False,
                    repl=("all", "全部"),
                ),
                *_with_output(FORMATS),
            ),
            "materials:materials",
            FORMATS,
        ),
        CommandSpec(
            "offices",
            "县（市）区办事窗口与市级办事地点、平台、APP：地址与电话。",
            "",
            ("rsguide offices", "rsguide offices 铁西", "rsguide offices --item 14"),
            (
                Param(
                    "query", (), "按区县或名称筛选，如 铁西、海城、社保中心", metavar="区县或名称", complete="district"
                ),
                Param(
                    "item", ("--item", "-i"), "只看某个事项的办理地点（序号或名称）", metavar="事项", complete="item"
                ),
                Param(
                    "kind",
                    ("--kind",),
                    "district_window|venue|generic|bank|platform|app|machine",
                    metavar="种类",
                    complete="kind",
                ),
                *_with_output(FORMATS),
            ),
            "offices:offices",
            FORMATS,
        ),
        CommandSpec(
            "export",
            "导出整个知识库（或筛选后的部分），供脚本、Excel、数据库和 wiki 使用。",
            "",
            ("rsguide export --format json -o kb.json", "rsguide export --format csv --table materials -o m.csv"),
            (
                *_with_output(EXPORT_FORMATS, "json"),
                Param(
                    "category", ("--category",), "只导出某类别（类别序号或名称，可多次）", kind="multi", metavar="类别"
                ),
                Param("channel", ("--channel",), "只导出提供该渠道的事项", metavar="渠道", complete="channel"),
                Param(
                    "item",
                    ("--item",),
                    "只导出这些事项（序号或名称，可多次）",
                    kind="multi",
                    metavar="事项",
                    complete="item",
                ),
                Param(
                    "table",
                    ("--table",),
                    "CSV 导出哪张表：items|materials|paths|time_limits|offices|prohibited|tolerated"
                    "（默认 materials；只用于 --format csv）",
                    metavar="表",
                ),
            ),
            "export:export",
            EXPORT_FORMATS,
            "json",
            format_to_body=True,
            output_to_body=True,
        ),
        CommandSpec(
            "check",
            "判断申请能否受理：禁办、材料是否齐全、能否容缺受理，并按法定工作日算补正截止日和办结日。",
            "有禁办情形的事项，须由 --situation 确定或排除每一种情形，否则结论为“待确认”并列出要核对的问题。"
            "退出码：0 可以受理或容缺受理；2 材料说法对应多份材料（请写明）；4 材料不全；5 禁办（不予受理）；7 禁办情形待确认。",
            (
                "rsguide check 14 --missing 身份证复印件 --date 2026-12-01",
                "rsguide check 18 -s 职称是外省评的",
                "rsguide check 18 -s 无",
                "rsguide check 14 -m 身份证复印件 --document 容缺受理通知书.html",
            ),
            (
                Param(
                    "subject",
                    (),
                    "事项（序号、名称、说法）或禁办/容缺清单中的业务",
                    required=True,
                    metavar="事项",
                    complete="item",
                ),
                Param(
                    "have",
                    ("--have",),
                    "申请人带了的材料（可多次）；写了 --have，其余材料视为没带",
                    kind="multi",
                    repl=("have", "有"),
                    metavar="材料",
                ),
                MISSING,
                Param(
                    "situation",
                    ("--situation", "-s"),
                    "申请人的情况（与禁办情形比对）、禁办情形编号（禁办3、不是禁办3），或 无（可多次）",
                    kind="multi",
                    repl=("situation", "s", "情况"),
                    metavar="情形",
                ),
                WHEN,
                CASE,
                replace(CHANNEL, help="办理渠道（默认窗口办）"),
                DATE,
                _format(FORMATS, "table"),
                OUTPUT,
                # the paper the verdict calls for (rsguide.output.documents); --force covers it too
                Param(
                    "document",
                    ("--document",),
                    "把结论对应的文书（受理/容缺受理/补正材料/不予受理通知书）写入文件："
                    ".html 可打印，.md/.txt 为文本（其他文件名按 --format，默认 html）",
                    repl=("doc", "document", "文书"),
                    metavar="文件",
                ),
                Param("force", FORCE.flags, FORCE.help, kind="flag", default=False),
            ),
            "check:check",
            FORMATS,
            format_to_body=True,
        ),
        CommandSpec(
            "validate",
            "检查知识库：语法、类型、必填项、引用、重复序号，以及维护者需要注意的警告。",
            "",
            ("rsguide validate --data ./my-city",),
            (Param("strict", ("--strict",), "有警告时也以非零退出码结束", kind="flag", default=False),),
            "validate:validate",
        ),
        CommandSpec(
            "notice",
            "生成一次性告知单（A4 可打印 HTML，或 Markdown/纯文本）。",
            "",
            ("rsguide notice 失业保险金申领 --when 代办 -o 告知单.html",),
            (
                Param("query", (), "事项序号、名称或说法", required=True, metavar="事项", complete="item"),
                CASE,
                WHEN,
                replace(MISSING, help="申请人缺的材料（写入容缺条款，可多次）"),
                replace(CHANNEL, help="办理渠道（默认窗口办）"),
                replace(DATE, help="告知日期 YYYY-MM-DD（默认今天）"),
                _format(NOTICE_FORMATS, "html"),
                replace(OUTPUT, repl=("o", "out", "html")),
                FORCE,
            ),
            "notice:notice",
            NOTICE_FORMATS,
            "html",
            format_to_body=True,
        ),
        CommandSpec(
            "repl",
            "交互式查询（服务大厅终端整天开着用）：输入事项即显示，? 查看命令。",
            "",
            ("rsguide repl（在终端里直接运行 rsguide 也会进入）",),
            (),
            "",
        ),
        CommandSpec(
            "stats",
            "统计：各类别事项数、各渠道覆盖、即时办结与限时办结、可容缺事项、源文件说明条数。",
            "",
            ("rsguide stats", "rsguide stats --format json"),
            _with_output(FORMATS),
            "reports:stats",
            FORMATS,
        ),
        CommandSpec(
            "diff",
            "比较两个版本的知识库：事项的增删，以及材料、路径、时限、地点、禁办容缺清单、检索词表的变化。",
            "",
            ("rsguide diff data-2025 data-2026",),
            (
                Param("old_dir", (), "旧版知识库目录", required=True, metavar="旧目录"),
                Param("new_dir", (), "新版知识库目录", required=True, metavar="新目录"),
                *_with_output(FORMATS),
            ),
            "reports:diff",
            FORMATS,
        ),
        CommandSpec(
            "cache info", "显示缓存目录和当前知识库的缓存文件。", "", ("rsguide cache info",), (), "cache:info"
        ),
        CommandSpec(
            "cache clear", "删除所有编译缓存（下次运行时自动重建）。", "", ("rsguide cache clear",), (), "cache:clear"
        ),
    )
}

GROUPS = {"cache": "编译缓存：查看或清除。例：rsguide cache info"}
"""Command groups: the name before a sub-command."""


# ── converting values ──


def usage_hint(command: str | None) -> str:
    """Where to read the usage of ``command``."""
    return f"运行 rsguide {command} --help 查看用法" if command else "运行 rsguide --help 查看用法"


def bad_value(param: Param, value: object, expected: str) -> UsageError:
    """The one message for a value an option cannot take."""
    return UsageError(f"参数 {param.label} 的值无效（{str(value)[:40]}）", hint=expected)


def convert(spec: CommandSpec, raw: dict[str, object]) -> dict[str, object]:
    """Typed values for every parameter of ``spec``: defaults filled in, text converted and checked.

    ``raw`` holds what a front end read: text, a list of text for repeatable options, ``True`` for
    flags; a parameter missing from it gets its default.
    """
    values: dict[str, object] = {}
    for p in spec.params:
        value = raw.get(p.name)
        if value is None or value == []:
            if p.required:
                raise UsageError(f"缺少参数 {p.label}", hint=usage_hint(spec.name))
            values[p.name] = [] if p.kind == "multi" else p.default
            continue
        if p.kind == "flag":
            values[p.name] = bool(value)
        elif p.kind == "multi":
            values[p.name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
        elif p.kind == "int":
            values[p.name] = _to_int(p, value)
        else:
            values[p.name] = str(value)
    if values.get("output") is not None and not str(values["output"]).strip():
        raise UsageError("-o 后的文件名是空的", hint="请写文件名，例如 -o 结果.json；要显示在屏幕上请去掉 -o")
    if spec.formats:
        fmt = values.get("fmt")
        if raw.get("fmt") is None and values.get("output"):
            target = str(values["output"])
            fmt = format_of_file(target, spec.formats) or fmt
            asked = format_of_file(target, tuple(FILE_FORMATS.values()))
            if asked is not None and asked not in spec.formats and not (asked == "plain" and "table" in spec.formats):
                raise UsageError(
                    f"“{target[-60:]}”的扩展名要的是 {asked} 格式，{spec.name} 不能输出这种格式",
                    hint=f"可用：{'|'.join(spec.formats)}；请改扩展名或加 --format",
                )
        values["fmt"] = check_format(str(fmt or spec.default_format), spec.formats)
    return values


FILE_FORMATS = {
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "plain",
    ".text": "plain",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".db": "sqlite",
    ".sqlite": "sqlite",
}


def format_of_file(path: str, allowed: tuple[str, ...]) -> str | None:
    """The format a file name asks for (``x.json`` → json) when the command offers it, else ``None``."""
    dot = path.rfind(".")
    fmt = FILE_FORMATS.get(path[dot:].lower()) if dot > max(path.rfind("/"), path.rfind("\\")) else None
    if fmt == "plain" and "plain" not in allowed and "table" in allowed:
        return None
    return fmt if fmt in allowed else None


def _to_int(p: Param, value: object) -> int:
    low, high = p.bounds or (-(2**31), 2**31)
    expected = f"请给出 {low}–{high} 之间的整数"
    text = str(value).strip()
    try:
        number = int(text)
    except ValueError:
        raise bad_value(p, value, expected) from None
    if not low <= number <= high:
        raise bad_value(p, value, expected)
    return number


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """The output format, or a usage error listing the allowed ones."""
    f = fmt.strip().lower()
    f = FORMAT_ALIASES.get(f, f)
    if f not in allowed:
        raise UsageError(f"不支持的输出格式“{fmt}”", hint=f"可用：{'|'.join(allowed)}")
    return f
