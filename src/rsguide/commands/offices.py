"""``rsguide offices``: windows, venues, platforms and apps."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.errors import NotFoundError
from rsguide.session import Session


def offices(session: Session, *, query: str | None = None, item: str | None = None, kind: str | None = None) -> Result:
    """All places, those of a district or name, or where one item is handled."""
    from rsguide.kb.offices import filter_offices
    from rsguide.output.views import item_places_view, offices_view

    kb = session.catalog
    if item:
        from rsguide.search.lookup import resolve

        it = resolve(kb, session.index, item).item
        # named places, the source's generic wording, the district windows only as a labelled reference
        return Result(item_places_view(kb, it, query), item=(it.number, it.name))
    found = filter_offices(kb, query, kind)
    title = "办事地点" if query or kind else "办事地点（县（市）区窗口与市级地点）"
    if not found:
        raise NotFoundError(f"没有找到地点“{query or kind}”", hint="运行 rsguide offices 查看全部地点")
    return Result(offices_view(found, title, []))


def places_or_item(session: Session, *, query: str) -> Result:
    """The interactive ``o``: a district or place name, else an item's places."""
    from rsguide.search.lookup import quick_match

    item = None
    try:
        item = quick_match(session.catalog, query)
    except NotFoundError:
        item = None
    if item is None:
        try:
            return offices(session, query=query)
        except NotFoundError:
            pass
    try:
        return offices(session, item=query if item is None else str(item.number))
    except NotFoundError:
        shown = " ".join(query.split())[:40]
        raise NotFoundError(f"没有找到地点或事项“{shown}”", hint="运行 rsguide offices 查看全部地点") from None
