"""Exports of the knowledge base for supervisors and scripts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rsguide.errors import UsageError
from rsguide.model import Item, KnowledgeBase
from rsguide.search.engine import SearchIndex

EXPORT_FORMATS = ("json", "yaml", "csv", "markdown", "xlsx", "sqlite")


def select_items(
    kb: KnowledgeBase,
    index: Callable[[], SearchIndex],
    *,
    categories: list[str],
    channel: str | None,
    items: list[str],
) -> list[Item]:
    """The items an export covers: all, or those matching every filter given."""
    from rsguide.check.checklist import parse_channel
    from rsguide.search.lookup import resolve
    from rsguide.search.normalize import normalize

    chosen = list(kb.items)
    if categories:
        ids: set[int] = set()
        for text in categories:
            key = normalize(text)
            found = [c.id for c in kb.categories if key in (str(c.id), normalize(c.name)) or key in normalize(c.name)]
            if not found:
                names = "、".join(f"{c.id} {c.name}" for c in kb.categories)
                raise UsageError(f"没有类别“{text}”", hint=f"可用：{names}")
            ids.update(found)
        chosen = [i for i in chosen if i.category in ids]
    if channel:
        ch = parse_channel(channel)
        chosen = [i for i in chosen if ch in i.channels]
    if items:
        numbers = {resolve(kb, index, text).item.number for text in items}
        chosen = [i for i in chosen if i.number in numbers]
    return chosen


def run_export(
    kb: KnowledgeBase,
    items: list[Item],
    fmt: str,
    *,
    output: str | None,
    force: bool,
    table: str = "materials",
    channel: str | None = None,
) -> tuple[str | None, str | None]:
    """The export in ``fmt`` as text, or ``(None, path)`` after writing a binary file or a folder of pages.

    With ``channel``, a CSV table that has a channel column keeps only that channel's rows."""
    from rsguide.output import render
    from rsguide.output.serialize import kb_dict

    if fmt in ("xlsx", "sqlite"):
        if not output:
            raise UsageError(
                f"{fmt} 格式必须用 -o 指定输出文件",
                hint=f"例如：rsguide export --format {fmt} -o 知识库.{'xlsx' if fmt == 'xlsx' else 'db'}",
            )
        from rsguide.output import export_files
        writer = export_files.write_xlsx if fmt == "xlsx" else export_files.write_sqlite
        writer(kb, items, output, force=force)
        return None, output
    if fmt == "csv":
        from rsguide.output.tables import TABLES, table_rows

        if table not in TABLES:
            raise UsageError(f"没有表“{table}”", hint=f"可用：{'|'.join(TABLES)}")
        from rsguide.check.checklist import parse_channel

        columns, rows = table_rows(kb, items, table, parse_channel(channel) if channel else None)
        text = render.to_csv(columns, rows)
    elif fmt == "markdown":
        from pathlib import Path

        from rsguide.output.export_files import to_markdown_pages, write_markdown_dir

        if output and (Path(output).is_dir() or output.endswith(("/", "\\"))):
            write_markdown_dir(kb, items, output, force=force)  # one page per category, for a wiki
            return None, output
        text = "\n".join(to_markdown_pages(kb, items).values())
    else:
        from rsguide.sanitize import clean_deep

        data: Any = kb_dict(kb, items) if fmt == "json" else clean_deep(kb_dict(kb, items))  # JSON escapes them
        text = render.to_json(data) + "\n" if fmt == "json" else render.to_yaml(data)
    return text, None
