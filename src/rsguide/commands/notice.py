"""``rsguide notice``: the one-time notice (一次性告知单)."""

from __future__ import annotations

from collections.abc import Sequence

from rsguide.commands import Result
from rsguide.session import Session


def notice(
    session: Session,
    *,
    query: str,
    case: str | None = None,
    when: Sequence[str] = (),
    missing: Sequence[str] = (),
    channel: str | None = None,
    date: str | None = None,
    fmt: str = "html",
) -> Result:
    """The notice rendered in ``fmt``; the clerk's notes apart, never on paper."""
    from rsguide.check.checker import parse_date
    from rsguide.output.notice import build_notice, default_notice_path, render_notice

    n = build_notice(
        session.catalog,
        session.index,
        query,
        case=case,
        when=list(when),
        missing=list(missing),
        channel=channel,
        date=parse_date(date),
    )
    notes = [] if fmt == "html" else list(n.clerk_notes)  # the HTML page keeps them in a box that is not printed
    return Result(
        text=render_notice(n, fmt),
        notes=notes,
        item=(n.item.number, n.item.name),
        save_as=str(default_notice_path(n)) if fmt == "html" else None,  # 告知单-第4项-2026-12-01.html
    )
