"""The command line: Typer wiring only. Each command resolves its input through the domain and
hands an :class:`~rsguide.render.Output` to the render layer; errors become one Chinese line on
stderr and an exit code from :class:`~rsguide.errors.ExitCode` (see :func:`main`).
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

try:  # typer >= 0.28 vendors click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer
    from click import exceptions as click_exceptions

from rsguide import __version__, commands
from rsguide.commands import check_format
from rsguide.entry import configure_streams, fail, quiet_exit, run_guarded
from rsguide.errors import ExitCode, NotFoundError
from rsguide.render import Output
from rsguide.session import Session

EXIT_CODES_HELP = (
    "退出码：0 找到/可以受理/容缺受理；1 没有找到；2 用法错误；3 知识库有误；"
    "4 材料不全（check）；5 禁办（check）；6 输出文件无法写入；130 被中断。"
)

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
cache_app = typer.Typer(help="编译缓存：查看或清除。例：rsguide cache info", rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


class State:
    """Global options of one run."""

    session: Session = Session()
    no_color: bool = False


state = State()

FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help="输出格式：table|plain|json|yaml|csv|markdown", show_default=True),
]
OutOpt = Annotated[Optional[str], typer.Option("--output", "-o", help="写入文件（不覆盖已有文件，除非加 --force）")]
ForceOpt = Annotated[bool, typer.Option("--force", help="允许覆盖已有的输出文件")]


def emit(out: Output, fmt: str, output: str | None = None, force: bool = False) -> None:
    """Print ``out`` or write it to ``output``."""
    commands.emit(out, fmt, output, force, no_color=state.no_color)


def _version(value: bool) -> None:
    if value:
        print(f"rsguide {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    data: Annotated[
        Optional[str],
        typer.Option("--data", help="知识库目录（默认：内置的鞍山市知识库；也可设环境变量 RSGUIDE_DATA）"),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="不使用颜色")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="不读写编译缓存，直接读取 YAML")] = False,
    version: Annotated[bool, typer.Option("--version", help="显示版本", callback=_version, is_eager=True)] = False,
) -> None:
    """Global options; with no command, opens the interactive session on a terminal."""
    state.session = Session(data, use_cache=not no_cache)
    state.no_color = no_color
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from rsguide.repl import run_repl

            raise typer.Exit(run_repl(state.session, no_color=no_color))
        print(ctx.get_help())
        raise typer.Exit(ExitCode.USAGE)


@app.command()
def show(
    query: Annotated[str, typer.Argument(help="序号（4、第4项）、名称、别名或口语说法")],
    fmt: FormatOpt = "table",
    output: OutOpt = None,
    force: ForceOpt = False,
) -> int:
    """显示一个事项的全部信息：条件、材料、办理路径、时限、提示、禁办与容缺。

    例：rsguide show 失业登记；rsguide show 4 --format json
    """
    return commands.show(state.session, query, fmt, output, force, no_color=state.no_color)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="关键词、口语、拼音或材料名称")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="最多显示几条")] = 10,
    fmt: FormatOpt = "table",
    output: OutOpt = None,
    force: ForceOpt = False,
) -> int:
    """按相关程度列出匹配的事项（含得分与匹配原因）。

    例：rsguide search 社保卡丢了；rsguide search sbk --format json
    """
    return commands.search(state.session, query, limit, fmt, output, force, no_color=state.no_color)


@app.command()
def materials(
    query: Annotated[str, typer.Argument(help="事项序号、名称或说法")],
    channel: Annotated[
        Optional[str], typer.Option("--channel", "-c", help="办理渠道：窗口办|网上办|掌上办|自助办（默认窗口办）")
    ] = None,
    case: Annotated[Optional[str], typer.Option("--case", help="办理情形，如 转入、转出、初级职称")] = None,
    when: Annotated[
        Optional[list[str]], typer.Option("--when", "-w", help="适用条件，可多次：代办、首次备案、劳动争议……")
    ] = None,
    all_channels: Annotated[bool, typer.Option("--all-channels", help="列出所有渠道的材料")] = False,
    fmt: FormatOpt = "table",
    output: OutOpt = None,
    force: ForceOpt = False,
) -> int:
    """列出申请人需要带的材料清单（原件/复印件、份数、容缺标记）。

    例：rsguide materials 失业保险金申领 --when 代办；rsguide materials 10 --case 转出
    """
    from rsguide.checklist import build_checklist, choose_channel, resolve_case, resolve_tags
    from rsguide.lookup import resolve
    from rsguide.views import checklist_view

    fmt = check_format(fmt)
    s = state.session
    item = resolve(s.kb, s.index, query).item
    ch = None if all_channels else choose_channel(item, channel)
    cl = build_checklist(
        item, channel=ch, case=resolve_case(item, case), when=resolve_tags(item, when or [], s.kb.conditions)
    )
    emit(checklist_view(s.kb, cl), fmt, output, force)
    return ExitCode.OK


@app.command()
def offices(
    query: Annotated[Optional[str], typer.Argument(help="按区县或名称筛选，如 铁西、海城、社保中心")] = None,
    item: Annotated[Optional[str], typer.Option("--item", "-i", help="只看某个事项的办理地点（序号或名称）")] = None,
    kind: Annotated[
        Optional[str], typer.Option("--kind", help="district_window|venue|generic|bank|platform|app|machine")
    ] = None,
    fmt: FormatOpt = "table",
    output: OutOpt = None,
    force: ForceOpt = False,
) -> int:
    """县（市）区办事窗口与市级办事地点、平台、APP：地址与电话。

    例：rsguide offices；rsguide offices 铁西；rsguide offices --item 14
    """
    from rsguide.offices import filter_offices, item_offices
    from rsguide.views import offices_view

    fmt = check_format(fmt)
    s = state.session
    if item:
        from rsguide.lookup import resolve

        it = resolve(s.kb, s.index, item).item
        found, extra = item_offices(s.kb, it, query)
        title = f"第{it.number}项 {it.name} 的办理地点"
    else:
        found, extra = filter_offices(s.kb, query, kind), []
        title = "办事地点" if query or kind else "办事地点（县（市）区窗口与市级地点）"
    if not found:
        raise NotFoundError(f"没有找到地点“{query or kind}”", hint="运行 rsguide offices 查看全部地点")
    emit(offices_view(found, title, extra), fmt, output, force)
    return ExitCode.OK


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json|yaml|csv|markdown|xlsx|sqlite")] = "json",
    output: OutOpt = None,
    force: ForceOpt = False,
    category: Annotated[
        Optional[list[str]], typer.Option("--category", help="只导出某类别（类别序号或名称，可多次）")
    ] = None,
    channel: Annotated[Optional[str], typer.Option("--channel", help="只导出提供该渠道的事项")] = None,
    item: Annotated[Optional[list[str]], typer.Option("--item", help="只导出这些事项（序号或名称，可多次）")] = None,
    table: Annotated[
        str,
        typer.Option("--table", help="CSV 导出哪张表：items|materials|paths|time_limits|offices|prohibited|tolerated"),
    ] = "materials",
) -> int:
    """导出整个知识库（或筛选后的部分），供脚本、Excel、数据库和 wiki 使用。

    例：rsguide export --format json -o kb.json；rsguide export --format csv --table materials -o m.csv
    """
    from rsguide import export as export_module

    fmt = check_format(fmt, export_module.EXPORT_FORMATS)
    s = state.session
    items = export_module.select_items(s.kb, s.index, categories=category or [], channel=channel, items=item or [])
    export_module.run_export(s.kb, items, fmt, output=output, force=force, table=table)
    return ExitCode.OK


@app.command()
def check(
    subject: Annotated[str, typer.Argument(help="事项（序号、名称、说法）或禁办/容缺清单中的业务")],
    have: Annotated[
        Optional[list[str]], typer.Option("--have", help="申请人带了的材料（可多次）；写了 --have，其余材料视为没带")
    ] = None,
    missing: Annotated[Optional[list[str]], typer.Option("--missing", "-m", help="申请人缺的材料（可多次）")] = None,
    situation: Annotated[
        Optional[list[str]], typer.Option("--situation", "-s", help="申请人的情形，与禁办情形比对（可多次）")
    ] = None,
    when: Annotated[
        Optional[list[str]], typer.Option("--when", "-w", help="适用条件：代办、首次备案……（可多次）")
    ] = None,
    case: Annotated[Optional[str], typer.Option("--case", help="办理情形，如 转入、转出")] = None,
    channel: Annotated[Optional[str], typer.Option("--channel", "-c", help="办理渠道（默认窗口办）")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="受理日期 YYYY-MM-DD（默认今天）")] = None,
    fmt: FormatOpt = "table",
    output: OutOpt = None,
    force: ForceOpt = False,
    document: Annotated[
        Optional[str],
        typer.Option(
            "--document",
            help="把结论对应的文书（受理/容缺受理/补正材料/不予受理通知书）写入文件：.html 可打印，.md/.txt 为文本；"
            "--format html|markdown|plain 可指定格式",
        ),
    ] = None,
) -> int:
    """判断申请能否受理：禁办、材料是否齐全、能否容缺受理，并按法定工作日算补正截止日和办结日。

    退出码：0 可以受理或容缺受理；4 材料不全；5 禁办（不予受理）。
    例：rsguide check 14 --missing 身份证复印件 --date 2026-12-01；rsguide check 18 -s 外省市评审的职称证书；
    rsguide check 14 -m 身份证复印件 --document 容缺受理通知书.html
    """
    from rsguide.checker import check as run_check
    from rsguide.checker import parse_date
    from rsguide.documents import screen_format
    from rsguide.views import verdict_view

    doc_fmt = fmt
    fmt = check_format(screen_format(fmt, document))
    s = state.session
    v = run_check(
        s.kb,
        s.index,
        subject,
        have=have or [],
        missing=missing or [],
        situations=situation or [],
        when=when or [],
        case=case,
        channel=channel,
        date=parse_date(date),
    )
    if document:  # the paper the verdict calls for (rsguide.documents), written before the screen output
        from rsguide.documents import issue_document

        for line in issue_document(s.kb, v, document, fmt=doc_fmt, force=force).messages:
            print(line, file=sys.stderr)
    emit(verdict_view(s.kb, v), fmt, output, force)
    return {"ok": ExitCode.OK, "tolerated": ExitCode.OK, "incomplete": ExitCode.INCOMPLETE}.get(
        v.verdict, ExitCode.PROHIBITED
    )


@app.command()
def validate(
    data: Annotated[Optional[str], typer.Option("--data", help="要检查的知识库目录")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="有警告时也以非零退出码结束")] = False,
) -> int:
    """检查知识库：语法、类型、必填项、引用、重复序号，以及维护者需要注意的警告。

    例：rsguide validate --data ./my-city
    """
    from rsguide.kb import load_with_warnings

    directory = data or state.session.data
    kb, warnings = load_with_warnings(directory)
    print(
        f"知识库有效：{len(kb.items)} 个事项，{len(kb.offices)} 个地点，"
        f"{len(kb.prohibited)} 条禁办，{len(kb.tolerated)} 条容缺。"
    )
    for w in warnings:
        print(f"警告 {w}")
    if warnings:
        print(f"共 {len(warnings)} 条警告。")
    return ExitCode.DATA_ERROR if strict and warnings else ExitCode.OK


@app.command()
def notice(
    query: Annotated[str, typer.Argument(help="事项序号、名称或说法")],
    case: Annotated[Optional[str], typer.Option("--case", help="办理情形，如 转入、转出")] = None,
    when: Annotated[Optional[list[str]], typer.Option("--when", "-w", help="适用条件：代办……（可多次）")] = None,
    missing: Annotated[
        Optional[list[str]], typer.Option("--missing", "-m", help="申请人缺的材料（写入容缺条款，可多次）")
    ] = None,
    channel: Annotated[Optional[str], typer.Option("--channel", "-c", help="办理渠道（默认窗口办）")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="告知日期 YYYY-MM-DD（默认今天）")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html|markdown|plain")] = "html",
    output: OutOpt = None,
    force: ForceOpt = False,
) -> int:
    """生成一次性告知单（A4 可打印 HTML，或 Markdown/纯文本）。

    例：rsguide notice 失业保险金申领 --when 代办 -o 告知单.html
    """
    from rsguide.checker import parse_date
    from rsguide.notice import build_notice, render_notice

    fmt = check_format(fmt, ("html", "markdown", "plain"))
    s = state.session
    n = build_notice(
        s.kb, s.index, query, case=case, when=when or [], missing=missing or [], channel=channel, date=parse_date(date)
    )
    text = render_notice(n, fmt)
    if fmt != "html":  # the HTML page shows them in a box that is not printed
        for note in n.clerk_notes:
            print(f"经办人注意：{note}", file=sys.stderr)
    if output is None and fmt == "html" and sys.stdout.isatty():  # no page of HTML source on a terminal
        from rsguide.notice import default_notice_path
        from rsguide.output import write_atomic

        path = write_atomic(default_notice_path(n), text)
        print(f"告知单已保存为 {path}，用浏览器打开后打印（在终端查看请加 --format plain）", file=sys.stderr)
    elif output:
        from rsguide.output import write_atomic

        print(f"已写入 {write_atomic(output, text, force=force)}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return ExitCode.OK


@app.command()
def repl() -> int:
    """交互式查询（服务大厅终端整天开着用）：输入事项即显示，? 查看命令。

    例：rsguide repl（在终端里直接运行 rsguide 也会进入）
    """
    from rsguide.repl import run_repl

    return run_repl(state.session, no_color=state.no_color)


@app.command()
def stats(fmt: FormatOpt = "table", output: OutOpt = None, force: ForceOpt = False) -> int:
    """统计：各类别事项数、各渠道覆盖、即时办结与限时办结、可容缺事项、源文件说明条数。

    例：rsguide stats；rsguide stats --format json
    """
    from rsguide.reports import stats_output

    fmt = check_format(fmt)
    emit(stats_output(state.session.kb), fmt, output, force)
    return ExitCode.OK


@app.command()
def diff(
    old_dir: Annotated[str, typer.Argument(help="旧版知识库目录")],
    new_dir: Annotated[str, typer.Argument(help="新版知识库目录")],
    fmt: FormatOpt = "table",
    output: OutOpt = None,
    force: ForceOpt = False,
) -> int:
    """比较两个版本的知识库：新增、删除的事项，材料、路径、时限的变化。

    例：rsguide diff data-2025 data-2026
    """
    from rsguide import kb as kb_module
    from rsguide.reports import diff_output

    fmt = check_format(fmt)
    emit(diff_output(kb_module.load(old_dir), kb_module.load(new_dir)), fmt, output, force)
    return ExitCode.OK


@cache_app.command("info")
def cache_info() -> int:
    """显示缓存目录和当前知识库的缓存文件。"""
    from rsguide import cache

    s = state.session
    inf = cache.info(s.data_dir)
    print(f"缓存目录：{inf.directory}")
    print(f"当前知识库：{s.data_dir}")
    print(f"当前缓存：{inf.current}（{'已生成' if inf.current_exists else '未生成'}）")
    for path, size in inf.files:
        print(f"  {path.name}  {size // 1024} KB")
    return ExitCode.OK


@cache_app.command("clear")
def cache_clear() -> int:
    """删除所有编译缓存（下次运行时自动重建）。"""
    from rsguide import cache

    print(f"已删除 {cache.clear()} 个缓存文件。")
    return ExitCode.OK


def _translate_click(exc: Exception) -> str:
    if isinstance(exc, click_exceptions.NoSuchOption):
        return f"没有选项 {exc.option_name}；运行 rsguide --help 或 rsguide 命令 --help 查看用法"
    if isinstance(exc, click_exceptions.MissingParameter):
        name = exc.param.human_readable_name if exc.param else "参数"
        return f"缺少参数 {name}；运行 rsguide 命令 --help 查看用法"
    if isinstance(exc, click_exceptions.BadParameter):
        name = exc.param.human_readable_name if exc.param else "参数"
        return f"参数 {name} 的值无效（{exc.message}）；运行 rsguide 命令 --help 查看用法"
    if isinstance(exc, click_exceptions.NoArgsIsHelpError):
        return "缺少参数；运行 rsguide --help 查看用法"
    if isinstance(exc, click_exceptions.UsageError):
        msg = exc.message
        if msg.startswith("No such command"):
            return f"没有这个命令（{msg.split(' ', 3)[-1]}）；运行 rsguide --help 查看全部命令"
        if msg.startswith("Got unexpected extra argument"):
            return '多余的参数；含空格的查询请加引号，例如 rsguide show "失业 登记"'
        return f"用法错误（{msg}）；运行 rsguide --help 查看用法"
    return str(exc)


def main(argv: list[str] | None = None) -> None:
    """Run the full CLI and turn every error into one line and an exit code."""
    configure_streams()

    def invoke() -> int:
        try:
            result = typer.main.get_command(app).main(args=argv, prog_name="rsguide", standalone_mode=False)
        except typer.Exit as exc:
            return exc.exit_code
        except typer.Abort:
            raise KeyboardInterrupt from None
        except click_exceptions.ClickException as exc:
            fail(_translate_click(exc))
            return ExitCode.USAGE
        return result if isinstance(result, int) else ExitCode.OK

    quiet_exit(run_guarded(invoke))
