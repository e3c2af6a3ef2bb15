"""``rsguide export``: the knowledge base for scripts, Excel, databases and wikis."""

from __future__ import annotations

from collections.abc import Sequence

from rsguide.commands import Result
from rsguide.session import Session


def export(
    session: Session,
    *,
    fmt: str = "json",
    output: str | None = None,
    force: bool = False,
    category: Sequence[str] = (),
    channel: str | None = None,
    item: Sequence[str] = (),
    table: str | None = None,
) -> Result:
    """The export as text, or the name of the file (or folder) written.

    ``table`` chooses the CSV table (default ``materials``); with any other format it is a usage
    error rather than silently ignored (JSON, YAML and Markdown carry the whole knowledge base, xlsx
    and SQLite every table)."""
    from rsguide.errors import UsageError
    from rsguide.output import export as export_module

    if table is not None and fmt != "csv":
        raise UsageError(
            f"--table 只用于 CSV 导出，{fmt} 格式导出的是整个知识库" + ("（每张表一页）" if fmt == "xlsx" else ""),
            hint=f"只导出一张表：rsguide export --format csv --table {table}",
        )
    kb = session.kb
    items = export_module.select_items(kb, session.index, categories=list(category), channel=channel, items=list(item))
    text, written = export_module.run_export(
        kb, items, fmt, output=output, force=force, table=table or "materials", channel=channel
    )
    return Result(text=text, written=written)
