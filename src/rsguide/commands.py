"""Bodies of the commands a clerk runs most, free of Typer so that the fast path of
:mod:`rsguide.entry` can call them without building the whole CLI."""

from __future__ import annotations

import sys

from rsguide.errors import ExitCode, UsageError
from rsguide.render import FORMATS, Output
from rsguide.session import Session

FORMAT_ALIASES = {"md": "markdown", "txt": "plain", "text": "plain", "yml": "yaml"}


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """The output format, or a usage error listing the allowed ones."""
    f = fmt.strip().lower()
    f = FORMAT_ALIASES.get(f, f)
    if f not in allowed:
        raise UsageError(f"不支持的输出格式“{fmt}”", hint=f"可用：{'|'.join(allowed)}")
    return f


def emit(out: Output, fmt: str, output: str | None = None, force: bool = False, *, no_color: bool = False) -> None:
    """Print ``out`` or write it to ``output``."""
    from rsguide import render

    if output:
        from rsguide.output import write_atomic

        path = write_atomic(output, render.text_of(out, fmt), force=force, bom=(fmt == "csv"))
        print(f"已写入 {path}", file=sys.stderr)
        return
    render.render(out, fmt, no_color=no_color)


def show(
    session: Session,
    query: str,
    fmt: str = "table",
    output: str | None = None,
    force: bool = False,
    *,
    no_color: bool = False,
) -> int:
    """The whole item card of the best item for ``query``."""
    from rsguide.lookup import NotOnList, NotSure, resolve
    from rsguide.views import item_card

    fmt = check_format(fmt)
    catalog = session.catalog
    try:
        found = resolve(catalog, session.index, query)
    except (NotOnList, NotSure) as exc:
        return not_found(exc.lines())
    emit(item_card(catalog, found.item, found.others), fmt, output, force, no_color=no_color)
    return ExitCode.OK


def not_found(lines: list[str]) -> int:
    """Say on stderr that nothing fits (or which items to choose from); exit code 1."""
    try:
        for line in lines:
            print(f"rsguide：{line}" if not line.startswith(" ") else line, file=sys.stderr)
    except (BrokenPipeError, ValueError, OSError):
        pass
    return ExitCode.NOT_FOUND


def search(
    session: Session,
    query: str,
    limit: int = 10,
    fmt: str = "table",
    output: str | None = None,
    force: bool = False,
    *,
    no_color: bool = False,
) -> int:
    """The ranked list of items for ``query``."""
    from rsguide import search as search_module
    from rsguide.lookup import clean_query, not_on_list
    from rsguide.views import search_results

    fmt = check_format(fmt)
    if not 1 <= limit <= 1000:
        raise UsageError(f"参数 --limit 的值无效（{limit}）", hint="请给出 1–1000 之间的整数")
    text = clean_query(query)
    found = search_module.analyse(session.index(), text, limit=limit)
    if found.rejected:
        if fmt in ("json", "yaml", "csv"):
            emit(search_results(session.catalog, text, []), fmt, output, force, no_color=no_color)
        return not_found(not_on_list(text, found).lines())
    emit(search_results(session.catalog, text, found.hits), fmt, output, force, no_color=no_color)
    return ExitCode.OK
