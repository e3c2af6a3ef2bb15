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
    table: str = "materials",
) -> Result:
    """The export as text, or the name of the file (or folder) written."""
    from rsguide.output import export as export_module
    kb = session.kb
    items = export_module.select_items(kb, session.index, categories=list(category), channel=channel, items=list(item))
    text, written = export_module.run_export(kb, items, fmt, output=output, force=force, table=table, channel=channel)
    return Result(text=text, written=written)
